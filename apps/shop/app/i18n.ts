import type { InitOptions } from "i18next";
import { en } from "./locales/en";
import { type Catalog, zhCN } from "./locales/zh-CN";

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
 * Both catalogs are bundled (they are a few kilobytes): no second request for translations, which
 * matters on a village connection.
 */
export const resources = {
  "zh-CN": { common: zhCN },
  en: { common: en },
} satisfies Record<Language, { common: Catalog }>;

/** i18next options shared by the server and the browser. */
export const i18nConfig = {
  supportedLngs: [...SUPPORTED_LANGUAGES],
  fallbackLng: DEFAULT_LANGUAGE,
  defaultNS: "common",
  ns: ["common"],
  resources,
  // React escapes output already.
  interpolation: { escapeValue: false },
  // Resources are in memory, so initialisation can finish synchronously (needed before hydration).
  initImmediate: false,
} satisfies InitOptions;

/** Text stored in both languages (product names, descriptions) in the reader's language. */
export function localized(text: { zh: string; en: string }, language: string): string {
  return language === "en" ? text.en : text.zh;
}

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "common";
    resources: { common: Catalog };
  }
}
