import type { i18n as I18n } from "i18next";
import { useTranslation } from "react-i18next";
import { type Language, SUPPORTED_LANGUAGES } from "./i18n";
import { enStaff } from "./locales/staff.en";
import { type StaffCatalog, zhCNStaff } from "./locales/staff.zh-CN";

/**
 * The staff console's words (namespace `staff`, both languages). Only staff routes and their components import
 * this module, so its chunk is never part of a buyer page (decision 0033; locales/namespaces.test.ts holds it).
 */
const staffCatalogs = { "zh-CN": zhCNStaff, en: enStaff } satisfies Record<Language, StaffCatalog>;

/**
 * Adds the `staff` namespace to an i18next instance that lacks it: in the browser on the first staff render
 * (hydration of a staff page, or the first client-side visit to one), so the words are there before the first
 * t() call and the page renders as the server did. The server's instances have it already.
 */
export function addStaffCatalogs(i18n: I18n): void {
  for (const language of SUPPORTED_LANGUAGES) {
    if (!i18n.hasResourceBundle(language, "staff"))
      i18n.addResourceBundle(language, "staff", staffCatalogs[language]);
  }
}

/** useTranslation() of staff screens: staff keys, and the buyer (`common`) keys through the fallback. */
export function useStaffTranslation() {
  const { i18n } = useTranslation();
  addStaffCatalogs(i18n);
  return useTranslation("staff");
}
