import { awaitingPickup, PICKUP_ID_TYPES } from "@coop/shared";
import { HandOver, PickupLookup } from "@coop/shared/contract";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Money } from "../components/Money";
import { OrderLines } from "../components/orders/OrderLines";
import { BackLink, FieldError, FormAlert, FormKey } from "../components/staff/FormBits";
import { KeypadField } from "../components/staff/KeypadField";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { SubmitButton } from "../components/staff/StaffForm";
import { getT } from "../i18next.server";
import { ApiError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { formatPhone } from "../lib/format";
import { ordersIn } from "../lib/handover.server";
import { pageMeta } from "../lib/meta";
import { shortOrderId, spacedCode } from "../lib/orders";
import type { HandOverInput, Order, PickupMatch } from "../lib/orders-api.server";
import {
  apiProblem,
  type FieldProblem,
  type FormProblem,
  formKey,
  newFormKey,
  requireRole,
  staffFailure,
} from "../lib/staff.server";
import { parseStaffForm, yuanAsFen } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

type Field = "code" | "cash" | "smsPhone" | "smsCode" | "idLast4";
const ID_TYPES = PICKUP_ID_TYPES;

/** What the hand-over screen needs of an order (not the whole order: the page stays small). */
function summary(order: Order) {
  return {
    id: order.id,
    status: order.status,
    contact: order.contact,
    items: order.items,
    totalFen: order.totalFen,
    method: order.payment.method,
    cashDue: order.payment.method === "cash_on_pickup",
    forVillager: order.onBehalfOfConsignorId !== null,
    locked: order.pickupLocked,
  };
}
type Summary = ReturnType<typeof summary>;

/**
 * The agent's hand-over. The buyer tells the 6-digit code; the agent types it and the API finds every order
 * waiting here with it (POST /v1/pickups/lookup: the code never goes into a URL). The agent checks the
 * buyer against the match, takes the cash if due and confirms. An order chosen from the list still needs
 * the code typed in; one placed for a villager can instead be checked by an SMS code or an ID check.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["agent", "admin"]);
  const url = new URL(request.url);
  const api = getApi(context, request);
  const fail = staffFailure(request);
  const orderId = url.searchParams.get("orderId");
  const [t, ready] = await Promise.all([
    getT(request, "staff"),
    ordersIn(api, token, "ready_for_pickup").catch(fail),
  ]);
  const base = {
    title: t("handover.title"),
    ready: ready.map((order) => ({
      id: order.id,
      name: order.contact.name,
      phone: order.contact.phone,
      totalFen: order.totalFen,
    })),
    idempotencyKey: newFormKey(),
  };
  if (orderId) {
    const order = await api.getOrder(token, orderId).catch(fail);
    return { ...base, order: summary(order) as Summary | null };
  }
  return { ...base, order: null as Summary | null };
}

type Typed = { code: string; cash: string; smsPhone: string; idType: string; idLast4: string };

/** The first catalog key of each field a refused form names. */
function fieldErrors(submission: { error?: Record<string, FieldProblem[] | null> | null }) {
  const fields: Partial<Record<Field, FieldProblem>> = {};
  for (const [name, errors] of Object.entries(submission.error ?? {})) {
    if (errors?.[0]) fields[name as Field] = errors[0];
  }
  return fields;
}

/** What the page shows after a form: the step, what went wrong, and what was typed. */
function answer(
  step: "enter" | "several" | "order",
  extra: {
    problem?: FormProblem | null;
    fields?: Partial<Record<Field, FieldProblem>>;
    status?: number;
    typed?: Partial<Typed>;
    order?: Summary | null;
    matches?: PickupMatch[];
    via?: "code" | "list";
    attemptsLeft?: number | null;
    smsSentTo?: string | null;
  } = {},
) {
  const body = {
    ok: false as const,
    step,
    problem: extra.problem ?? null,
    fields: extra.fields ?? {},
    idempotencyKey: newFormKey(),
    typed: { code: "", cash: "", smsPhone: "", idType: "resident_id", idLast4: "", ...extra.typed },
    order: extra.order ?? null,
    matches: extra.matches ?? [],
    via: extra.via ?? ("code" as const),
    attemptsLeft: extra.attemptsLeft ?? null,
    smsSentTo: extra.smsSentTo ?? null,
    done: null,
  };
  return data(body, { status: extra.status ?? 200 });
}

/**
 * Text with only its digits, at most `max` (a code read out as "012 345"); nothing typed is `missing`
 * (a code not given is "the code is 6 digits", as the screen has always said).
 */
const digits = (max: number, missing: FieldProblem) =>
  z
    .string()
    .optional()
    .transform((value = "", ctx) => {
      const only = value.replace(/\D/g, "").slice(0, max);
      if (!only) ctx.addIssue({ code: "custom", message: missing });
      return only;
    });
const PickupCode = digits(6, "sixDigits").pipe(PickupLookup.shape.code);
const VillagerSms = HandOver.shape.villagerSms.unwrap().shape;
const IdCheck = HandOver.shape.idCheck.unwrap().shape;
const FORM_KEYS = {
  code: "sixDigits",
  smsPhone: "phone",
  smsCode: "sixDigits",
  idLast4: "idLast4",
  cash: "money",
} as const;

/** The hand-over screen's steps, by the button's intent: find by code, open one, send the villager an SMS. */
const StepForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("lookup"), code: PickupCode }),
  z.object({ intent: z.literal("choose"), orderId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal("sendSms"), orderId: z.string().min(1).max(64), smsPhone: VillagerSms.phone }),
  z.object({ intent: z.literal("handOver"), orderId: z.string().min(1).max(64) }),
]);

