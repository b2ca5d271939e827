import { parseYuan } from "@coop/shared";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Money } from "../components/Money";
import { OrderLines } from "../components/orders/OrderLines";
import { BackLink, FieldError, FormAlert, FormKey } from "../components/staff/FormBits";
import { KeypadField } from "../components/staff/KeypadField";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { getT } from "../i18next.server";
import { ApiError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { formatPhone } from "../lib/format";
import { findByPickupCode, ordersIn } from "../lib/handover.server";
import { pageMeta } from "../lib/meta";
import { shortOrderId, spacedCode } from "../lib/orders";
import type { Order } from "../lib/orders-api.server";
import {
  apiProblem,
  type FieldProblem,
  formKey,
  formProblem,
  newFormKey,
  requireRole,
  staffFailure,
  text,
} from "../lib/staff.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

type Field = "code" | "cash";

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
  };
}

/**
 * The agent's hand-over: find the order by the buyer's 6-digit code (typed with the big keypad) or pick
 * it from the point's ready orders, check the buyer, take the cash, hand over, give the change.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["agent", "admin"]);
  const url = new URL(request.url);
  const api = getApi(context, request);
  const fail = staffFailure(request);
  const code = (url.searchParams.get("code") ?? "").replace(/\D/g, "").slice(0, 6);
  const orderId = url.searchParams.get("orderId");
  const [t, ready] = await Promise.all([getT(request), ordersIn(api, token, "ready_for_pickup").catch(fail)]);
  const base = {
    title: t("handover.title"),
    ready: ready.map((order) => ({
      id: order.id,
      name: order.contact.name,
      phone: order.contact.phone,
      totalFen: order.totalFen,
    })),
    code,
    idempotencyKey: newFormKey(),
  };
  if (orderId) {
    const order = await api.getOrder(token, orderId).catch(fail);
    return { ...base, step: "order" as const, via: "list" as const, order: summary(order), matches: [] };
  }
  if (/^\d{6}$/.test(code)) {
    const found = await findByPickupCode(api, token, code).catch(fail);
    if (found.length === 1) {
      return {
        ...base,
        step: "order" as const,
        via: "code" as const,
        order: summary(found[0]!),
        matches: [],
      };
    }
    return {
      ...base,
      step: found.length === 0 ? ("notFound" as const) : ("several" as const),
      via: "code" as const,
      order: null,
      matches: found.map((order) => ({ id: order.id, name: order.contact.name, phone: order.contact.phone })),
    };
  }
  return { ...base, step: "enter" as const, via: "code" as const, order: null, matches: [] };
}

/** POST /v1/orders/:id/hand-over {pickupCode, cashReceivedFen?}; the answer carries the change. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["agent", "admin"]);
  const api = getApi(context, request);
  const form = await request.formData();
  const order = await api.getOrder(token, text(form, "orderId", 64)).catch(staffFailure(request));
  const typed = { cash: text(form, "cash", 20) };
  // By code: the code the buyer showed. From the list: the order's own (the agent checked the buyer).
  const typedCode = text(form, "code", 6);
  const pickupCode = /^\d{6}$/.test(typedCode) ? typedCode : order.pickupCode;
  if (!pickupCode) return formProblem<Field, { typed: typeof typed }>("invalidState", 409, {}, { typed });

  let cashReceivedFen: number | undefined;
  if (order.payment.method === "cash_on_pickup") {
    const cash = parseYuan(typed.cash);
    if (cash === null) {
      return formProblem<Field, { typed: typeof typed }>(
        "checkFields",
        400,
        { cash: typed.cash ? "money" : "required" },
        { typed },
      );
    }
    if (cash < order.totalFen) {
      return formProblem<Field, { typed: typeof typed }>(
        "checkFields",
        400,
        { cash: "cashShort" },
        { typed },
      );
    }
    cashReceivedFen = cash;
  }

  try {
    const after = await api.handOver(token, order.id, formKey(form), { pickupCode, cashReceivedFen });
    return data({
      ok: true as const,
      problem: null,
      fields: {} as Partial<Record<Field, FieldProblem>>,
      idempotencyKey: newFormKey(),
      typed,
      done: {
        orderId: after.id,
        name: after.contact.name,
        totalFen: after.totalFen,
        cashFen: cashReceivedFen ?? null,
        method: after.payment.method,
        changeFen: after.changeFen,
      },
    });
  } catch (error) {
    if (error instanceof ApiError && error.code === "INVALID_STATE") {
      return formProblem<Field, { typed: typeof typed }>("notReady", 409, {}, { typed });
    }
    if (error instanceof ApiError && error.code === "VALIDATION_FAILED") {
      const wrongCode = error.fields.some((issue) => issue.path === "pickupCode");
      return formProblem<Field, { typed: typeof typed }>(
        "checkFields",
        400,
        wrongCode ? { code: "wrongCode" } : { cash: "cashShort" },
        { typed },
      );
    }
    const problem = apiProblem<Field>(error);
    return formProblem(problem.data.problem, problem.init?.status ?? 400, problem.data.fields, { typed });
  }
}

export default function HandOverPage() {
  const { step, via, order, ready, matches, code, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const fields: Partial<Record<Field, FieldProblem>> = result?.fields ?? {};
  const done = result && "done" in result ? result.done : null;

  if (done) {
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

  if (step === "order" && order) {
    const pending = ["ready_for_pickup", "confirmed", "paid", "packed"].includes(order.status);
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
        {pending ? (
          <Form
            method="post"
            className="form"
            aria-describedby={result?.problem ? "handover-problem" : undefined}
          >
            <FormKey value={result?.idempotencyKey ?? idempotencyKey} />
            <input type="hidden" name="orderId" value={order.id} />
            {via === "code" ? <input type="hidden" name="code" value={code} /> : null}
            <FieldError id="code-error" problem={fields.code} />
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
                  defaultValue={result?.typed?.cash ?? ""}
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
            <button
              type="submit"
              className="button button-primary button-block button-big"
              disabled={navigation.state === "submitting"}
            >
              {t("handover.confirm")}
            </button>
          </Form>
        ) : null}
      </>
    );
  }

  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{t("handover.title")}</h1>
      <Form method="get" className="form code-form">
        <label htmlFor="code" className="field-label">
          {t("handover.codeTitle")}
        </label>
        <KeypadField
          id="code"
          name="code"
          kind="code"
          defaultValue={step === "enter" ? "" : code}
          hintId="code-hint"
          error={step === "notFound"}
          errorId="code-problem"
          key={code}
        />
        <p className="field-hint" id="code-hint">
          {t("handover.codeHint")}
        </p>
        {step === "notFound" ? (
          <p className="field-error" id="code-problem" role="alert">
            {t("handover.notFound")}
          </p>
        ) : null}
        <button type="submit" className="button button-primary button-block button-big">
          {t("handover.find")}
        </button>
      </Form>

      {step === "several" ? (
        <section aria-labelledby="several-title">
          <h2 id="several-title">{spacedCode(code)}</h2>
          <p className="notice">{t("handover.several")}</p>
          <ul className="card-list">
            {matches.map((match) => (
              <li key={match.id}>
                <Link to={`?${new URLSearchParams({ code, orderId: match.id })}`} className="card-link">
                  <span className="card-title">{match.name}</span>
                  <span>{formatPhone(match.phone)}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="ready-title">
        <h2 id="ready-title">{t("handover.listTitle")}</h2>
        {ready.length === 0 ? (
          <p className="muted">{t("handover.listEmpty")}</p>
        ) : (
          <ul className="card-list">
            {ready.map((entry) => (
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
