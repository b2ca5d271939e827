import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { StrictMode, startTransition } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { CATALOG_ELEMENT_ID, DEFAULT_LANGUAGE, i18nConfig, isLanguage } from "./i18n";
import { registerServiceWorker } from "./sw/register";

// The server wrote the page's language into <html lang>; start in the same one so hydration matches.
const pageLanguage = document.documentElement.lang;
const language = isLanguage(pageLanguage) ? pageLanguage : DEFAULT_LANGUAGE;
// ...and that language's buyer catalog into the page (root.tsx `CatalogScript`): the only words this bundle
// needs before hydration, read without a request (decision 0033). Staff routes add their own (staff-i18n.ts).
const common = JSON.parse(document.getElementById(CATALOG_ELEMENT_ID)?.textContent || "{}");

i18next
  .use(initReactI18next)
  .init({
    ...i18nConfig,
    lng: language,
    resources: { [language]: { common } },
    react: { useSuspense: false },
  })
  .then(() => {
    startTransition(() => {
      hydrateRoot(
        document,
        <I18nextProvider i18n={i18next}>
          <StrictMode>
            <RemixBrowser />
          </StrictMode>
        </I18nextProvider>,
      );
    });
    // Staff pages: the intake screens keep working with no network (docs/decisions/0023).
    registerServiceWorker();
  });
