import { useHydrated } from "../../lib/hydrated";
import { useStaffTranslation } from "../../staff-i18n";

/** 打印: a button once scripts run; before that (or without them) a hint to use the browser's menu. */
export function PrintButton() {
  const { t } = useStaffTranslation();
  const hydrated = useHydrated();
  if (!hydrated) return <p className="muted no-print">{t("staffCommon.printHint")}</p>;
  return (
    <button
      type="button"
      className="button button-primary button-block no-print"
      onClick={() => window.print()}
    >
      {t("staffCommon.print")}
    </button>
  );
}
