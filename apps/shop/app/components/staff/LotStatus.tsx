import type { LOT_STATUS_VALUES } from "@coop/shared/contract";
import { useStaffTranslation } from "../../staff-i18n";

type LotStatusValue = (typeof LOT_STATUS_VALUES)[number];

/** A lot's status in plain words, coloured by whether the goods can be sold. */
export function LotStatus({ status }: { status: LotStatusValue }) {
  const { t } = useStaffTranslation();
  const tone = status === "in_stock" ? "ok" : status === "rejected" || status === "blocked" ? "bad" : "plain";
  return <span className={`status status-${tone}`}>{t(`lotStatus.${status}`)}</span>;
}
