import { createInstance } from "i18next";
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import type { Language } from "../i18n";
import { serverI18nConfig } from "../locales/resources.server";

/** Renders a component to HTML in one language, as the server would. */
export function renderIn(language: Language, node: ReactNode): string {
  const i18n = createInstance();
  void i18n.use(initReactI18next).init({ ...serverI18nConfig, lng: language, react: { useSuspense: false } });
  return renderToStaticMarkup(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);
}

/** The visible text of some HTML (tags removed), for assertions a reader would make. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/\s+/g, " ")
    .trim();
}
