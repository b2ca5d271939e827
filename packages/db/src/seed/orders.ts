import { createHash, randomBytes } from "node:crypto";
import { newId, saleChannelOf, splitCommission } from "@coop/shared";
import type {
  OrderStatus,
  orderLineLots,
  orderLines,
  orderStatusHistory,
  orders,
  PaymentMethod,
  payments,
  saleEntries,
} from "../schema";
import { addMinutes, type Clock } from "./clock";
import type { ConsignorRow } from "./people";
import type { Random } from "./random";
import type { ConsignorLedger } from "./settlement";
import type { SeededProduct, ServicePointRef, StockBuilder } from "./stock";
import type { Allocation } from "./stock-book";

export type OrderRow = typeof orders.$inferInsert & { id: string };
export type OrderLineRow = typeof orderLines.$inferInsert & { id: string; quantity: number };
export type OrderLineLotRow = typeof orderLineLots.$inferInsert;
export type StatusHistoryRow = typeof orderStatusHistory.$inferInsert & { id: string };
export type PaymentRow = typeof payments.$inferInsert & { id: string };
export type SaleEntryRow = typeof saleEntries.$inferInsert;

interface LinePlan {
  sku: string;
  quantity: number;
  /** Code of the service point whose own stock the line takes; the warehouse when absent. */
  from?: string;
}

interface OrderPlan {
  status: Extract<OrderStatus, "paid" | "shipped" | "picked_up" | "confirmed">;
  placedHoursAgo: number;
  contactName: string;
  fulfilment: { pickupAt: string } | { deliverTo: string };
  paymentMethod: Extract<PaymentMethod, "card" | "alipay" | "wechat_pay" | "cash_on_pickup">;
  deliveryFeeFen: number;
  lines: LinePlan[];
  /** 帮代办: the agent of this service point places the order for the first villager registered there. */
  assistedAt?: string;
}

/** The demo's order history: one of each state a screen has to show, in the order they were placed. */
const ORDER_PLANS: readonly OrderPlan[] = [
  {
    // A teacher home for the weekend buys tea and honey, collected at her home village.
    status: "picked_up",
    placedHoursAgo: 70,
    contactName: "王丽萍",
    fulfilment: { pickupAt: "SP-HS01" },
    paymentMethod: "card",
    deliveryFeeFen: 0,
    lines: [
      { sku: "TEA-YUNWU", quantity: 250 },
      { sku: "HONEY-JAR", quantity: 2 },
    ],
  },
  {
    // A city household's weekly basket, delivered.
    status: "shipped",
    placedHoursAgo: 50,
    contactName: "陈晓雯",
    fulfilment: { deliverTo: "湖南省衡阳市蒸湘区蒸湘北路 19 号 3 栋 502 室" },
    paymentMethod: "card",
    deliveryFeeFen: 1000,
    lines: [
      { sku: "EGG-TU", quantity: 30 },
      { sku: "PKL-RADISH", quantity: 1000 },
      { sku: "OIL-CAMELLIA", quantity: 1000 },
    ],
  },
  {
    // The agent at Fengshu orders fertilizer and seedling trays for a villager who pays cash on pickup.
    status: "picked_up",
    placedHoursAgo: 40,
    contactName: "",
    fulfilment: { pickupAt: "SP-HS02" },
    paymentMethod: "cash_on_pickup",
    deliveryFeeFen: 0,
    assistedAt: "SP-HS02",
    lines: [
      { sku: "FERT-NPK45", quantity: 2, from: "SP-HS02" },
      { sku: "TRAY-RICE-434", quantity: 100, from: "SP-HS02" },
    ],
  },
  {
    // A restaurant restocking its farmhouse dishes.
    status: "paid",
    placedHoursAgo: 20,
    contactName: "李国庆（湘味人家农家菜馆）",
    fulfilment: { deliverTo: "湖南省衡阳市石鼓区中山北路 88 号 湘味人家农家菜馆" },
    paymentMethod: "wechat_pay",
    deliveryFeeFen: 0,
    lines: [
      { sku: "PORK-SMOKED", quantity: 5000 },
      { sku: "BEAN-DRIED", quantity: 2000 },
      { sku: "PKL-CHILLI", quantity: 2500 },
      { sku: "EGG-TU", quantity: 60 },
    ],
  },
  {
    // A viewer of the co-op's live stream in Changsha.
    status: "paid",
    placedHoursAgo: 6,
    contactName: "赵敏",
    fulfilment: { deliverTo: "湖南省长沙市岳麓区麓谷大道 627 号 8 栋 1203 室" },
    paymentMethod: "alipay",
    deliveryFeeFen: 1200,
    lines: [
      { sku: "TOFU-FERMENTED", quantity: 6 },
      { sku: "CHILLI-DRIED", quantity: 500 },
    ],
  },
  {
    // Ordered this morning, to be paid in cash at pickup: its stock is held, not yet sold.
    status: "confirmed",
    placedHoursAgo: 3,
    contactName: "黄海燕",
    fulfilment: { pickupAt: "SP-HS03" },
    paymentMethod: "cash_on_pickup",
    deliveryFeeFen: 0,
    lines: [
      { sku: "EGG-TU", quantity: 20 },
      { sku: "TOFU-FERMENTED", quantity: 2 },
    ],
  },
];

