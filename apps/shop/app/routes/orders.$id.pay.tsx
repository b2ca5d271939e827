import { data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Money } from "../components/Money";
import { StripePayment } from "../components/orders/StripePayment";
import { getT } from "../i18next.server";
import { ApiError } from "../lib/api.server";
import { apiFailure, getApi } from "../lib/context.server";
import { formatDateTime } from "../lib/dates";
import { useHydrated } from "../lib/hydrated";
import { pageMeta } from "../lib/meta";
import { tokenFor } from "../lib/my-orders";
import { readMyOrders, readPendingPayment } from "../lib/my-orders.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);

/**
 * The online payment step (card, Alipay, WeChat Pay through Stripe). The client secret comes from the
 * short-lived payment cookie set when the order was placed: the API gives it only once.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const id = params.id ?? "";
  const [t, known, pending] = await Promise.all([
    getT(request),
    readMyOrders(request),
    readPendingPayment(request),
  ]);
  const token = tokenFor(known, id);
  const orderPath = `/orders/${encodeURIComponent(id)}`;
  if (!token) throw redirect(orderPath);
  const api = getApi(context, request);
  const [order, options] = await Promise.all([
    api.getOrder(token, id).catch((error: unknown) => {
      if (error instanceof ApiError && [401, 403, 404].includes(error.status)) throw redirect(orderPath);
      return apiFailure(error);
    }),
    api.checkoutOptions().catch(apiFailure),
  ]);
  if (order.status !== "pending_payment") throw redirect(orderPath);
  return data({
    title: t("pay.title"),
    orderId: order.id,
    totalFen: order.totalFen,
    expiresAt: order.expiresAt,
    publishableKey: options.stripePublishableKey,
    clientSecret: pending?.orderId === order.id ? pending.clientSecret : null,
  });
}

export default function PayPage() {
  const { orderId, totalFen, expiresAt, publishableKey, clientSecret } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const hydrated = useHydrated();
  const orderPath = `/orders/${encodeURIComponent(orderId)}`;
  return (
    <>
      <h1>{t("pay.title")}</h1>
      <p className="balance">
        <span>{t("pay.amount")}</span> <Money fen={totalFen} />
      </p>
      {expiresAt ? <p>{t("pay.deadline", { time: formatDateTime(expiresAt, i18n.language) })}</p> : null}
      <p className="muted">{t("pay.intro")}</p>
      {!publishableKey || !clientSecret ? (
        <p className="notice">{t("pay.lost")}</p>
      ) : hydrated ? (
        <StripePayment
          publishableKey={publishableKey}
          clientSecret={clientSecret}
          returnPath={`${orderPath}?paid=1`}
        />
      ) : (
        <>
          <p className="muted">{t("pay.loading")}</p>
          <noscript>
            <p className="notice">{t("pay.needsScript")}</p>
          </noscript>
        </>
      )}
      <p>
        <Link to={orderPath} className="button button-secondary button-block">
          {t("pay.back")}
        </Link>
      </p>
    </>
  );
}
