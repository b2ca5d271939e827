import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { type ReactNode, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useChangeLanguage } from "remix-i18next/react";
import { LanguageSwitch } from "./components/LanguageSwitch";
import { CATALOG_ELEMENT_ID, catalogJson, DEFAULT_LANGUAGE, isLanguage, type Language } from "./i18n";
import { getLanguage, getT, rememberLanguage } from "./i18next.server";
import { readCart } from "./lib/cart.server";
import { pageMeta } from "./lib/meta";
import { useNonce } from "./lib/nonce";
import stylesheet from "./styles.css?url";
import { useKeepOfflineScreen } from "./sw/register";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  // No favicon request: one round trip fewer on a slow connection.
  { rel: "icon", href: "data:," },
];

export const meta: MetaFunction = ({ matches }) => pageMeta(matches);

export async function loader({ request }: LoaderFunctionArgs) {
  const [locale, t, cart] = await Promise.all([getLanguage(request), getT(request), readCart(request)]);
  const setCookie = await rememberLanguage(request, locale);
  return data(
    { locale, appName: t("app.name"), cartLines: cart.lines.length },
    setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined,
  );
}

/** The document around every page, the error page included (so it too has the language switch). */
export function Layout({ children }: { children: ReactNode }) {
  const rootData = useRouteLoaderData<typeof loader>("root");
  const { t, i18n } = useTranslation();
  // Without root data (the root loader failed) the request's i18next instance still knows the language.
  const locale = rootData?.locale ?? (isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE);
  useChangeLanguage(locale);
  const { pathname } = useLocation();
  // The staff console has its own navigation; buyers get products, cart and orders on every page.
  const shopper = !pathname.startsWith("/staff");
  const cartLines = rootData?.cartLines ?? 0;
  const nonce = useNonce();

  return (
    <html lang={locale} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#1b5e20" />
        {/* The agent's phone may add the intake screens to its home screen (they also open offline). */}
        {shopper ? null : <link rel="manifest" href="/manifest.webmanifest" />}
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main" className="skip-link">
          {t("app.skipToContent")}
        </a>
        <header className="site-header">
          <div className="site-header-inner">
            <Link to="/" className="brand">
              {t("app.name")}
            </Link>
            <LanguageSwitch current={locale} />
          </div>
          {shopper ? (
            <nav className="shop-nav" aria-label={t("shopNav.label")}>
              <NavLink to="/products" className="shop-nav-link">
                {t("shopNav.products")}
              </NavLink>
              <NavLink to="/cart" className="shop-nav-link" data-testid="nav-cart">
                {cartLines > 0 ? t("shopNav.cartCount", { count: cartLines }) : t("shopNav.cart")}
              </NavLink>
              <NavLink to="/orders" className="shop-nav-link">
                {t("shopNav.orders")}
              </NavLink>
            </nav>
          ) : null}
        </header>
        <main id="main" className="page">
          {children}
        </main>
        <footer className="site-footer">
          <nav className="footer-links">
            <Link to="/">{t("nav.home")}</Link>
            <Link to="/products">{t("nav.products")}</Link>
            <Link to="/staff">{t("nav.staff")}</Link>
          </nav>
        </footer>
        <CatalogScript language={locale} />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/**
 * The page language's buyer catalog as JSON, read by entry.client.tsx before hydration (decision 0033): one
 * language, no request of its own. The browser renders the same text from what it read, so hydration matches.
 */
function CatalogScript({ language }: { language: Language }) {
  const { i18n } = useTranslation();
  const catalog = i18n.getResourceBundle(language, "common");
  const json = useMemo(() => catalogJson(catalog), [catalog]);
  return (
    <script
      id={CATALOG_ELEMENT_ID}
      type="application/json"
      // JSON with `<` escaped (catalogJson), not markup: no message can end the element.
      dangerouslySetInnerHTML={{ __html: json }}
    />
  );
}

export default function App() {
  // The intake screens open offline after one visit (docs/decisions/0023).
  useKeepOfflineScreen();
  return <Outlet />;
}

const ERROR_KIND = { 403: "forbidden", 404: "notFound", 503: "unavailable" } as const;

/** One error page for every status, in the reader's language. */
export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const kind = status === 403 || status === 404 || status === 503 ? ERROR_KIND[status] : "generic";
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">{t(`errors.${kind}.title`)}</h1>
      <p className="lead">{t(`errors.${kind}.text`)}</p>
      <p className="muted">{t("errors.code", { status })}</p>
      <p>
        <Link to="/" className="button button-primary">
          {t("nav.backHome")}
        </Link>
      </p>
    </section>
  );
}