export interface OrdersContext {
  coopId: string;
  rng: Random;
  clock: Clock;
  stock: StockBuilder;
  ledger: ConsignorLedger;
  products: readonly SeededProduct[];
  warehouseId: string;
  servicePoints: readonly ServicePointRef[];
  consignors: readonly ConsignorRow[];
  warehouseUserId: string;
  defaultCommissionBps: number;
  nextPhone: () => string;
}

export interface OrderHistory {
  orders: OrderRow[];
  lines: OrderLineRow[];
  lineLots: OrderLineLotRow[];
  statusHistory: StatusHistoryRow[];
  payments: PaymentRow[];
  /** The sales ledger the reports are built from (decision 0044), one line per lot drawn, as the API writes it. */
  saleEntries: SaleEntryRow[];
}

export function buildOrders(ctx: OrdersContext): OrderHistory {
  const history: OrderHistory = {
    orders: [],
    lines: [],
    lineLots: [],
    statusHistory: [],
    payments: [],
    saleEntries: [],
  };
  for (const plan of ORDER_PLANS) new OrderScript(ctx, plan, history).run();
  return history;
}

/** Plays one planned order through its states, writing the rows each step would have written. */
class OrderScript {
  private readonly orderId = newId("order");
  private readonly placedAt: Date;
  private readonly pickupPoint: ServicePointRef | undefined;
  private readonly lines: Array<{ row: OrderLineRow; product: SeededProduct }> = [];
  private order!: OrderRow;
  private status: OrderStatus | null = null;

  constructor(
    private readonly ctx: OrdersContext,
    private readonly plan: OrderPlan,
    private readonly out: OrderHistory,
  ) {
    this.placedAt = ctx.clock.hoursAgo(plan.placedHoursAgo);
    this.pickupPoint = "pickupAt" in plan.fulfilment ? this.point(plan.fulfilment.pickupAt) : undefined;
  }

  run(): void {
    this.place();
    const { plan } = this;
    const at = (hours: number) => {
      if (hours >= plan.placedHoursAgo) throw new Error("Demo order timeline runs past now");
      return addMinutes(this.placedAt, hours * 60);
    };
    const agent = this.pickupPoint?.agentUserId ?? null;
    const warehouse = this.ctx.warehouseUserId;

    if (plan.paymentMethod !== "cash_on_pickup") {
      this.pay(addMinutes(this.placedAt, 2), "stripe");
      if (plan.status === "shipped") {
        this.transition("packed", at(18), warehouse, "已打包 / packed");
        this.transition("shipped", at(20), warehouse, "已发货 / shipped");
      } else if (plan.status === "picked_up") {
        this.transition("packed", at(12), warehouse, "已打包 / packed");
        this.transition("ready_for_pickup", at(30), agent, "已到服务点 / arrived at the service point");
        this.transition("picked_up", at(48), agent, "凭取货码取货 / collected with the pickup code");
      }
    } else if (plan.status === "picked_up") {
      this.transition("ready_for_pickup", at(1), agent, "服务点现货 / in stock at the service point");
      this.pay(at(20), "cash");
      this.transition("picked_up", at(20), agent, "现金付款取货 / paid in cash and collected");
    }
    this.order.status = this.status!;
    this.order.updatedAt = this.lastChange();
  }

