import { Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LANGUAGE_PARAM, type Language, SUPPORTED_LANGUAGES } from "../i18n";

const LABEL_KEY = { "zh-CN": "language.zh", en: "language.en" } as const;

/**
 * 中文 / English on every page. Plain links (`?lng=…` on the current page), so it works without
 * JavaScript; the server remembers the choice in the `lng` cookie. They load the whole document: the browser
 * holds only the current language's words, and the new page's HTML brings the other's (decision 0033).
 */
export function LanguageSwitch({ current }: { current: Language }) {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <nav className="lang-switch" aria-label={t("language.label")}>
      {SUPPORTED_LANGUAGES.map((language) => {
        const params = new URLSearchParams(location.search);
        params.set(LANGUAGE_PARAM, language);
        const active = language === current;
        return (
          <Link
            key={language}
            to={{ pathname: location.pathname, search: `?${params}` }}
            lang={language}
            hrefLang={language}
            aria-current={active ? "true" : undefined}
            className={active ? "lang-option lang-option-active" : "lang-option"}
            reloadDocument
          >
            {t(LABEL_KEY[language])}
          </Link>
        );
      })}
    </nav>
  );
}