/**
 * The hand-over itself: exactly one proof, as the agent chose it (HandOver's pickupCode, villagerSms or
 * idCheck), and for cash on pickup the cash taken, at least what is due.
 */
function handOverForm(order: Summary) {
  const cash = order.cashDue
    ? yuanAsFen(HandOver.shape.cashReceivedFen.unwrap()).refine((fen) => fen >= order.totalFen, "cashShort")
    : z
        .unknown()
        .optional()
        .transform((): number | undefined => undefined);
  return z
    .discriminatedUnion("proof", [
      z.object({ proof: z.literal("code"), code: PickupCode, cash }),
      z.object({
        proof: z.literal("sms"),
        smsPhone: VillagerSms.phone,
        smsCode: digits(12, "sixDigits").pipe(VillagerSms.smsCode),
        cash,
      }),
      z.object({
        proof: z.literal("id"),
        idType: IdCheck.idType.catch("resident_id"),
        idLast4: z
          .string()
          .optional()
          .transform((value = "") => value.trim().toUpperCase())
          .pipe(IdCheck.last4),
        cash,
      }),
    ])
    .transform((form): HandOverInput => {
      const cashReceivedFen = form.cash;
      if (form.proof === "sms")
        return { villagerSms: { phone: form.smsPhone, smsCode: form.smsCode }, cashReceivedFen };
      if (form.proof === "id")
        return { idCheck: { idType: form.idType, last4: form.idLast4 }, cashReceivedFen };
      return { pickupCode: form.code, cashReceivedFen };
    });
}

