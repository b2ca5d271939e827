import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Money } from "../components/Money";
import { OrderHistory } from "../components/orders/OrderHistory";
import { OrderLines, OrderTotals } from "../components/orders/OrderLines";
import { OrderStatus } from "../components/orders/OrderStatus";
import { PickupCode } from "../components/orders/PickupCode";
import { FormKey } from "../components/staff/FormBits";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { ApiError, ApiUnavailableError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { formatDateTime } from "../lib/dates";
import { formKey, newFormKey } from "../lib/forms.server";
import { pageMeta } from "../lib/meta";
import { forgetOrders, tokenFor } from "../lib/my-orders";
import { readMyOrders, saveMyOrders } from "../lib/my-orders.server";
import { buyerCanCancel, cashDue, nextStep, shortOrderId } from "../lib/orders";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);

/** The buyer's order, by the access token this phone remembers; the API's 401/404 mean "not yours". */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const id = params.id ?? "";
  const [t, known] = await Promise.all([getT(request), readMyOrders(request)]);
  const token = tokenFor(known, id);
  const notFound = async (forget: boolean) =>
    data(
      { title: t("order.notFoundTitle"), order: null, idempotencyKey: "" },
      {
        status: 404,
        headers: forget ? { "Set-Cookie": await saveMyOrders(forgetOrders(known, [id])) } : undefined,
      },
    );
  if (!token) return notFound(false);
  try {
    const order = await getApi(context, request).getOrder(token, id);
    return data({ title: t("order.title"), order, idempotencyKey: newFormKey() });
  } catch (error) {
    if (error instanceof ApiUnavailableError) throw data(null, { status: 503 });
    if (error instanceof ApiError && [401, 403, 404].includes(error.status)) return notFound(true);
    throw error;
  }
}

/** The buyer cancels an unpaid order (POST /v1/orders/:id/cancel with their token, body {}). */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const id = params.id ?? "";
  const form = await request.formData();
  const token = tokenFor(await readMyOrders(request), id);
  if (!token || form.get("intent") !== "cancel") throw data(null, { status: 404 });
  const answer = (problem: "cannotCancel" | "problemUnavailable" | "problemInProgress", status: number) =>
    data({ problem, idempotencyKey: newFormKey() }, { status });
  try {
    await getApi(context, request).cancelOrder(token, id, formKey(form));
  } catch (error) {
    if (error instanceof ApiUnavailableError) return answer("problemUnavailable", 503);
    if (!(error instanceof ApiError)) throw error;
    if (error.code === "INVALID_STATE" || error.status === 403) return answer("cannotCancel", 409);
    if (error.code === "IDEMPOTENCY_IN_PROGRESS") return answer("problemInProgress", 409);
    if (error.status === 401 || error.status === 404) throw data(null, { status: 404 });
    throw error;
  }
  return redirect(`/orders/${encodeURIComponent(id)}?cancelled=1`);
}

