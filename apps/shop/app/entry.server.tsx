import { PassThrough } from "node:stream";
import type { ActionFunctionArgs, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { createInstance } from "i18next";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { env } from "./env.server";
import { i18nServer } from "./i18next.server";
import { browserCookieIfMissing } from "./lib/client-identity.server";
import { crossSiteRefusal, isCrossSiteAction } from "./lib/cross-site.server";
import { NonceContext } from "./lib/nonce";
import { createNonce, setBasicSecurityHeaders, setSecurityHeaders } from "./lib/security-headers.server";
import { serverI18nConfig } from "./locales/resources.server";

/** How long deferred loader data may take before the stream gives up on it (single fetch). */
export const streamTimeout = 5_000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  // One i18next instance per request, in the language chosen for it (query → cookie → Chinese).
  const i18n = createInstance();
  const language = await i18nServer.getLocale(request);
  await i18n
    .use(initReactI18next)
    .init({ ...serverI18nConfig, lng: language, react: { useSuspense: false } });

  // Every visit starts with a page: that is when a browser gets its id for the API (lib/client-identity.server.ts).
  const browserId = await browserCookieIfMissing(request);
  if (browserId) responseHeaders.append("Set-Cookie", browserId);

  const nonce = createNonce();
  setSecurityHeaders(responseHeaders, {
    nonce,
    production: env.NODE_ENV === "production",
    development: env.NODE_ENV === "development",
  });

  // Crawlers get the whole page at once; people get the shell first and deferred parts as they arrive.
  const waitForAll = isbot(request.headers.get("user-agent")) || remixContext.isSpaMode;

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <I18nextProvider i18n={i18n}>
          <RemixServer context={remixContext} url={request.url} nonce={nonce} />
        </I18nextProvider>
      </NonceContext.Provider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors before the shell is sent are logged by Remix itself.
          if (shellRendered) console.error(error);
        },
      },
    );
    // Give rejected deferred data time to reach the page before the render is cut off.
    setTimeout(abort, streamTimeout + 1_000);
  });
}

/**
 * Single-fetch data answers (`.data`) get the basic security headers; an action Remix refused as
 * cross-site (its Origin is not this host) is answered 403 instead of Remix's bare 500.
 */
export async function handleDataRequest(
  response: Response,
  { request }: LoaderFunctionArgs | ActionFunctionArgs,
): Promise<Response> {
  if (isCrossSiteAction(request)) return crossSiteRefusal(request);
  setBasicSecurityHeaders(response.headers, { production: env.NODE_ENV === "production" });
  return response;
}

/** Remix's default (log it), except for cross-site refusals: an attempt refused is not a server error. */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted || isCrossSiteAction(request)) return;
  console.error(error);
}
