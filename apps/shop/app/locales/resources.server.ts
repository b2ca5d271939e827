import { i18nConfig, type Language } from "../i18n";
import { enCommon } from "./common.en";
import { type CommonCatalog, zhCNCommon } from "./common.zh-CN";
import { enStaff } from "./staff.en";
import { type StaffCatalog, zhCNStaff } from "./staff.zh-CN";

/**
 * Every catalog, for the server (and tests): it renders any page in either language, then hands the browser only
 * what that page needs (decision 0033). `.server` keeps this module out of the browser's bundles.
 */
export const resources = {
  "zh-CN": { common: zhCNCommon, staff: zhCNStaff },
  en: { common: enCommon, staff: enStaff },
} satisfies Record<Language, { common: CommonCatalog; staff: StaffCatalog }>;

/** i18next options of a server-side instance: both namespaces of both languages. */
export const serverI18nConfig = { ...i18nConfig, ns: ["common", "staff"], resources };
