import type { Order } from "@coop/shared/contract";
import { useTranslation } from "react-i18next";

const TONE: Record<Order["status"], "ok" | "bad" | "plain" | "wait"> = {
  pending_payment: "wait",
  confirmed: "plain",
  paid: "plain",
  preordered: "wait",
  packed: "plain",
  shipped: "plain",
  ready_for_pickup: "ok",
  delivered: "ok",
  picked_up: "ok",
  cancelled: "bad",
  refunded: "bad",
};

/** An order's status in plain words, coloured: green when it is ready or done, red when cancelled. */
export function OrderStatus({ status }: { status: Order["status"] }) {
  const { t } = useTranslation();
  return (
    <span className={`status status-${TONE[status]}`} data-status={status}>
      {t(`orderStatus.${status}`)}
    </span>
  );
}
