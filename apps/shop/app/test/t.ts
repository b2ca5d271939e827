import { createInstance, type TFunction } from "i18next";
import type { Language, Namespace } from "../i18n";
import { serverI18nConfig } from "../locales/resources.server";

/**
 * The catalogs' translate function in one language, as a loader or a component would have it: the buyer words
 * (`common`) by default, `tIn(language, "staff")` for a staff screen's.
 */
export function tIn(language: Language): TFunction<"common">;
export function tIn(language: Language, namespace: "staff"): TFunction<"staff">;
export function tIn(language: Language, namespace: Namespace = "common") {
  const i18n = createInstance();
  void i18n.init({ ...serverI18nConfig, lng: language });
  return i18n.getFixedT(language, namespace);
}
