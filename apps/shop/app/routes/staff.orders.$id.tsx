import { RefundOrder, ShipOrder } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { Money } from "../components/Money";
import { OrderHistory } from "../components/orders/OrderHistory";
import { OrderLines, OrderTotals } from "../components/orders/OrderLines";
import { OrderStatus } from "../components/orders/OrderStatus";
import { BackLink, Fact, FormAlert, FormKey } from "../components/staff/FormBits";
import { PrintButton } from "../components/staff/PrintButton";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { StaffForm, SubmitButton, TextField, useStaffForm } from "../components/staff/StaffForm";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatDateTime } from "../lib/dates";
import type { StaffRole } from "../lib/domain";
import { formatPhone } from "../lib/format";
import { pageMeta } from "../lib/meta";
import { shortOrderId, staffActions } from "../lib/orders";
import type { Order } from "../lib/orders-api.server";
import { placeNames } from "../lib/places.server";
import { formKey, newFormKey, requireRole, staffFailure } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm, staffReply } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

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

/** One form per step, told apart by its button's intent; shipping and the steps that need a reason carry fields. */
const StepForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.enum(["pack", "dispatch", "deliver"]) }),
  ShipOrder.extend({ intent: z.literal("ship") }),
  RefundOrder.extend({ intent: z.enum(["cancel", "refund", "unlockPickup"]) }),
]);
type Step = z.infer<typeof StepForm>["intent"];

const DONE: Record<Step, string> = {
  pack: "pack",
  dispatch: "dispatch",
  ship: "ship",
  deliver: "deliver",
  cancel: "cancel",
  refund: "refund",
  unlockPickup: "unlocked",
};

/**
 * What this person may do to the order now: its fulfilment steps (the hand-over has its own screen), and
 * for an admin, letting the code be tried again on an order locked after 5 wrong ones (the API audits it).
 */
function mayTake(order: Order, role: StaffRole, intent: unknown): boolean {
  if (intent === "unlockPickup") return role === "admin" && order.pickupLocked;
  return intent !== "handOver" && (staffActions(order, role) as unknown[]).includes(intent);
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["admin", "warehouse", "agent"]);
  const api = getApi(context, request);
  const id = params.id ?? "";
  const form = await request.formData();
  const order = await api.getOrder(token, id).catch(staffFailure(request));
  const submission = parseStaffForm(form, StepForm, { trackingNumber: "tracking" });
  if (!mayTake(order, user.role, form.get("intent"))) {
    return staffReply(submission, { problem: "invalidState", status: 409 });
  }
  if (submission.status !== "success") return staffReply(submission);
  const step = submission.value;
  const key = formKey(form);
  try {
    if (step.intent === "ship") await api.shipOrder(token, id, key, step.trackingNumber);
    else if (step.intent === "unlockPickup") await api.unlockPickup(token, id, key, step.reason);
    else if (step.intent === "cancel" || step.intent === "refund")
      await api.cancelOrder(token, id, key, step.reason);
    else if (step.intent === "pack") await api.packOrder(token, id, key);
    else if (step.intent === "dispatch") await api.dispatchOrder(token, id, key);
    else await api.deliverOrder(token, id, key);
  } catch (error) {
    return staffReply(submission, apiErrorToReply(error, ["trackingNumber", "reason"]));
  }
  return redirect(`/staff/orders/${encodeURIComponent(id)}?done=${DONE[step.intent]}`);
}

const DONE_KEYS = ["pack", "dispatch", "ship", "deliver", "cancel", "refund", "placed", "unlocked"] as const;

export default function StaffOrderPage() {
  const { order, places, actions, role, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useStaffTranslation();
  const key = result?.idempotencyKey ?? idempotencyKey;
  const cancelIntent = actions.includes("refund") ? "refund" : "cancel";
  const [unlockForm, unlockFields] = useStaffForm<"reason">(result, { intent: "unlockPickup" });
  const [shipForm, shipFields] = useStaffForm<"trackingNumber">(result, { intent: "ship" });
  const [cancelForm, cancelFields] = useStaffForm<"reason">(result, { intent: cancelIntent });
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
              <StaffForm form={unlockForm} idempotencyKey={key} aria-label={t("staffOrder.unlockTitle")}>
                <TextField
                  field={unlockFields.reason}
                  id="unlock-reason"
                  label={t("staffOrder.unlockReason")}
                  className="field"
                  required
                  maxLength={200}
                />
                <SubmitButton name="intent" value="unlockPickup" className="button button-block">
                  {t("staffOrder.unlock")}
                </SubmitButton>
              </StaffForm>
            ) : null}
          </div>
        ) : null}
        {actions.length === 0 ? <p className="muted">{t("staffOrder.noActions")}</p> : null}
        <div className="button-stack">
          {actions.includes("pack") ? (
            <Form method="post">
              <FormKey value={key} />
              <SubmitButton
                name="intent"
                value="pack"
                className="button button-primary button-block button-big"
              >
                {t("staffOrder.pack")}
              </SubmitButton>
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
              <SubmitButton
                name="intent"
                value="dispatch"
                className="button button-primary button-block button-big"
              >
                {t("staffOrder.dispatch")}
              </SubmitButton>
            </Form>
          ) : null}
          {actions.includes("ship") ? (
            <StaffForm form={shipForm} idempotencyKey={key}>
              <TextField
                field={shipFields.trackingNumber}
                label={t("staffOrder.trackingNumber")}
                required
                minLength={3}
                maxLength={60}
                autoComplete="off"
              />
              <SubmitButton
                name="intent"
                value="ship"
                className="button button-primary button-block button-big"
              >
                {t("staffOrder.ship")}
              </SubmitButton>
            </StaffForm>
          ) : null}
          {actions.includes("deliver") ? (
            <Form method="post">
              <FormKey value={key} />
              <SubmitButton
                name="intent"
                value="deliver"
                className="button button-primary button-block button-big"
              >
                {t("staffOrder.deliver")}
              </SubmitButton>
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
          <details className="edit-box" open={Boolean(cancelFields.reason.errors)}>
            <summary>{t(`staffOrder.${cancelIntent}`)}</summary>
            <StaffForm form={cancelForm} idempotencyKey={key} className="form form-danger">
              <TextField
                field={cancelFields.reason}
                label={t("staffOrder.reason")}
                required
                maxLength={200}
                placeholder={t("staffOrder.reasonPlaceholder")}
              />
              <SubmitButton name="intent" value={cancelIntent} className="button button-danger button-block">
                {t(`staffOrder.${cancelIntent}`)}
              </SubmitButton>
            </StaffForm>
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
