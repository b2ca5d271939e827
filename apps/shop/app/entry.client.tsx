import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { StrictMode, startTransition } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { DEFAULT_LANGUAGE, i18nConfig, isLanguage } from "./i18n";
import { registerServiceWorker } from "./sw/register";

// The server wrote the page's language into <html lang>; start in the same one so hydration matches.
const pageLanguage = document.documentElement.lang;

i18next
  .use(initReactI18next)
  .init({
    ...i18nConfig,
    lng: isLanguage(pageLanguage) ? pageLanguage : DEFAULT_LANGUAGE,
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
