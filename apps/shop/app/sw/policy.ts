/**
 * What the shop's service worker does with a request, as plain functions of its address (so they are tested
 * in Node, not only in a browser). The worker serves the agent's intake screens without a network; the rest
 * of the staff console says plainly that it needs one; buyers' pages are never touched
 * (docs/decisions/0023-service-worker.md).
 */

/** The agent's intake screens: they open with no network after one online visit. */
export const OFFLINE_SCREENS = ["/staff/intake"] as const;

/** The intake screen itself: where the "needs a connection" page leads. */
export const INTAKE_SCREEN = "/staff/intake";

/** The products and villagers the intake screens keep for working offline (JSON, no query). */
export const OFFLINE_DATA_PATH = "/staff/sync/data";

/**
 * Set by the shop's server on any answer that sets a cookie. A service worker cannot see `Set-Cookie` (the
 * browser hides it from scripts), and such an answer belongs to one moment of one browser: never kept.
 */
export const SETS_COOKIE_HEADER = "X-Coop-Sets-Cookie";

/** The staff console: `/staff` and everything below it. */
export function isConsolePath(pathname: string): boolean {
  return pathname === "/staff" || pathname.startsWith("/staff/");
}

/** An intake screen (or a screen below one), by the document's path. */
export function isOfflineScreen(pathname: string): boolean {
  return OFFLINE_SCREENS.some((screen) => pathname === screen || pathname.startsWith(`${screen}/`));
}

/** Remix single fetch: a page's loader data is `<path>.data` (`/_root.data` for `/`). */
export function isSingleFetchData(url: URL): boolean {
  return url.pathname.endsWith(".data");
}

/**
 * The page a single-fetch data address belongs to, as Remix would navigate to it: `.data` dropped, Remix's
 * own `_routes` parameter dropped, the page's own query kept (`/staff/intake.data?_routes=root&x=1` →
 * `/staff/intake?x=1`).
 */
export function documentOf(url: URL): string {
  const pathname = url.pathname === "/_root.data" ? "/" : url.pathname.replace(/\.data$/, "");
  const search = new URLSearchParams(url.search);
  search.delete("_routes");
  const query = search.toString();
  return query ? `${pathname}?${query}` : pathname;
}

/** Lazy route discovery asks `/__manifest?p=…&version=…` for the routes of links on the page. */
export function isRouteManifest(url: URL): boolean {
  return url.pathname === "/__manifest";
}

const SESSION_CHANGES = ["/staff/logout", "/staff/logout.data", "/staff/login", "/staff/login.data"];

/**
 * A logout or a login (a plain form post or Remix's `.data` one): the copies of the last agent's screens and
 * villagers go with their session, so the next person on the phone never sees them offline.
 */
export function isSessionChange(url: URL): boolean {
  return SESSION_CHANGES.includes(url.pathname);
}

/** The products-and-villagers JSON itself; a search (`?q=`) is only ever answered by the network. */
export function isOfflineData(url: URL): boolean {
  return url.pathname === OFFLINE_DATA_PATH && url.search === "";
}

/**
 * Whether an answer may be kept for offline use: a whole, successful, same-origin answer (200, not reached
 * through a redirect, so a login page is never kept in place of a screen) that sets no cookie.
 */
export function mayKeep(response: Response): boolean {
  return (
    response.status === 200 &&
    !response.redirected &&
    (response.type === "basic" || response.type === "default") &&
    !response.headers.has(SETS_COOKIE_HEADER)
  );
}

/**
 * A single-fetch answer that makes Remix leave the page by a full document load of `to` (its own redirect
 * with `reloadDocument`, encoded as the server encodes it: turbo-stream). The worker answers a console page's
 * data with it when the network is gone, so the browser asks for the document and gets the "needs a
 * connection" page instead of an error screen.
 */
export function reloadDocumentPayload(to: string): string {
  // [symbol key, { redirect, status, revalidate, reload, replace }] flattened the way turbo-stream writes it:
  // each key and value once, objects as { "_<key index>": <value index> }.
  const flat = [
    ["SingleFetchRedirect", 1],
    { _2: 3, _4: 5, _6: 7, _8: 9, _10: 7 },
    "redirect",
    to,
    "status",
    302,
    "revalidate",
    false,
    "reload",
    true,
    "replace",
  ];
  return `${JSON.stringify(flat)}\n`;
}

/** Remix answers a single-fetch redirect with 202 (a 3xx would be followed by fetch itself). */
export const SINGLE_FETCH_REDIRECT_STATUS = 202;