  /** Writes the order and its lines and holds their stock, as checkout does. */
  private place(): void {
    const { ctx, plan } = this;
    const assistedPoint = plan.assistedAt ? this.point(plan.assistedAt) : undefined;
    const villager = assistedPoint
      ? ctx.consignors.find((c) => c.servicePointId === assistedPoint.id)
      : undefined;

    for (const linePlan of plan.lines) {
      const product = ctx.products.find((p) => p.spec.sku === linePlan.sku);
      if (!product) throw new Error(`Demo order uses unknown ${linePlan.sku}`);
      const locationId = linePlan.from ? this.point(linePlan.from).id : ctx.warehouseId;
      ctx.stock.ensureAvailable(product, locationId, linePlan.quantity, this.placedAt);
      ctx.stock.book.reserve(product.id, locationId, linePlan.quantity);
      const unitPriceFen = product.spec.priceFen;
      this.lines.push({
        product,
        row: {
          id: newId("orderLine"),
          orderId: this.orderId,
          productId: product.id,
          locationId,
          quantity: linePlan.quantity,
          // The demo's history is priced per base unit (as before sale units): lines of size 1.
          units: linePlan.quantity,
          unitSize: 1,
          unitPriceFen,
          lineTotalFen: linePlan.quantity * unitPriceFen,
        },
      });
    }

    const subtotalFen = this.lines.reduce((sum, l) => sum + l.row.lineTotalFen, 0);
    const cash = plan.paymentMethod === "cash_on_pickup";
    this.order = {
      id: this.orderId,
      coopId: ctx.coopId,
      status: cash ? "confirmed" : "pending_payment",
      contactName: villager?.name ?? plan.contactName,
      contactPhone: villager?.phone ?? ctx.nextPhone(),
      fulfilmentType: this.pickupPoint ? "pickup" : "delivery",
      pickupLocationId: this.pickupPoint?.id ?? null,
      deliveryAddress: "deliverTo" in plan.fulfilment ? plan.fulfilment.deliverTo : null,
      paymentMethod: plan.paymentMethod,
      subtotalFen,
      deliveryFeeFen: plan.deliveryFeeFen,
      totalFen: subtotalFen + plan.deliveryFeeFen,
      // The buyer's token is shown once at checkout and never stored; demo buyers never see theirs.
      accessTokenHash: createHash("sha256").update(randomBytes(32).toString("base64url")).digest("hex"),
      // Only a keyed hash of a code is ever stored (decision 0017); like the tokens, nobody holds these codes.
      pickupCodeHash: this.pickupPoint ? ctx.rng.hex(64) : null,
      placedByUserId: assistedPoint?.agentUserId ?? null,
      onBehalfOfConsignorId: villager?.id ?? null,
      // A cash-on-pickup hold lapses if the buyer never comes.
      expiresAt: cash && plan.status === "confirmed" ? addMinutes(this.placedAt, 72 * 60) : null,
      createdAt: this.placedAt,
    };
    this.out.orders.push(this.order);
    this.out.lines.push(...this.lines.map((l) => l.row));
    this.transition(
      this.order.status,
      this.placedAt,
      assistedPoint?.agentUserId ?? null,
      assistedPoint
        ? "帮代办：代村民下单 / placed by the agent for a villager"
        : "买家下单 / placed by the buyer",
    );
  }

