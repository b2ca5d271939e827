import { useTranslation } from "react-i18next";
import { localized } from "../../i18n";
import { formatDateTime } from "../../lib/dates";
import { shortOrderId } from "../../lib/orders";
import type { Order } from "../../lib/orders-api.server";
import { OrderLines, OrderTotals } from "../orders/OrderLines";
import { OrderStatus } from "../orders/OrderStatus";
import { PickupCode } from "../orders/PickupCode";

const LIVE = ["confirmed", "paid", "packed", "ready_for_pickup"];

/**
 * One order as a buyer who came back sees it (signed in by phone, or looked up by phone + code): status,
 * where to collect, the goods and the total. The pickup code shows only when the answer carries it (a
 * look-up, where the buyer typed it); a session cannot know it, so the page says where it is.
 */
export function BuyerOrderSummary({ order }: { order: Order }) {
  const { t, i18n } = useTranslation();
  const pickup = order.fulfilment.type === "pickup";
  const pointName = order.fulfilment.servicePointName
    ? localized(order.fulfilment.servicePointName, i18n.language)
    : null;
  const live = LIVE.includes(order.status);
  return (
    <article className="order-page" aria-labelledby="order-title" data-order-id={order.id}>
      <h1 id="order-title" className="order-title">
        {t("order.title")} <span className="order-no">{shortOrderId(order.id)}</span>
      </h1>
      <p className="order-status-line">
        <OrderStatus status={order.status} />
      </p>
      {pickup && live && order.pickupCode ? <PickupCode code={order.pickupCode} where={pointName} /> : null}
      {pickup && live && !order.pickupCode ? (
        <p className="notice notice-info" data-testid="code-in-sms">
          {t("buyer.codeInSms")}
        </p>
      ) : null}
      <dl className="facts">
        {pickup && pointName && !(live && order.pickupCode) ? (
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
        <div className="fact">
          <dt>{t("order.placedAt")}</dt>
          <dd>{formatDateTime(order.createdAt, i18n.language)}</dd>
        </div>
      </dl>
      <OrderLines lines={order.items} />
      <OrderTotals
        subtotalFen={order.subtotalFen}
        deliveryFeeFen={order.fulfilment.type === "delivery" ? order.deliveryFeeFen : null}
        totalFen={order.totalFen}
        labels={{
          subtotal: t("order.subtotal"),
          deliveryFee: t("order.deliveryFee"),
          total: t("order.total"),
        }}
      />
    </article>
  );
}
