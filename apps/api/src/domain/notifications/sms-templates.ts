// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${name} is the provider's own placeholder notation in approved texts, not a JS template
import { type BaseUnit, formatFen, UNIT_LABELS } from "@coop/shared";

/**
 * Every SMS the co-op sends, in one place: its name (notifications.template), the variables the approved
 * template takes, and its Chinese text exactly as submitted to the provider for approval (variables written
 * `${name}`, Aliyun's notation). The provider's template code is configuration (SMS_TEMPLATE_CODES, one code
 * per name); the text here is what the log provider prints and what the README documents.
 *
 * A notification row keeps the facts (ids, fen, quantities); the variables are derived from them only when
 * the message is sent, so a wording change needs no data migration and a link is signed with today's key.
 */
export interface SmsTemplate {
  name: string;
  /** What the message is for, for people reading the registry. */
  purpose: string;
  /** The approved text, with `${variable}` placeholders. */
  text: string;
  /** The template's variables; `variables()` returns exactly these keys. */
  params: readonly string[];
  variables(data: Record<string, unknown>, ctx: SmsRenderContext): Record<string, string>;
}

export interface SmsRenderContext {
  /** What a message needs of the signed links: lot pages and rating links (domain/lots/public-link.ts gives it). */
  links: { lotUrl(lotId: string): string; ratingUrl(ratingRequestId: string): string };
}

// ---- value formatting (short: an SMS variable may hold at most a few dozen characters) -------------------

const str = (v: unknown, fallback = "-") => (typeof v === "string" && v !== "" ? v : fallback);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const money = (v: unknown) => formatFen(Math.trunc(num(v)));

/** "30个", "5斤", "2.5斤" (grams in 斤 when it comes out even to 0.1 斤), "750毫升". */
export function quantityText(quantity: number, unit: BaseUnit | string | undefined): string {
  if (unit === "gram") {
    if (quantity % 50 === 0) return `${quantity / 500}斤`;
    return `${quantity}克`;
  }
  const label = UNIT_LABELS[unit as BaseUnit]?.zh ?? "";
  return `${quantity}${label}`;
}

/** Sold items as one short phrase: "土鸡蛋30个、坛子菜2斤". */
const itemsText = (v: unknown) => {
  const items = Array.isArray(v) ? (v as Array<Record<string, unknown>>) : [];
  return (
    items
      .map((i) => `${str(i.productName, "")}${quantityText(num(i.quantity), str(i.unit, ""))}`)
      .join("、") || "-"
  );
};

const lotLink = (data: Record<string, unknown>, ctx: SmsRenderContext) =>
  typeof data.lotId === "string" ? ctx.links.lotUrl(data.lotId) : "-";

const ratingLink = (data: Record<string, unknown>, ctx: SmsRenderContext) =>
  typeof data.ratingRequestId === "string" ? ctx.links.ratingUrl(data.ratingRequestId) : "-";

/** What was done, as the rating SMS names it. */
const RATED_EVENT: Record<string, string> = { pickup: "取货", payout: "领取货款", sale: "代销" };

function template(t: SmsTemplate): SmsTemplate {
  return t;
}

// ---- the registry ----------------------------------------------------------------------------------------