/** What was typed, to show it again (the code as its digits). */
function typedOf(form: FormData): Typed {
  const text = (name: string) => String(form.get(name) ?? "");
  return {
    code: text("code").replace(/\D/g, "").slice(0, 6),
    cash: text("cash"),
    smsPhone: text("smsPhone").replace(/\D/g, ""),
    idType: text("idType") || "resident_id",
    idLast4: text("idLast4").trim().toUpperCase(),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["agent", "admin"]);
  const api = getApi(context, request);
  const form = await request.formData();
  const typed = typedOf(form);
  const step = parseStaffForm(form, StepForm, FORM_KEYS);
  if (step.status !== "success" && form.get("intent") === "lookup") {
    return answer("enter", { problem: "checkFields", fields: fieldErrors(step), status: 400, typed });
  }

  if (step.status === "success" && step.value.intent === "lookup") {
    const code = step.value.code;
    try {
      const { matches } = await api.lookupPickup(token, code);
      if (matches.length > 1) return answer("several", { matches, typed });
      const order = await api.getOrder(token, matches[0]!.orderId).catch(staffFailure(request));
      return answer("order", { order: summary(order), typed, via: "code" });
    } catch (error) {
      return lookupProblem(error, typed);
    }
  }

  const order = summary(
    await api.getOrder(token, String(form.get("orderId") ?? "")).catch(staffFailure(request)),
  );
  const via = form.get("via") === "list" ? ("list" as const) : ("code" as const);
  const stay = (extra: Parameters<typeof answer>[1]) => answer("order", { order, typed, via, ...extra });
  if (step.status !== "success")
    return stay({ problem: "checkFields", fields: fieldErrors(step), status: 400 });
  if (step.value.intent === "choose") return stay({});

  if (step.value.intent === "sendSms") {
    try {
      const sent = await api.sendPickupSms(token, order.id, formKey(form), step.value.smsPhone);
      return stay({ smsSentTo: sent.sentTo });
    } catch (error) {
      return proofProblem(error, (extra) => stay(extra), "smsPhone");
    }
  }

  // The proof is the buyer's code unless the agent chose another (an order placed for a villager).
  if (!form.get("proof")) form.set("proof", "code");
  const handOver = parseStaffForm(form, handOverForm(order), FORM_KEYS);
  if (handOver.status !== "success") {
    return stay({ problem: "checkFields", fields: fieldErrors(handOver), status: 400 });
  }
  try {
    const after = await api.handOver(token, order.id, formKey(form), handOver.value);
    return data({
      ok: true as const,
      step: "done" as const,
      problem: null,
      fields: {} as Partial<Record<Field, FieldProblem>>,
      idempotencyKey: newFormKey(),
      typed: { ...typed, code: "" },
      order: null,
      matches: [] as PickupMatch[],
      via,
      attemptsLeft: null,
      smsSentTo: null,
      done: {
        orderId: after.id,
        name: after.contact.name,
        totalFen: after.totalFen,
        cashFen: handOver.value.cashReceivedFen ?? null,
        method: after.payment.method,
        changeFen: after.changeFen,
      },
    });
  } catch (error) {
    const proof = form.get("proof");
    const field: Field = proof === "sms" ? "smsCode" : proof === "id" ? "idLast4" : "code";
    return proofProblem(error, (extra) => stay(extra), field);
  }
}

/** The lookup's refusals, said plainly next to the code. */
function lookupProblem(error: unknown, typed: Typed) {
  if (error instanceof ApiError) {
    if (error.code === "NOT_FOUND") {
      return answer("enter", { problem: "codeNotFound", fields: { code: "noSuchCode" }, status: 404, typed });
    }
    if (error.code === "ALREADY_PICKED_UP") {
      return answer("enter", { problem: "alreadyCollected", status: 409, typed });
    }
    if (error.code === "RATE_LIMITED")
      return answer("enter", { problem: "tooManyMisses", status: 429, typed });
    if (error.code === "VALIDATION_FAILED") {
      // An admin has no point of their own: they choose the order from the list.
      return answer("enter", { problem: "chooseFromList", status: 400, typed });
    }
  }
  const problem = apiProblem<Field>(error);
  return answer("enter", {
    problem: problem.data.problem,
    status: problem.init?.status ?? 400,
    typed,
  });
}

/** The hand-over's refusals: a wrong code (and how many tries are left), locked, collected, not here yet. */
function proofProblem(
  error: unknown,
  stay: (extra: Parameters<typeof answer>[1]) => ReturnType<typeof answer>,
  field: Field,
) {
  if (error instanceof ApiError) {
    if (error.code === "PICKUP_CODE_WRONG") {
      const left = typeof error.details.attemptsLeft === "number" ? error.details.attemptsLeft : null;
      const reason = error.details.reason;
      const fieldProblem: FieldProblem =
        reason === "wrong_phone" ? "wrongPhone" : reason === "sms_expired" ? "smsExpired" : "wrongCode";
      return stay({
        problem: "checkFields",
        fields: { [reason === "wrong_phone" ? "smsPhone" : field]: fieldProblem },
        attemptsLeft: left,
        status: 400,
      });
    }
    if (error.code === "PICKUP_LOCKED") return stay({ problem: "pickupLocked", status: 409 });
    if (error.code === "ALREADY_PICKED_UP") return stay({ problem: "alreadyCollected", status: 409 });
    if (error.code === "INVALID_STATE") return stay({ problem: "notReady", status: 409 });
    if (error.code === "VALIDATION_FAILED" && error.fields.some((f) => f.path === "cashReceivedFen")) {
      return stay({ problem: "checkFields", fields: { cash: "cashShort" }, status: 400 });
    }
  }
  const problem = apiProblem<Field>(error);
  return stay({ problem: problem.data.problem, status: problem.init?.status ?? 400 });
}

