import { createCookie } from "@remix-run/node";
import { RemixI18Next } from "remix-i18next/server";
import {
  DEFAULT_LANGUAGE,
  isLanguage,
  LANGUAGE_PARAM,
  type Language,
  type Namespace,
  SUPPORTED_LANGUAGES,
} from "./i18n";
import { serverI18nConfig } from "./locales/resources.server";

/** Remembers the language a person picked with the switch, for a year. Not secret, so not signed. */
export const languageCookie = createCookie(LANGUAGE_PARAM, {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

/**
 * The language of a request: `?lng=` first (the switch's links), then the `lng` cookie, then Chinese.
 * The browser's Accept-Language is deliberately not consulted: a villager's borrowed phone set to
 * English must still show Chinese unless someone picks English (docs/decisions/0005-i18n.md).
 */
export const i18nServer = new RemixI18Next({
  detection: {
    order: ["searchParams", "cookie"],
    searchParamKey: LANGUAGE_PARAM,
    cookie: languageCookie,
    supportedLanguages: [...SUPPORTED_LANGUAGES],
    fallbackLanguage: DEFAULT_LANGUAGE,
  },
  i18next: { ...serverI18nConfig },
});

/** A Set-Cookie header value when the request chose a language by query, otherwise null. */
export async function rememberLanguage(request: Request, language: string): Promise<string | null> {
  if (!new URL(request.url).searchParams.has(LANGUAGE_PARAM)) return null;
  const current = await languageCookie.parse(request.headers.get("Cookie"));
  if (current === language) return null;
  return languageCookie.serialize(language);
}

/** The request's language, narrowed to the supported ones. */
export async function getLanguage(request: Request): Promise<Language> {
  const language = await i18nServer.getLocale(request);
  return isLanguage(language) ? language : DEFAULT_LANGUAGE;
}

/**
 * A translate function in the request's language, for text a loader returns (page titles): buyer words by
 * default, `getT(request, "staff")` in staff routes (staff words and, through the fallback, buyer words).
 */
export function getT<N extends Namespace = "common">(request: Request, namespace?: N) {
  return i18nServer.getFixedT<N>(request, namespace ?? ("common" as N));
}
