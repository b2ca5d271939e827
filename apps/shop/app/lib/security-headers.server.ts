import { randomBytes } from "node:crypto";
import { SETS_COOKIE_HEADER } from "../sw/policy";

/** A fresh nonce per response: the only inline scripts that run are the ones Remix renders with it. */
export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

/** Stripe's Payment Element: its script, its iframes and the API it calls (Stripe's documented CSP). */
const STRIPE_SCRIPTS = ["https://js.stripe.com", "https://*.js.stripe.com"];
const STRIPE_FRAMES = ["https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com"];
const STRIPE_CONNECT = ["https://api.stripe.com"];

/**
 * The page's Content-Security-Policy: scripts from the shop itself, Remix's inline ones by nonce, and
 * Stripe's; no framing by anyone (clickjacking on checkout and the staff console); forms post only back
 * to the shop. In development Vite's client also needs its websocket and the module preamble.
 */
export function contentSecurityPolicy(nonce: string, options: { development: boolean }): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", `'nonce-${nonce}'`, ...STRIPE_SCRIPTS],
    "style-src": ["'self'"],
    // The favicon is data:,; photos and QR codes come from the shop's own routes.
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'", ...STRIPE_CONNECT, ...(options.development ? ["ws:", "wss:"] : [])],
    "frame-src": STRIPE_FRAMES,
    // The staff console's service worker (/sw.js) and web app manifest come from the shop itself.
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}

/**
 * An answer that sets a cookie says so in a header the service worker can read (it cannot see `Set-Cookie`),
 * and the worker never keeps it for offline use: it belongs to one moment of one browser.
 */
function markCookieSetting(headers: Headers) {
  if (headers.has("Set-Cookie")) headers.set(SETS_COOKIE_HEADER, "1");
}

/** Headers every shop page carries. HSTS only in production: over plain http in dev it would stick. */
export function setSecurityHeaders(
  headers: Headers,
  options: { nonce: string; production: boolean; development: boolean },
): Headers {
  markCookieSetting(headers);
  headers.set("Content-Security-Policy", contentSecurityPolicy(options.nonce, options));
  headers.set("X-Frame-Options", "DENY");
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  if (options.production) headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  return headers;
}

/** For answers that are not pages (single-fetch data, refusals): everything but the page's policy. */
export function setBasicSecurityHeaders(headers: Headers, options: { production: boolean }): Headers {
  markCookieSetting(headers);
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.set("X-Frame-Options", "DENY");
  if (options.production) headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  return headers;
}
