import type { Order } from "@coop/shared/contract";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../lib/dates";
import { OrderStatus } from "./OrderStatus";

/** What happened to an order, oldest first, with the time of each step (China time). */
export function OrderHistory({
  history,
  showNotes = false,
}: {
  history: Order["history"];
  showNotes?: boolean;
}) {
  const { i18n } = useTranslation();
  return (
    <ol className="timeline">
      {history.map((step, index) => (
        <li key={`${step.at}-${index}`} className="timeline-step">
          <OrderStatus status={step.status} />
          <span className="timeline-time">{formatDateTime(step.at, i18n.language)}</span>
          {showNotes && step.note ? <span className="timeline-note">{step.note}</span> : null}
        </li>
      ))}
    </ol>
  );
}
