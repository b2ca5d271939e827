import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ReorderButton } from "../components/buyer/ReorderButton";
import { Money } from "../components/Money";
import { OrderStatus } from "../components/orders/OrderStatus";
import { getT } from "../i18next.server";
import { ApiError, ApiUnavailableError } from "../lib/api.server";
import { forgetBuyer, readBuyer } from "../lib/buyer-session.server";
import { getApi } from "../lib/context.server";
import { formatDateTime } from "../lib/dates";
import { formatPhone } from "../lib/format";
import { newFormKey } from "../lib/forms.server";
import { pageMeta } from "../lib/meta";
import { forgetOrders } from "../lib/my-orders";
import { readMyOrders, saveMyOrders } from "../lib/my-orders.server";
import { shortOrderId, spacedCode } from "../lib/orders";
import type { Order } from "../lib/orders-api.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);

type Row = ReturnType<typeof row>;

/** What a list row shows, and what 再买一次 puts in the cart. */
function row(order: Order, href: string) {
  return {
    id: order.id,
    href,
    status: order.status,
    totalFen: order.totalFen,
    createdAt: order.createdAt,
    pickupCode: order.pickupCode,
    // What 再买一次 needs of each line: its sale unit and count (or the base quantity of an older line).
    items: order.items.map((item) => ({
      productId: item.productId,
      quantity: item.quantity,
      saleUnit: item.saleUnit ? { id: item.saleUnit.id } : null,
      units: item.units,
    })),
    reorderKey: newFormKey(),
  };
}

/**
 * The buyer's orders. Signed in by phone: every order with that phone, from the API, newest first (other
 * devices' too, and those placed before signing in), then any order on this phone under another number.
 * Not signed in: the orders placed on this phone (the cookie's list), each fetched with its own access
 * token, and a prompt to sign in. Orders the API no longer knows leave the cookie's list; an unreachable
 * API leaves it as it is.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const [t, known, buyer] = await Promise.all([getT(request), readMyOrders(request), readBuyer(request)]);
  const api = getApi(context, request);
  const cursor = new URL(request.url).searchParams.get("cursor") ?? undefined;
  const headers = new Headers();

  let history: { rows: Row[]; nextCursor: string | null; phone: string } | null = null;
  let unavailable = false;
  if (buyer) {
    try {
      const page = await api.buyerOrders(buyer.token, cursor);
      history = {
        rows: page.items.map((order) => row(order, `/account/orders/${encodeURIComponent(order.id)}`)),
        nextCursor: page.nextCursor,
        phone: buyer.phone,
      };
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        // Expired or signed out elsewhere: back to this phone's own list, with the prompt to sign in.
        headers.append("Set-Cookie", await forgetBuyer(request));
      } else if (error instanceof ApiUnavailableError) {
        unavailable = true;
      } else throw error;
    }
  }

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
  const onThisPhone = answers.filter((answer): answer is Order => typeof answer === "object");
  if (history) {
    // An order placed on this phone keeps its pickup code and its own page (the access token is here).
    history.rows = history.rows.map((r) => {
      const local = onThisPhone.find((order) => order.id === r.id);
      return local ? { ...r, pickupCode: local.pickupCode, href: `/orders/${encodeURIComponent(r.id)}` } : r;
    });
  }
  const inHistory = new Set(history?.rows.map((r) => r.id));
  const device = onThisPhone
    // Signed in: orders already in the history show there once; on a later page, none here.
    .filter(
      (order) => !inHistory.has(order.id) && !(history && (cursor || order.contact.phone === history.phone)),
    )
    .map((order) => row(order, `/orders/${encodeURIComponent(order.id)}`));
  if (gone.length) headers.append("Set-Cookie", await saveMyOrders(forgetOrders(known, gone)));

  return data(
    {
      title: t("myOrders.title"),
      history,
      device,
      dropped: gone.length,
      unavailable: unavailable || answers.includes("unavailable"),
    },
    { headers },
  );
}

function OrderRows({ rows, testId }: { rows: readonly Row[]; testId: string }) {
  const { t, i18n } = useTranslation();
  return (
    <ul className="card-list" data-testid={testId}>
      {rows.map((order) => {
        const live = ["confirmed", "paid", "packed", "ready_for_pickup"].includes(order.status);
        return (
          <li key={order.id}>
            <Link to={order.href} className="card-link" data-order-id={order.id}>
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
            <ReorderButton items={order.items} formKey={order.reorderKey} />
          </li>
        );
      })}
    </ul>
  );
}

export default function MyOrders() {
  const { history, device, dropped, unavailable } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const nothing = (history?.rows.length ?? 0) === 0 && device.length === 0;
  return (
    <>
      <h1>{t("myOrders.title")}</h1>
      {history ? (
        <div className="signed-in-bar">
          <p className="lead" data-testid="signed-in-as">
            {t("buyer.signedInAs", { phone: formatPhone(history.phone) })}
          </p>
          <Form method="post" action="/account/sign-out">
            <button type="submit" className="button button-block">
              {t("buyer.signOut")}
            </button>
          </Form>
        </div>
      ) : (
        <>
          <p className="muted">{t("myOrders.intro")}</p>
          <div className="notice notice-info" data-testid="sign-in-prompt">
            <p>{t("buyer.signInPrompt.text")}</p>
            <Link to="/account/sign-in" className="button button-primary button-block button-big">
              {t("buyer.signInPrompt.action")}
            </Link>
          </div>
        </>
      )}
      {dropped > 0 ? <p className="notice">{t("myOrders.dropped", { count: dropped })}</p> : null}
      {unavailable ? <p className="notice">{t("myOrders.unavailable")}</p> : null}

      {history && history.rows.length > 0 ? (
        <section aria-labelledby="history-title">
          <h2 id="history-title">{t("buyer.historyTitle")}</h2>
          <OrderRows rows={history.rows} testId="history" />
          {history.nextCursor ? (
            <Link
              to={`/orders?cursor=${encodeURIComponent(history.nextCursor)}`}
              className="button button-block"
            >
              {t("buyer.moreOrders")}
            </Link>
          ) : null}
        </section>
      ) : null}

      {device.length > 0 ? (
        <section aria-labelledby={history ? "device-title" : undefined}>
          {history ? <h2 id="device-title">{t("buyer.deviceTitle")}</h2> : null}
          <OrderRows rows={device} testId="device-orders" />
        </section>
      ) : null}

      {nothing ? (
        <>
          <p className="lead">{history ? t("buyer.historyEmpty") : t("myOrders.empty")}</p>
          <Link to="/products" className="button button-primary button-block">
            {t("order.keepShopping")}
          </Link>
        </>
      ) : null}

      <p>
        <Link to="/orders/lookup">{t("buyer.lookup.link")}</Link>
      </p>
    </>
  );
}
