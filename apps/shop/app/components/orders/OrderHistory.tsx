import type { Order } from "@coop/shared/contract";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../lib/dates";
import { orderProgressText } from "../../lib/line-text";
import { OrderStatus } from "./OrderStatus";

/** What happened to an order, oldest first, with the time of each step (China time). */
export function OrderHistory({
  history,
  showNotes = false,
}: {
  history: Order["history"];
  showNotes?: boolean;
}) {
  const { t, i18n } = useTranslation();
  return (
    <ol className="timeline">
      {history.map((step, index) => {
        const note = showNotes ? orderProgressText(step.noteLine, step.note, t, i18n.language) : null;
        return (
          <li key={`${step.at}-${index}`} className="timeline-step">
            <OrderStatus status={step.status} />
            <span className="timeline-time">{formatDateTime(step.at, i18n.language)}</span>
            {note ? <span className="timeline-note">{note}</span> : null}
          </li>
        );
      })}
    </ol>
  );
}