export const SMS_TEMPLATES = {
  // Villagers (明白账: every intake, rejection, sale and payout reaches their phone)
  lot_received: template({
    name: "lot_received",
    purpose: "A villager's goods were taken in and passed the quality check",
    text: "您的${product}${quantity}已收，编号${lotNo}，详情 ${link}",
    params: ["product", "quantity", "lotNo", "link"],
    variables: (d, ctx) => ({
      product: str(d.productName),
      quantity: quantityText(num(d.quantity), str(d.unit, "")),
      lotNo: str(d.lotNo),
      link: lotLink(d, ctx),
    }),
  }),
  lot_rejected: template({
    name: "lot_rejected",
    purpose: "A villager's goods failed the quality check and were handed back at once",
    text: "您的${product}${quantity}未通过质检（${reason}），已当场退还，编号${lotNo}，详情 ${link}",
    params: ["product", "quantity", "reason", "lotNo", "link"],
    variables: (d, ctx) => ({
      product: str(d.productName),
      quantity: quantityText(num(d.quantity), str(d.unit, "")),
      reason: str(d.reason, "不合格"),
      lotNo: str(d.lotNo),
      link: lotLink(d, ctx),
    }),
  }),
  lot_sold: template({
    name: "lot_sold",
    purpose: "A villager's goods sold in one order: what sold and what the villager earned from it",
    text: "您的${items}已售出，您得${earned}，已记入您的账户。",
    params: ["items", "earned"],
    variables: (d) => ({ items: itemsText(d.items), earned: money(d.earnedFen) }),
  }),
  payout_made: template({
    name: "payout_made",
    purpose: "A villager was paid out (cash at the point or transfer); the balance that is left",
    text: "您已领取货款${amount}（${method}），账户余额${balance}。",
    params: ["amount", "method", "balance"],
    variables: (d) => ({
      amount: money(d.amountFen),
      method: d.method === "transfer" ? "转账" : "现金",
      balance: money(d.balanceAfterFen),
    }),
  }),

  // Buyers
  order_placed: template({
    name: "order_placed",
    purpose: "An order was placed; carries the pickup code (scrubbed from the outbox once sent)",
    text: "您的订单${orderId}已提交，金额${amount}，取货码${code}，请妥善保管。",
    params: ["orderId", "amount", "code"],
    variables: (d) => ({ orderId: str(d.orderId), amount: money(d.totalFen), code: str(d.pickupCode) }),
  }),
  order_paid: template({
    name: "order_paid",
    purpose: "An online payment arrived",
    text: "您的订单${orderId}已付款，我们将尽快备货。",
    params: ["orderId"],
    variables: (d) => ({ orderId: str(d.orderId) }),
  }),
  order_ready_for_pickup: template({
    name: "order_ready_for_pickup",
    purpose: "An order is at its pickup point (no code: the buyer has it already, decision 0017)",
    text: "您的订单${orderId}已到${point}，请凭取货码取货。",
    params: ["orderId", "point"],
    variables: (d) => ({ orderId: str(d.orderId), point: str(d.servicePointName, "服务点") }),
  }),
  order_shipped: template({
    name: "order_shipped",
    purpose: "An order was shipped",
    text: "您的订单${orderId}已发货，运单号${tracking}。",
    params: ["orderId", "tracking"],
    variables: (d) => ({ orderId: str(d.orderId), tracking: str(d.trackingNumber) }),
  }),
  order_picked_up: template({
    name: "order_picked_up",
    purpose: "An order was handed over at the pickup point",
    text: "您的订单${orderId}已取货，感谢惠顾。",
    params: ["orderId"],
    variables: (d) => ({ orderId: str(d.orderId) }),
  }),
  order_cancelled: template({
    name: "order_cancelled",
    purpose: "An order was cancelled",
    text: "您的订单${orderId}已取消。",
    params: ["orderId"],
    variables: (d) => ({ orderId: str(d.orderId) }),
  }),
  order_refunded: template({
    name: "order_refunded",
    purpose: "A paid order was cancelled and its money refunded",
    text: "您的订单${orderId}已取消，${amount}将原路退回。",
    params: ["orderId", "amount"],
    variables: (d) => ({ orderId: str(d.orderId), amount: money(d.totalFen) }),
  }),
  order_part_refunded: template({
    name: "order_part_refunded",
    purpose: "Part of a paid order did not arrive and its money went back",
    text: "您的订单${orderId}有${quantity}件未能送达，${amount}将原路退回。",
    params: ["orderId", "quantity", "amount"],
    variables: (d) => ({
      orderId: str(d.orderId),
      quantity: String(num(d.quantity)),
      amount: money(d.amountFen),
    }),
  }),
  campaign_allocated: template({
    name: "campaign_allocated",
    purpose: "The harvest came in and a buyer's pre-order was given its goods",
    text: "您预订的${product}已收获，订单${orderId}正在备货。",
    params: ["product", "orderId"],
    variables: (d) => ({ product: str(d.productName), orderId: str(d.orderId) }),
  }),
  campaign_short_refunded: template({
    name: "campaign_short_refunded",
    purpose: "The harvest fell short of a paid pre-order: it is cancelled and the money goes back",
    text: "很抱歉，${product}收成不足，您的预订${orderId}未能供货，${amount}将原路退回。",
    params: ["product", "orderId", "amount"],
    variables: (d) => ({ product: str(d.productName), orderId: str(d.orderId), amount: money(d.totalFen) }),
  }),
  campaign_short_cancelled: template({
    name: "campaign_short_cancelled",
    purpose: "The harvest fell short of an unpaid pre-order (cash at pickup): it is cancelled",
    text: "很抱歉，${product}收成不足，您的预订${orderId}未能供货，已取消，无需付款。",
    params: ["product", "orderId"],
    variables: (d) => ({ product: str(d.productName), orderId: str(d.orderId) }),
  }),
  campaign_pledge_sold: template({
    name: "campaign_pledge_sold",
    purpose: "At a campaign's finish: what a pledging villager delivered and what of it was sold",
    text: "${product}订单农业已结束：您认种${pledged}，交货${delivered}，已售${sold}，收入${amount}。",
    params: ["product", "pledged", "delivered", "sold", "amount"],
    variables: (d) => ({
      product: str(d.productName),
      pledged: quantityText(num(d.pledged), str(d.unit, "")),
      delivered: quantityText(num(d.delivered), str(d.unit, "")),
      sold: quantityText(num(d.sold), str(d.unit, "")),
      amount: money(d.earnedFen),
    }),
  }),
  pickup_verification: template({
    name: "pickup_verification",
    purpose: "A one-time code for a villager collecting without their pickup code",
    text: "取货验证码${code}，${minutes}分钟内有效，请交给代办员。",
    params: ["code", "minutes"],
    variables: (d) => ({ code: str(d.smsCode), minutes: String(num(d.minutes)) }),
  }),
  buyer_login_code: template({
    name: "buyer_login_code",
    purpose: "A buyer signing in by phone to see their orders; carries the code (scrubbed once sent)",
    text: "您的登录验证码${code}，${minutes}分钟内有效。如非本人操作，请忽略。",
    params: ["code", "minutes"],
    variables: (d) => ({ code: str(d.loginCode), minutes: String(num(d.minutes)) }),
  }),
  rating_request: template({
    name: "rating_request",
    purpose:
      "After a pickup, a payout or a sale: the signed link to rate the service once, from one's own phone (14 days)",
    text: "您在${point}的${event}已办好，请点链接为我们的服务打分：${link} （14天内有效）",
    params: ["point", "event", "link"],
    variables: (d, ctx) => ({
      point: str(d.servicePointName, "服务点"),
      event: RATED_EVENT[str(d.kind, "")] ?? "业务",
      link: ratingLink(d, ctx),
    }),
  }),
  commitment_reminder: template({
    name: "commitment_reminder",
    purpose:
      "Each morning, to a service point with work at risk or past its commitment (限时办结): how many of each",
    text: "${point}今天有${atRisk}件事快到期、${breached}件已超期，请打开工作台“限时办结”查看。",
    params: ["point", "atRisk", "breached"],
    variables: (d) => ({
      point: str(d.servicePointName, "服务点"),
      atRisk: String(num(d.atRisk)),
      breached: String(num(d.breached)),
    }),
  }),
  lot_recall: template({
    name: "lot_recall",
    purpose:
      "A food-safety recall: the order was cancelled or refunded, or (already collected) do not eat it",
    text: "食品安全召回：批次${lotNo}的商品请勿食用，您的订单${orderId}将由合作社联系处理。",
    params: ["lotNo", "orderId"],
    variables: (d) => ({ lotNo: str(d.lotNo), orderId: str(d.orderId) }),
  }),
} as const satisfies Record<string, SmsTemplate>;

