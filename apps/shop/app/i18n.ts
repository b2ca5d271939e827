import type { InitOptions, TFunction } from "i18next";
import type { CommonCatalog } from "./locales/common.zh-CN";
import type { StaffCatalog } from "./locales/staff.zh-CN";

/** Chinese first: it is the default whatever the browser says. */
export const SUPPORTED_LANGUAGES = ["zh-CN", "en"] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "zh-CN";
/** The query parameter and the cookie that carry the chosen language. */
export const LANGUAGE_PARAM = "lng";

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (SUPPORTED_LANGUAGES as readonly string[]).includes(value);
}

/**
 * Two namespaces per language (decision 0033): `common`, the words of buyer pages, and `staff`, the staff
 * console's. The server holds all four catalogs (locales/resources.server.ts). A page's HTML carries the
 * `common` catalog of its language only (root.tsx `CatalogScript`), which the browser reads before hydration;
 * staff routes bring `staff` in their own chunk (staff-i18n.ts). This module holds no words, so importing it
 * ships none.
 */
export type Namespace = "common" | "staff";

/** i18next options shared by the server and the browser; each adds the resources it has. */
export const i18nConfig = {
  supportedLngs: [...SUPPORTED_LANGUAGES],
  fallbackLng: DEFAULT_LANGUAGE,
  defaultNS: "common",
  // A staff screen's t() (namespace `staff`) also finds the buyer words it shows (prices, order states).
  fallbackNS: "common",
  ns: ["common"],
  // React escapes output already.
  interpolation: { escapeValue: false },
  // Resources are in memory, so initialisation can finish synchronously (needed before hydration).
  initImmediate: false,
} satisfies InitOptions;

/** The id of the `<script type="application/json">` that carries the page language's `common` catalog. */
export const CATALOG_ELEMENT_ID = "i18n-common";

/**
 * A catalog as the text of a JSON script element: `<` escaped, so no message can close the element
 * (`</script>`) or open a comment; JSON.parse reads `\u003c` back as `<`.
 */
export function catalogJson(catalog: unknown): string {
  return JSON.stringify(catalog ?? {}).replace(/</g, "\\u003c");
}

/**
 * A translate function that knows the buyer words: a buyer page's t(), or a staff screen's (which finds them
 * through the fallback namespace). For helpers both kinds of page call (quantities, order progress).
 */
export type BuyerT = TFunction<"common"> | TFunction<"staff">;

/** Either kind as the buyer words' t(): what a staff t() does with a `common` key at runtime. */
export function asBuyerT(t: BuyerT): TFunction<"common"> {
  return t as TFunction<"common">;
}

/** Text stored in both languages (product names, descriptions) in the reader's language. */
export function localized(text: { zh: string; en: string }, language: string): string {
  return language === "en" ? text.en : text.zh;
}

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "common";
    // Typed as at runtime: keys of `common` are valid in a `staff` t() as well, never the other way round.
    fallbackNS: "common";
    resources: { common: CommonCatalog; staff: StaffCatalog };
  }
}