export default function OrderPage() {
  const { order, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useTranslation();

  if (!order) {
    return (
      <section className="error-page" aria-labelledby="order-missing">
        <h1 id="order-missing">{t("order.notFoundTitle")}</h1>
        <p className="lead">{t("order.notFoundText")}</p>
        <Link to="/orders" className="button button-primary button-block">
          {t("order.myOrders")}
        </Link>
      </section>
    );
  }

  const step = nextStep(order);
  const pickup = order.fulfilment.type === "pickup";
  const live = !["picked_up", "delivered", "cancelled", "refunded"].includes(order.status);
  const pointName = order.fulfilment.servicePointName
    ? localized(order.fulfilment.servicePointName, i18n.language)
    : null;

  return (
    <article className="order-page" aria-labelledby="order-title">
      {searchParams.get("placed") ? (
        <p className="placed-banner" role="status">
          ✓ {t("order.placed")}
        </p>
      ) : null}
      {searchParams.get("cancelled") ? (
        <p className="notice notice-info" role="status">
          {t("order.cancelled")}
        </p>
      ) : null}
      {searchParams.get("paid") && order.status === "pending_payment" ? (
        <p className="notice notice-info" role="status">
          {t("order.paidNotice")}
        </p>
      ) : null}

      <h1 id="order-title" className="order-title">
        {t("order.title")} <span className="order-no">{shortOrderId(order.id)}</span>
      </h1>
      <p className="order-status-line">
        <OrderStatus status={order.status} />
      </p>

      {pickup && order.pickupCode && live ? <PickupCode code={order.pickupCode} where={pointName} /> : null}

      <dl className="facts">
        {pickup && pointName && !(order.pickupCode && live) ? (
          <div className="fact">
            <dt>{t("order.pickupAt")}</dt>
            <dd>{pointName}</dd>
          </div>
        ) : null}
        {!pickup && order.fulfilment.address ? (
          <div className="fact">
            <dt>{t("order.deliverTo")}</dt>
            <dd>{order.fulfilment.address}</dd>
          </div>
        ) : null}
        {order.fulfilment.trackingNumber ? (
          <div className="fact">
            <dt>{t("order.trackingNumber")}</dt>
            <dd>{order.fulfilment.trackingNumber}</dd>
          </div>
        ) : null}
        {cashDue(order) ? (
          <div className="fact fact-strong fact-cash">
            <dt>{t("order.cashDue")}</dt>
            <dd data-testid="cash-due">
              <Money fen={order.totalFen} />
            </dd>
          </div>
        ) : null}
      </dl>

      <section className="next-box" aria-labelledby="next-title">
        <h2 id="next-title">{t("order.nextTitle")}</h2>
        <p className="lead" data-testid="next-step">
          {t(`order.next.${step}`, {
            time: order.expiresAt ? formatDateTime(order.expiresAt, i18n.language) : "",
          })}
        </p>
        {order.status === "pending_payment" ? (
          <Link
            to={`/orders/${encodeURIComponent(order.id)}/pay`}
            className="button button-primary button-block button-big"
          >
            {t("order.pay")}
          </Link>
        ) : null}
      </section>

      <section aria-labelledby="items-title">
        <h2 id="items-title">{t("order.itemsTitle")}</h2>
        <OrderLines lines={order.items} />
        <OrderTotals
          subtotalFen={order.subtotalFen}
          deliveryFeeFen={pickup ? null : order.deliveryFeeFen}
          totalFen={order.totalFen}
          labels={{
            subtotal: t("order.subtotal"),
            deliveryFee: t("order.deliveryFee"),
            total: t("order.total"),
          }}
        />
      </section>

      <section aria-labelledby="payment-title">
        <h2 id="payment-title">{t("order.paymentTitle")}</h2>
        <dl className="facts">
          <div className="fact">
            <dt>{t("order.method")}</dt>
            <dd>{t(`paymentMethod.${order.payment.method}`)}</dd>
          </div>
          <div className="fact">
            <dt>{t("order.paymentState")}</dt>
            <dd>{t(`paymentStatus.${order.payment.status}`)}</dd>
          </div>
          {order.payment.refundedFen > 0 ? (
            <div className="fact">
              <dt>{t("order.refunded")}</dt>
              <dd>
                <Money fen={order.payment.refundedFen} />
              </dd>
            </div>
          ) : null}
        </dl>
      </section>

      <section aria-labelledby="history-title">
        <h2 id="history-title">{t("order.historyTitle")}</h2>
        <OrderHistory history={order.history} />
        <p className="muted order-id-line">{t("order.orderNo", { id: order.id })}</p>
      </section>

      {result?.problem ? (
        <p className="alert" role="alert">
          {t(`order.${result.problem}`)}
        </p>
      ) : null}
      {buyerCanCancel(order) ? (
        <details className="edit-box cancel-box">
          <summary>{t("order.cancel")}</summary>
          <p>{t("order.cancelConfirm")}</p>
          <Form method="post">
            <FormKey value={result?.idempotencyKey ?? idempotencyKey} />
            <button
              type="submit"
              name="intent"
              value="cancel"
              className="button button-danger button-block"
              disabled={navigation.state === "submitting"}
            >
              {t("order.cancelYes")}
            </button>
          </Form>
        </details>
      ) : null}

      <div className="button-stack">
        <Link to="/orders" className="button button-secondary button-block">
          {t("order.myOrders")}
        </Link>
        <Link to="/products" className="button button-quiet button-block">
          {t("order.keepShopping")}
        </Link>
      </div>
    </article>
  );
}
