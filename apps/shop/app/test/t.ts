import { createInstance, type TFunction } from "i18next";
import { i18nConfig, type Language } from "../i18n";

/** The catalogs' translate function in one language, as a loader or a component would have it. */
export function tIn(language: Language): TFunction {
  const i18n = createInstance();
  void i18n.init({ ...i18nConfig, lng: language });
  return i18n.getFixedT(language);
}
