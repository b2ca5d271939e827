import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Money } from "../components/Money";
import { OrderStatus } from "../components/orders/OrderStatus";
import { getT } from "../i18next.server";
import { ApiError, ApiUnavailableError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { formatDateTime } from "../lib/dates";
import { pageMeta } from "../lib/meta";
import { forgetOrders } from "../lib/my-orders";
import { readMyOrders, saveMyOrders } from "../lib/my-orders.server";
import { shortOrderId, spacedCode } from "../lib/orders";
import type { Order } from "../lib/orders-api.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);

/**
 * The orders placed on this phone (the cookie's list), each fetched with its own access token. Orders the
 * API no longer knows leave the list; an unreachable API leaves it as it is.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const [t, known] = await Promise.all([getT(request), readMyOrders(request)]);
  const api = getApi(context, request);
  const answers = await Promise.all(
    known.map((entry) =>
      api.getOrder(entry.token, entry.id).then(
        (order): Order | "gone" | "unavailable" => order,
        (error: unknown) => {
          if (error instanceof ApiError && [401, 403, 404].includes(error.status)) return "gone";
          if (error instanceof ApiUnavailableError) return "unavailable";
          throw error;
        },
      ),
    ),
  );
  const gone = known.filter((_, index) => answers[index] === "gone").map((entry) => entry.id);
  const orders = answers.filter((answer): answer is Order => typeof answer === "object");
  return data(
    {
      title: t("myOrders.title"),
      orders: orders.map((order) => ({
        id: order.id,
        status: order.status,
        totalFen: order.totalFen,
        createdAt: order.createdAt,
        pickupCode: order.pickupCode,
        lines: order.items.length,
      })),
      dropped: gone.length,
      unavailable: answers.includes("unavailable"),
    },
    gone.length ? { headers: { "Set-Cookie": await saveMyOrders(forgetOrders(known, gone)) } } : undefined,
  );
}

export default function MyOrders() {
  const { orders, dropped, unavailable } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <>
      <h1>{t("myOrders.title")}</h1>
      <p className="muted">{t("myOrders.intro")}</p>
      {dropped > 0 ? <p className="notice">{t("myOrders.dropped", { count: dropped })}</p> : null}
      {unavailable ? <p className="notice">{t("myOrders.unavailable")}</p> : null}
      {orders.length === 0 ? (
        <>
          <p className="lead">{t("myOrders.empty")}</p>
          <Link to="/products" className="button button-primary button-block">
            {t("order.keepShopping")}
          </Link>
        </>
      ) : (
        <ul className="card-list">
          {orders.map((order) => {
            const live = ["confirmed", "paid", "packed", "ready_for_pickup"].includes(order.status);
            return (
              <li key={order.id}>
                <Link
                  to={`/orders/${encodeURIComponent(order.id)}`}
                  className="card-link"
                  data-order-id={order.id}
                >
                  <span className="card-title">
                    {t("order.title")} {shortOrderId(order.id)}
                  </span>
                  <span>
                    <OrderStatus status={order.status} /> · <Money fen={order.totalFen} />
                  </span>
                  {live && order.pickupCode ? (
                    <strong className="code-inline">
                      {t("myOrders.code", { code: spacedCode(order.pickupCode) })}
                    </strong>
                  ) : null}
                  <span className="muted">{formatDateTime(order.createdAt, i18n.language)}</span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