  /** Payment turns the held stock into a sale: lots are drawn first-expiring-first and villagers credited. */
  private pay(at: Date, provider: "stripe" | "cash"): void {
    const { ctx, order } = this;
    const actor = provider === "cash" ? (this.pickupPoint?.agentUserId ?? null) : null;
    for (const { row, product } of this.lines) {
      ctx.stock.book.release(product.id, row.locationId, row.quantity);
      const allocations = ctx.stock.book.allocate(product.id, row.locationId, row.quantity, this.placedAt);
      for (const allocation of allocations) this.sell(row, product, allocation, at, actor);
    }
    this.out.payments.push({
      id: newId("payment"),
      orderId: order.id,
      method: order.paymentMethod,
      provider,
      providerRef: provider === "stripe" ? `pi_demo_${ctx.rng.hex(24)}` : null,
      amountFen: order.totalFen,
      status: "succeeded",
      // Cash names who took it and where (payments_cash_has_receiver, the agent's day-close).
      receivedByUserId: provider === "cash" ? actor : null,
      locationId: provider === "cash" ? (this.pickupPoint?.id ?? null) : null,
      createdAt: provider === "stripe" ? this.placedAt : at,
      updatedAt: at,
    });
    if (provider === "stripe") this.transition("paid", at, null, "在线支付成功 / paid online");
  }

  private sell(
    row: OrderLineRow,
    product: SeededProduct,
    { lot, quantity }: Allocation,
    at: Date,
    actor: string | null,
  ) {
    const { ctx } = this;
    this.out.lineLots.push({ orderLineId: row.id, lotId: lot.id, quantity });
    ctx.stock.book.record(lot, {
      kind: "sale",
      locationId: row.locationId,
      quantityDelta: -quantity,
      at,
      actorUserId: actor,
      orderId: this.orderId,
      reason: "订单售出 / sold on an order",
    });
    const grossFen = quantity * row.unitPriceFen;
    const commissionBps = product.spec.commissionBps ?? ctx.defaultCommissionBps;
    const split = lot.consignorId ? splitCommission(grossFen, commissionBps) : { villagerFen: 0, coopFen: 0 };
    this.out.saleEntries.push({
      id: newId("saleEntry"),
      coopId: ctx.coopId,
      kind: "sale",
      orderId: this.orderId,
      orderLineId: row.id,
      lotId: lot.id,
      productId: product.id,
      pointId: this.pickupPoint?.id ?? null,
      originLocationId: lot.originLocationId,
      consignorId: lot.consignorId ?? null,
      channel: saleChannelOf(this.order),
      quantity,
      grossFen,
      commissionFen: split.coopFen,
      villagerFen: split.villagerFen,
      createdAt: at,
    });
    if (!lot.consignorId) return;
    ctx.ledger.saleCredit({
      consignorId: lot.consignorId,
      lotId: lot.id,
      orderId: this.orderId,
      orderLineId: row.id,
      quantity,
      grossFen,
      commissionBps,
      productNameZh: product.spec.nameZh,
      productNameEn: product.spec.nameEn,
      at,
    });
  }

  private transition(to: OrderStatus, at: Date, actorUserId: string | null, note: string): void {
    this.out.statusHistory.push({
      // @coop/shared has no id kind for status history; its rows are an audit trail, so "aud_".
      id: newId("orderStatusChange"),
      orderId: this.orderId,
      fromStatus: this.status,
      toStatus: to,
      actorUserId,
      note,
      createdAt: at,
    });
    this.status = to;
  }

  private lastChange(): Date {
    const times = this.out.statusHistory
      .filter((h) => h.orderId === this.orderId)
      .map((h) => (h.createdAt as Date).getTime());
    return new Date(Math.max(...times));
  }

  private point(code: string): ServicePointRef {
    const point = this.ctx.servicePoints.find((p) => p.code === code);
    if (!point) throw new Error(`Demo order names unknown service point ${code}`);
    return point;
  }
}