export type SmsTemplateName = keyof typeof SMS_TEMPLATES;

export function isSmsTemplateName(name: string): name is SmsTemplateName {
  return Object.hasOwn(SMS_TEMPLATES, name);
}

export interface RenderedSms {
  template: SmsTemplateName;
  variables: Record<string, string>;
  /** The message as the villager or buyer reads it (without the provider's 【签名】). */
  text: string;
}

/**
 * Variables that open something for whoever reads them: a pickup or one-time code, the signed link to a
 * villager's lot page. A log line shows them masked.
 */
export const SECRET_SMS_VARIABLES: readonly string[] = ["code", "link"];

/** The variables and text of a queued message, or null for a template this release does not know. */
export function renderSms(
  template: string,
  data: Record<string, unknown>,
  ctx: SmsRenderContext,
  options: { maskSecrets?: boolean } = {},
): RenderedSms | null {
  if (!isSmsTemplateName(template)) return null;
  const t: SmsTemplate = SMS_TEMPLATES[template];
  const variables = t.variables(data, ctx);
  const shown = (name: string) =>
    options.maskSecrets && SECRET_SMS_VARIABLES.includes(name) ? "****" : (variables[name] ?? "");
  const text = t.text.replace(/\$\{(\w+)\}/g, (_, name: string) => shown(name));
  return { template, variables, text };
}
