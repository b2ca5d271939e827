import { RefundOrder, ShipOrder } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Money } from "../components/Money";
import { OrderHistory } from "../components/orders/OrderHistory";
import { OrderLines, OrderTotals } from "../components/orders/OrderLines";
import { OrderStatus } from "../components/orders/OrderStatus";
import { BackLink, Fact, FieldError, FormAlert, FormKey } from "../components/staff/FormBits";
import { PrintButton } from "../components/staff/PrintButton";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatDateTime } from "../lib/dates";
import { formatPhone } from "../lib/format";
import { pageMeta } from "../lib/meta";
import { type StaffAction, shortOrderId, staffActions } from "../lib/orders";
import { placeNames } from "../lib/places.server";
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
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

type Field = "trackingNumber" | "reason";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["admin", "warehouse", "agent"]);
  const api = getApi(context, request);
  const [t, order, places] = await Promise.all([
    getT(request, "staff"),
    api.getOrder(token, params.id ?? "").catch(staffFailure(request)),
    placeNames(api, token),
  ]);
  return {
    title: t("staffOrder.title", { no: shortOrderId(order.id) }),
    order,
    places,
    actions: staffActions(order, user.role),
    role: user.role,
    idempotencyKey: newFormKey(),
  };
}

const DONE: Record<StaffAction, string> = {
  pack: "pack",
  deliveryRun: "",
  dispatch: "dispatch",
  ship: "ship",
  deliver: "deliver",
  handOver: "",
  cancel: "cancel",
  refund: "refund",
};

/** One fulfilment step per form (pack, dispatch, ship, deliver, cancel), each with its own key. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["admin", "warehouse", "agent"]);
  const api = getApi(context, request);
  const id = params.id ?? "";
  const form = await request.formData();
  const intent = text(form, "intent", 20) as StaffAction;
  const key = formKey(form);
  const order = await api.getOrder(token, id).catch(staffFailure(request));
  const typed = { trackingNumber: text(form, "trackingNumber", 60), reason: text(form, "reason", 200) };
  if ((intent as string) === "unlockPickup") return unlockPickup(api, token, order, user.role, key, typed);
  if (!staffActions(order, user.role).includes(intent) || intent === "handOver") {
    return formProblem<Field, { typed: typeof typed }>("invalidState", 409, {}, { typed });
  }
  try {
    if (intent === "pack") await api.packOrder(token, id, key);
    if (intent === "dispatch") await api.dispatchOrder(token, id, key);
    if (intent === "deliver") await api.deliverOrder(token, id, key);
    if (intent === "ship") {
      const body = ShipOrder.safeParse({ trackingNumber: typed.trackingNumber });
      if (!body.success)
        return formProblem<Field, { typed: typeof typed }>(
          "checkFields",
          400,
          { trackingNumber: "tracking" },
          { typed },
        );
      await api.shipOrder(token, id, key, body.data.trackingNumber);
    }
    if (intent === "cancel" || intent === "refund") {
      const body = RefundOrder.safeParse({ reason: typed.reason });
      if (!body.success)
        return formProblem<Field, { typed: typeof typed }>(
          "checkFields",
          400,
          { reason: "required" },
          { typed },
        );
      await api.cancelOrder(token, id, key, body.data.reason);
    }
  } catch (error) {
    const problem = apiProblem<Field>(error, (path) =>
      path === "trackingNumber" ? "trackingNumber" : path === "reason" ? "reason" : null,
    );
    return formProblem(problem.data.problem, problem.init?.status ?? 400, problem.data.fields, { typed });
  }
  return redirect(`/staff/orders/${encodeURIComponent(id)}?done=${DONE[intent]}`);
}

/** An admin lets the code be tried again on an order locked after 5 wrong ones (the API audits it). */
async function unlockPickup(
  api: ReturnType<typeof getApi>,
  token: string,
  order: { id: string; pickupLocked: boolean },
  role: string,
  key: string,
  typed: { trackingNumber: string; reason: string },
) {
  if (role !== "admin" || !order.pickupLocked) {
    return formProblem<Field, { typed: typeof typed }>("invalidState", 409, {}, { typed });
  }
  if (!typed.reason.trim()) {
    return formProblem<Field, { typed: typeof typed }>("checkFields", 400, { reason: "required" }, { typed });
  }
  try {
    await api.unlockPickup(token, order.id, key, typed.reason.trim());
  } catch (error) {
    const problem = apiProblem<Field>(error, (path) => (path === "reason" ? "reason" : null));
    return formProblem(problem.data.problem, problem.init?.status ?? 400, problem.data.fields, { typed });
  }
  return redirect(`/staff/orders/${encodeURIComponent(order.id)}?done=unlocked`);
}