export default function HandOverPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useStaffTranslation();

  if (result?.done) return <Done done={result.done} />;

  const order = result?.order ?? loaded.order;
  const step = result?.step ?? (order ? "order" : "enter");
  const key = result?.idempotencyKey ?? loaded.idempotencyKey;
  const typed = result?.typed;
  const fields: Partial<Record<Field, FieldProblem>> = result?.fields ?? {};

  if (step === "order" && order) {
    const via = result?.via ?? "list";
    const pending = awaitingPickup(order.status);
    return (
      <>
        <BackLink to="/staff/orders/handover">{t("handover.another")}</BackLink>
        <h1>
          {t("handover.title")} <span className="order-no">{shortOrderId(order.id)}</span>
        </h1>
        <p className="notice notice-info">{t("handover.checkBuyer")}</p>
        <dl className="facts">
          <div className="fact fact-strong">
            <dt>{t("handover.buyer")}</dt>
            <dd data-testid="handover-buyer">{order.contact.name}</dd>
          </div>
          <div className="fact fact-strong">
            <dt>{t("staffOrder.phone")}</dt>
            <dd>{formatPhone(order.contact.phone)}</dd>
          </div>
        </dl>
        <h2>{t("handover.itemsTitle")}</h2>
        <OrderLines lines={order.items} />
        <FormAlert problem={result?.problem} id="handover-problem" />
        {order.locked && result?.problem !== "pickupLocked" ? (
          <p className="alert" role="alert">
            {t("staffForm.problems.pickupLocked")}
          </p>
        ) : null}
        {!pending ? <p className="alert">{t(`orderStatus.${order.status}`)}</p> : null}
        {order.cashDue ? (
          <div className="collect-box">
            <span>{t("handover.collect")}</span>
            <span className="collect-amount" data-testid="collect">
              <Money fen={order.totalFen} />
            </span>
          </div>
        ) : (
          <p className="notice notice-info">
            {order.method === "consignor_balance" ? t("handover.paidByBalance") : t("handover.paidOnline")}
          </p>
        )}
        {pending && !order.locked ? (
          <Form
            method="post"
            className="form"
            aria-describedby={result?.problem ? "handover-problem" : undefined}
            // A villager's order offers three ways to check them, each with its own (required) fields:
            // only the chosen way's are filled, and the server checks them.
            noValidate={order.forVillager}
          >
            <FormKey value={key} />
            <input type="hidden" name="orderId" value={order.id} />
            <input type="hidden" name="via" value={via} />
            {via === "code" && typed?.code ? (
              <>
                <input type="hidden" name="proof" value="code" />
                <input type="hidden" name="code" value={typed.code} />
                <p className="notice notice-info" data-testid="code-checked">
                  {t("handover.codeFound", { code: spacedCode(typed.code) })}
                </p>
                <FieldError id="code-error" problem={fields.code} />
              </>
            ) : (
              <ProofFields
                forVillager={order.forVillager}
                typed={typed}
                fields={fields}
                smsSentTo={result?.smsSentTo ?? null}
              />
            )}
            {result?.attemptsLeft != null ? (
              <p className="field-error" role="alert">
                {t("handover.attemptsLeft", { count: result.attemptsLeft })}
              </p>
            ) : null}
            {order.cashDue ? (
              <div className="field">
                <label htmlFor="cash" className="field-label">
                  {t("handover.cash")}
                </label>
                <KeypadField
                  id="cash"
                  name="cash"
                  kind="money"
                  prefix="¥"
                  suffix={t("handover.yuan")}
                  defaultValue={typed?.cash ?? ""}
                  hintId="cash-hint"
                  error={Boolean(fields.cash)}
                  errorId="cash-error"
                />
                <p className="field-hint" id="cash-hint">
                  {t("handover.cashHint")}
                </p>
                <FieldError id="cash-error" problem={fields.cash} />
              </div>
            ) : null}
            <SubmitButton
              name="intent"
              value="handOver"
              className="button button-primary button-block button-big"
            >
              {t("handover.confirm")}
            </SubmitButton>
          </Form>
        ) : null}
      </>
    );
  }

  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{t("handover.title")}</h1>
      <Form method="post" className="form code-form">
        <FormAlert problem={result?.problem} id="lookup-problem" />
        <label htmlFor="code" className="field-label">
          {t("handover.codeTitle")}
        </label>
        <KeypadField
          id="code"
          name="code"
          kind="code"
          defaultValue={typed?.code ?? ""}
          hintId="code-hint"
          error={Boolean(fields.code)}
          errorId="code-error"
          key={result?.idempotencyKey ?? "enter"}
        />
        <p className="field-hint" id="code-hint">
          {t("handover.codeHint")}
        </p>
        <FieldError id="code-error" problem={fields.code} />
        <SubmitButton name="intent" value="lookup" className="button button-primary button-block button-big">
          {t("handover.find")}
        </SubmitButton>
      </Form>

      {step === "several" && result ? (
        <section aria-labelledby="several-title">
          <h2 id="several-title">{spacedCode(result.typed.code)}</h2>
          <p className="notice">{t("handover.several")}</p>
          <ul className="card-list">
            {result.matches.map((match) => (
              <li key={match.orderId}>
                <Form method="post" className="card-link">
                  <input type="hidden" name="orderId" value={match.orderId} />
                  <input type="hidden" name="code" value={result.typed.code} />
                  <input type="hidden" name="via" value="code" />
                  <span className="card-title">{match.buyerName}</span>
                  <span>
                    {t("handover.phoneTail", { tail: match.phoneTail })} · <Money fen={match.totalFen} />
                  </span>
                  {!match.canHandOver ? (
                    <span className="muted">{t("staffForm.problems.notReady")}</span>
                  ) : null}
                  <button type="submit" name="intent" value="choose" className="button button-block">
                    {t("handover.chooseThis")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="ready-title">
        <h2 id="ready-title">{t("handover.listTitle")}</h2>
        <p className="muted">{t("handover.listHint")}</p>
        {loaded.ready.length === 0 ? (
          <p className="muted">{t("handover.listEmpty")}</p>
        ) : (
          <ul className="card-list">
            {loaded.ready.map((entry) => (
              <li key={entry.id}>
                <Link
                  to={`?orderId=${encodeURIComponent(entry.id)}`}
                  className="card-link"
                  data-order-id={entry.id}
                >
                  <span className="card-title">{entry.name}</span>
                  <span>
                    {formatPhone(entry.phone)} · <Money fen={entry.totalFen} />
                  </span>
                  <span className="muted">
                    {t("order.title")} {shortOrderId(entry.id)}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/**
 * The proof for an order opened from the list (only the chosen way's fields show: styles.css, .proof-choice,
 * which needs no script): the buyer's code; for an order placed for a villager, also
 * the villager's phone with an SMS code, or an ID check. One radio chooses which the agent gives.
 */
function ProofFields({
  forVillager,
  typed,
  fields,
  smsSentTo,
}: {
  forVillager: boolean;
  typed: Partial<Typed> | undefined;
  fields: Partial<Record<Field, FieldProblem>>;
  smsSentTo: string | null;
}) {
  const { t } = useStaffTranslation();
  const chosen = smsSentTo || fields.smsCode || fields.smsPhone ? "sms" : fields.idLast4 ? "id" : "code";
  const codeField = (
    <CodeField
      name="code"
      label={t("handover.askCode")}
      hint={t("handover.codeHint")}
      problem={fields.code}
    />
  );
  if (!forVillager) {
    return (
      <>
        <input type="hidden" name="proof" value="code" />
        {codeField}
      </>
    );
  }
  return (
    <fieldset className="field proof-choice">
      <legend className="field-label">{t("handover.proofTitle")}</legend>
      <p className="field-hint">{t("handover.villagerNoCode")}</p>
      <ProofChoice value="code" chosen={chosen} label={t("handover.proofCode")} />
      <div className="proof-fields proof-fields-code">{codeField}</div>
      <ProofChoice value="sms" chosen={chosen} label={t("handover.proofSms")} />
      <div className="proof-fields proof-fields-sms">
        <div className="field">
          <label htmlFor="smsPhone" className="field-label">
            {t("handover.smsPhone")}
          </label>
          <input
            id="smsPhone"
            name="smsPhone"
            type="tel"
            inputMode="numeric"
            autoComplete="off"
            maxLength={11}
            defaultValue={typed?.smsPhone ?? ""}
            aria-invalid={Boolean(fields.smsPhone)}
            aria-describedby={fields.smsPhone ? "smsPhone-error" : undefined}
          />
          <FieldError id="smsPhone-error" problem={fields.smsPhone} />
          <SubmitButton name="intent" value="sendSms" className="button button-block">
            {t("handover.smsSend")}
          </SubmitButton>
          {smsSentTo ? (
            <p className="notice notice-info" role="status">
              {t("handover.smsSent", { to: smsSentTo })}
            </p>
          ) : null}
        </div>
        <CodeField
          name="smsCode"
          label={t("handover.smsCode")}
          hint={t("handover.smsCodeHint")}
          problem={fields.smsCode}
        />
      </div>
      <ProofChoice value="id" chosen={chosen} label={t("handover.proofId")} />
      <div className="proof-fields proof-fields-id field">
        <label htmlFor="idType" className="field-label">
          {t("handover.idType")}
        </label>
        <select id="idType" name="idType" defaultValue={typed?.idType ?? "resident_id"}>
          {ID_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`handover.idTypes.${type}`)}
            </option>
          ))}
        </select>
        <label htmlFor="idLast4" className="field-label">
          {t("handover.idLast4")}
        </label>
        <input
          id="idLast4"
          name="idLast4"
          type="text"
          autoComplete="off"
          maxLength={4}
          defaultValue={typed?.idLast4 ?? ""}
          aria-invalid={Boolean(fields.idLast4)}
          aria-describedby="idLast4-hint"
        />
        <p className="field-hint" id="idLast4-hint">
          {t("handover.idHint")}
        </p>
        <FieldError id="idLast4-error" problem={fields.idLast4} />
      </div>
    </fieldset>
  );
}

/** One way of checking the buyer, as a radio card; the chosen way's fields show below it. */
function ProofChoice({
  value,
  chosen,
  label,
}: {
  value: "code" | "sms" | "id";
  chosen: string;
  label: string;
}) {
  return (
    <label className="choice">
      <input type="radio" name="proof" value={value} defaultChecked={chosen === value} />
      <span className="choice-body">
        <span className="choice-title">{label}</span>
      </span>
    </label>
  );
}

/** A 6-digit code typed on the keypad: the buyer's pickup code, or the SMS code sent to a villager. */
function CodeField({
  name,
  label,
  hint,
  problem,
}: {
  name: "code" | "smsCode";
  label: string;
  hint: string;
  problem?: FieldProblem;
}) {
  return (
    <div className="field">
      <label htmlFor={name} className="field-label">
        {label}
      </label>
      <KeypadField
        id={name}
        name={name}
        kind="code"
        defaultValue=""
        hintId={`${name}-hint`}
        error={Boolean(problem)}
        errorId={`${name}-error`}
      />
      <p className="field-hint" id={`${name}-hint`}>
        {hint}
      </p>
      <FieldError id={`${name}-error`} problem={problem} />
    </div>
  );
}

function Done({
  done,
}: {
  done: { name: string; totalFen: number; cashFen: number | null; method: string; changeFen: number };
}) {
  const { t } = useStaffTranslation();
  return (
    <>
      <h1>{t("handover.doneTitle")}</h1>
      <div className="confirm-box change-box" role="status">
        <p>{done.name}</p>
        {done.cashFen !== null ? (
          <>
            <p className="change-label">{t("handover.change")}</p>
            <p className="change-amount" data-testid="change">
              <Money fen={done.changeFen} />
            </p>
            {done.changeFen === 0 ? <p>{t("handover.noChange")}</p> : null}
          </>
        ) : (
          <p>
            {done.method === "consignor_balance" ? t("handover.paidByBalance") : t("handover.paidOnline")}
          </p>
        )}
      </div>
      <dl className="facts">
        <div className="fact">
          <dt>{t("handover.collect")}</dt>
          <dd>
            <Money fen={done.totalFen} />
          </dd>
        </div>
        {done.cashFen !== null ? (
          <div className="fact">
            <dt>{t("handover.received")}</dt>
            <dd>
              <Money fen={done.cashFen} />
            </dd>
          </div>
        ) : null}
      </dl>
      <Link to="/staff/orders/handover" className="button button-primary button-block button-big">
        {t("handover.next")}
      </Link>
    </>
  );
}
