import { useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useStaffTranslation } from "../../staff-i18n";

/** A submit button's text that says 正在保存… while the form is on its way (inside a SubmitButton). */
export function SavingLabel({ children }: { children: ReactNode }) {
  const navigation = useNavigation();
  const { t } = useStaffTranslation();
  return <>{navigation.state === "submitting" ? t("staffCommon.saving") : children}</>;
}