const DONE_KEYS = ["pack", "dispatch", "ship", "deliver", "cancel", "refund", "placed", "unlocked"] as const;

export default function StaffOrderPage() {
  const { order, places, actions, role, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useStaffTranslation();
  const key = result?.idempotencyKey ?? idempotencyKey;
  const fields: Partial<Record<Field, FieldProblem>> = result?.fields ?? {};
  const typed = result?.typed;
  const busy = navigation.state === "submitting";
  const done = DONE_KEYS.find((name) => name === searchParams.get("done"));
  const pickup = order.fulfilment.type === "pickup";
  const pointName = order.fulfilment.servicePointName
    ? localized(order.fulfilment.servicePointName, i18n.language)
    : "";
  const placeOf = (id: string) => (places[id] ? localized(places[id], i18n.language) : id);

  return (
    <>
      <BackLink to="/staff/orders">{t("staffOrders.title")}</BackLink>
      {done && !result ? (
        <p className="notice notice-info" role="status">
          {t(`staffOrder.done.${done}`)}
        </p>
      ) : null}
      <h1>{t("staffOrder.title", { no: shortOrderId(order.id) })}</h1>
      <p className="order-status-line">
        <OrderStatus status={order.status} />
      </p>

      <dl className="facts">
        <Fact label={t("staffOrder.buyer")} className="fact-strong">
          {order.contact.name}
        </Fact>
        <Fact label={t("staffOrder.phone")}>{formatPhone(order.contact.phone)}</Fact>
        <Fact label={t("staffOrder.fulfilment")}>
          {pickup ? t("staffOrder.pickupAt", { point: pointName }) : t("staffOrder.delivery")}
        </Fact>
        {!pickup && order.fulfilment.address ? (
          <Fact label={t("staffOrder.address")}>{order.fulfilment.address}</Fact>
        ) : null}
        {order.fulfilment.trackingNumber ? (
          <Fact label={t("staffOrder.tracking")}>{order.fulfilment.trackingNumber}</Fact>
        ) : null}
        <Fact label={t("staffOrder.payment")}>
          {t(`paymentMethod.${order.payment.method}`)} · {t(`paymentStatus.${order.payment.status}`)}
        </Fact>
        {order.payment.paidFen > 0 ? (
          <Fact label={t("staffOrder.paid")}>
            <Money fen={order.payment.paidFen} />
          </Fact>
        ) : null}
        <Fact label={t("staffOrder.placedAt")}>{formatDateTime(order.createdAt, i18n.language)}</Fact>
        {order.onBehalfOfConsignorId ? (
          <Fact label={t("staffOrder.forVillager")}>
            <Link
              to={`/staff/villagers/${encodeURIComponent(order.onBehalfOfConsignorId)}`}
              className="inline-link no-print"
            >
              {t("staffOrder.openVillager")}
            </Link>
          </Fact>
        ) : null}
      </dl>

      <section aria-labelledby="items-title">
        <h2 id="items-title">{t("staffOrder.itemsTitle")}</h2>
        <OrderLines
          lines={order.items}
          note={(line) => {
            const item = order.items.find((candidate) => candidate.id === line.id);
            return item ? t("staffOrder.from", { place: placeOf(item.locationId) }) : "";
          }}
        />
        <OrderTotals
          subtotalFen={order.subtotalFen}
          deliveryFeeFen={pickup ? null : order.deliveryFeeFen}
          totalFen={order.totalFen}
          labels={{
            subtotal: t("staffOrder.subtotal"),
            deliveryFee: t("staffOrder.deliveryFee"),
            total: t("staffOrder.total"),
          }}
        />
      </section>

      <section aria-labelledby="actions-title" className="no-print">
        <h2 id="actions-title">{t("staffOrder.actionsTitle")}</h2>
        <FormAlert problem={result?.problem} />
        {pickup && order.pickupLocked ? (
          <div className="alert" role="status">
            <p>{t("staffOrder.locked")}</p>
            {role === "admin" ? (
              <Form method="post" className="form" aria-label={t("staffOrder.unlockTitle")}>
                <FormKey value={key} />
                <label htmlFor="unlock-reason" className="field-label">
                  {t("staffOrder.unlockReason")}
                </label>
                <input
                  id="unlock-reason"
                  name="reason"
                  type="text"
                  required
                  maxLength={200}
                  aria-invalid={fields.reason ? true : undefined}
                  aria-describedby="unlock-reason-error"
                />
                <FieldError id="unlock-reason-error" problem={fields.reason} />
                <button
                  type="submit"
                  name="intent"
                  value="unlockPickup"
                  className="button button-block"
                  disabled={busy}
                >
                  {t("staffOrder.unlock")}
                </button>
              </Form>
            ) : null}
          </div>
        ) : null}
        {actions.length === 0 ? <p className="muted">{t("staffOrder.noActions")}</p> : null}
        <div className="button-stack">
          {actions.includes("pack") ? (
            <Form method="post">
              <FormKey value={key} />
              <button
                type="submit"
                name="intent"
                value="pack"
                className="button button-primary button-block button-big"
                disabled={busy}
              >
                {t("staffOrder.pack")}
              </button>
            </Form>
          ) : null}
          {actions.includes("deliveryRun") ? (
            <p>
              <Link to="/staff/deliveries" className="button button-block button-big">
                {t("staffOrder.viaDeliveryRun")}
              </Link>
            </p>
          ) : null}
          {actions.includes("dispatch") ? (
            <Form method="post">
              <FormKey value={key} />
              <button
                type="submit"
                name="intent"
                value="dispatch"
                className="button button-primary button-block button-big"
                disabled={busy}
              >
                {t("staffOrder.dispatch")}
              </button>
            </Form>
          ) : null}
          {actions.includes("ship") ? (
            <Form method="post" className="form">
              <FormKey value={key} />
              <div className="field">
                <label htmlFor="trackingNumber" className="field-label">
                  {t("staffOrder.trackingNumber")}
                </label>
                <input
                  id="trackingNumber"
                  name="trackingNumber"
                  type="text"
                  required
                  minLength={3}
                  maxLength={60}
                  autoComplete="off"
                  defaultValue={typed?.trackingNumber ?? ""}
                  aria-invalid={fields.trackingNumber ? true : undefined}
                  aria-describedby="trackingNumber-error"
                />
                <FieldError id="trackingNumber-error" problem={fields.trackingNumber} />
              </div>
              <button
                type="submit"
                name="intent"
                value="ship"
                className="button button-primary button-block button-big"
                disabled={busy}
              >
                {t("staffOrder.ship")}
              </button>
            </Form>
          ) : null}
          {actions.includes("deliver") ? (
            <Form method="post">
              <FormKey value={key} />
              <button
                type="submit"
                name="intent"
                value="deliver"
                className="button button-primary button-block button-big"
                disabled={busy}
              >
                {t("staffOrder.deliver")}
              </button>
            </Form>
          ) : null}
          {actions.includes("handOver") ? (
            <Link
              to={`/staff/orders/handover?orderId=${encodeURIComponent(order.id)}`}
              className="button button-primary button-block button-big"
            >
              {t("staffOrder.handOver")}
            </Link>
          ) : null}
        </div>
        {actions.includes("cancel") || actions.includes("refund") ? (
          <details className="edit-box" open={Boolean(fields.reason)}>
            <summary>{t(actions.includes("refund") ? "staffOrder.refund" : "staffOrder.cancel")}</summary>
            <Form method="post" className="form form-danger">
              <FormKey value={key} />
              <div className="field">
                <label htmlFor="reason" className="field-label">
                  {t("staffOrder.reason")}
                </label>
                <input
                  id="reason"
                  name="reason"
                  type="text"
                  required
                  maxLength={200}
                  placeholder={t("staffOrder.reasonPlaceholder")}
                  defaultValue={typed?.reason ?? ""}
                  aria-invalid={fields.reason ? true : undefined}
                  aria-describedby="reason-error"
                />
                <FieldError id="reason-error" problem={fields.reason} />
              </div>
              <button
                type="submit"
                name="intent"
                value={actions.includes("refund") ? "refund" : "cancel"}
                className="button button-danger button-block"
                disabled={busy}
              >
                {t(actions.includes("refund") ? "staffOrder.refund" : "staffOrder.cancel")}
              </button>
            </Form>
          </details>
        ) : null}
      </section>

      <section aria-labelledby="history-title">
        <h2 id="history-title">{t("staffOrder.historyTitle")}</h2>
        <OrderHistory history={order.history} showNotes />
        <p className="slip-id">{order.id}</p>
      </section>

      <div className="slip-actions no-print">
        <PrintButton />
      </div>
    </>
  );
}
