import type { RouteHandlerCallbackOptions, WorkboxPlugin } from "workbox-core";
import { ExpirationPlugin } from "workbox-expiration";
import { cleanupOutdatedCaches, precacheAndRoute } from "workbox-precaching";
import { registerRoute } from "workbox-routing";
import { NetworkFirst } from "workbox-strategies";
import { OFFLINE_PAGE_CSP } from "./offline-page";
import {
  documentOf,
  isConsolePath,
  isOfflineData,
  isOfflineScreen,
  isRouteManifest,
  isSessionChange,
  isSingleFetchData,
  mayKeep,
  OFFLINE_DATA_PATH,
  reloadDocumentPayload,
  SINGLE_FETCH_REDIRECT_STATUS,
} from "./policy";
import { isKeepScreenMessage, SKIP_WAITING, type WorkerScope } from "./scope";
import type { WorkerBuild } from "./worker-build";

/**
 * The shop's service worker (docs/decisions/0023-service-worker.md), built by app/sw/vite-plugin.ts after the
 * client build. It keeps the client build's scripts and styles, serves the agent's intake screens network
 * first and from its cache with no network, and answers every other console page offline with a page that
 * says so. Buyers' pages and every non-GET pass through untouched (a login or logout also empties the copies).
 */

declare const __COOP_SW_BUILD__: WorkerBuild;
const BUILD = __COOP_SW_BUILD__;
const worker = self as unknown as WorkerScope;

/** One cache of screens per worker version: a new version fills its own, the old one keeps serving until then. */
const SCREENS_PREFIX = "coop-screens-";
const SCREENS = `${SCREENS_PREFIX}${BUILD.version}`;

// The client build: hashed file names, so a file is fetched once per version and served from the cache.
precacheAndRoute(BUILD.precache);
cleanupOutdatedCaches();

const keepOnlyWhole: WorkboxPlugin = {
  cacheWillUpdate: async ({ response }) => (mayKeep(response) ? response : null),
};

/** Intake screens and their data: the network when it answers within 10 s (a poor line), else the copy. */
const screens = new NetworkFirst({
  cacheName: SCREENS,
  networkTimeoutSeconds: 10,
  matchOptions: { ignoreVary: true },
  plugins: [keepOnlyWhole, new ExpirationPlugin({ maxEntries: 40 })],
});

const sameOrigin = (url: URL) => url.origin === worker.location.origin;

function offlinePage(): Response {
  return new Response(BUILD.offlinePage, {
    status: 503,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": OFFLINE_PAGE_CSP,
      "Cache-Control": "no-store",
    },
  });
}

/**
 * An intake screen kept without the query asked for (`/staff/intake` for `/staff/intake?view=register`):
 * the screen itself, starting on its first view, rather than no screen at all.
 */
async function screenWithoutQuery(url: URL): Promise<Response | null> {
  if (!isOfflineScreen(url.pathname) || url.search === "") return null;
  const cache = await caches.open(SCREENS);
  return (await cache.match(url.pathname, { ignoreVary: true })) ?? null;
}

/** Single-fetch data with no network: Remix is told to load the document, which the worker then answers. */
function reloadDocument(url: URL): Response {
  return new Response(reloadDocumentPayload(documentOf(url)), {
    status: SINGLE_FETCH_REDIRECT_STATUS,
    headers: { "Content-Type": "text/x-script", "Cache-Control": "no-store" },
  });
}

/**
 * A new version waits while a page of the old one is open. When the only open console tab loads a page, the
 * waiting version takes over and the tab loads again under it: the next load runs the new version, whole.
 */
async function takeOverOnReload(): Promise<Response | null> {
  const waiting = worker.registration.waiting;
  if (waiting?.state !== "installed") return null;
  const windows = await worker.clients.matchAll({ type: "window" });
  if (windows.length > 1) return null;
  waiting.postMessage(SKIP_WAITING);
  return new Response("", { headers: { Refresh: "0", "Cache-Control": "no-store" } });
}

// Console pages as documents: intake screens network first with the copy as fallback, the rest network only;
// either way, no network and no copy means the "needs a connection" page, never the browser's error.
registerRoute(
  ({ request, url }) => request.mode === "navigate" && sameOrigin(url) && isConsolePath(url.pathname),
  async (options: RouteHandlerCallbackOptions) => {
    const takeOver = await takeOverOnReload();
    if (takeOver) return takeOver;
    try {
      if (isOfflineScreen(options.url.pathname)) return await screens.handle(options);
      return await fetch(options.request);
    } catch {
      return (await screenWithoutQuery(options.url)) ?? offlinePage();
    }
  },
);

// Console pages' single-fetch data (client-side navigation, revalidation): the same split.
registerRoute(
  ({ url }) => sameOrigin(url) && isSingleFetchData(url) && isConsolePath(documentOf(url)),
  async (options: RouteHandlerCallbackOptions) => {
    try {
      if (isOfflineScreen(new URL(documentOf(options.url), options.url).pathname)) {
        return await screens.handle(options);
      }
      return await fetch(options.request);
    } catch {
      return reloadDocument(options.url);
    }
  },
);

// The products and villagers the intake screens work from.
registerRoute(({ url }) => sameOrigin(url) && isOfflineData(url), screens);

/**
 * Lazy route discovery with no network: every route of this build, which is what the server would have
 * answered a part of (routes are code, not anyone's data). For another build's version, what the server
 * says then: load the document again.
 */
registerRoute(
  ({ url }) => sameOrigin(url) && isRouteManifest(url),
  async ({ request, url }: RouteHandlerCallbackOptions) => {
    try {
      return await fetch(request);
    } catch {
      if (BUILD.routeManifest && url.searchParams.get("version") === BUILD.routeManifest.version) {
        return Response.json(BUILD.routeManifest.routes, { headers: { "Cache-Control": "no-store" } });
      }
      return new Response(null, { status: 204, headers: { "X-Remix-Reload-Document": "true" } });
    }
  },
);

/** Every version's copies of screens and villagers: they belong to the person logged in. */
async function forgetScreens(): Promise<void> {
  const names = await caches.keys();
  await Promise.all(
    names.filter((name) => name.startsWith(SCREENS_PREFIX)).map((name) => caches.delete(name)),
  );
}

// Logging out or in takes the copies of the last agent's screens and villagers with it.
registerRoute(
  ({ url }) => sameOrigin(url) && isSessionChange(url),
  async ({ request }: RouteHandlerCallbackOptions) => {
    const response = await fetch(request);
    await forgetScreens();
    return response;
  },
  "POST",
);

/** Fetches a screen (or the lists) and keeps it when the answer may be kept. */
async function keep(cache: Cache, path: string): Promise<void> {
  const response = await fetch(path, { credentials: "same-origin", cache: "no-store" });
  if (mayKeep(response)) await cache.put(path, response);
}

/**
 * An intake screen the agent has open asks to be kept (app/sw/register.ts): the visit that registered the
 * worker, or a client-side navigation to it, never fetched its document through the worker. Fetches what
 * is not kept yet (the screen, the lists); a screen already kept is refreshed by the visits themselves.
 */
async function keepScreen(path: string): Promise<void> {
  const url = new URL(path, worker.location.origin);
  if (!sameOrigin(url) || !isOfflineScreen(url.pathname)) return;
  const cache = await caches.open(SCREENS);
  const wanted = [`${url.pathname}${url.search}`, OFFLINE_DATA_PATH];
  const kept = await Promise.all(wanted.map((want) => cache.match(want, { ignoreVary: true })));
  await Promise.allSettled(wanted.filter((_, i) => !kept[i]).map((want) => keep(cache, want)));
}

/**
 * A new version fetches its own copies of what the last version had kept, and of intake screens open in a
 * tab: anew, not copied, since an old copy points at the old version's scripts. The first version has
 * nothing to carry over (the visit that registers it asks to be kept, see keepScreen) and waits only for
 * the client build, so it takes over the first visit as soon as it can.
 */
async function fillScreens(): Promise<void> {
  const urls = new Set<string>();
  for (const client of await worker.clients.matchAll({ type: "window", includeUncontrolled: true })) {
    const url = new URL(client.url);
    if (sameOrigin(url) && isOfflineScreen(url.pathname)) urls.add(`${url.pathname}${url.search}`);
  }
  for (const name of await caches.keys()) {
    if (!name.startsWith(SCREENS_PREFIX) || name === SCREENS) continue;
    for (const request of await (await caches.open(name)).keys()) {
      const url = new URL(request.url);
      urls.add(`${url.pathname}${url.search}`);
    }
  }
  if (urls.size === 0) return;
  const cache = await caches.open(SCREENS);
  await Promise.allSettled([...urls].map((path) => keep(cache, path)));
}

async function dropOldScreens(): Promise<void> {
  const names = await caches.keys();
  await Promise.all(
    names
      .filter((name) => name.startsWith(SCREENS_PREFIX) && name !== SCREENS)
      .map((name) => caches.delete(name)),
  );
}

worker.addEventListener("install", (event) => event.waitUntil(fillScreens()));
worker.addEventListener("activate", (event) =>
  // The first version takes the open tab at once, so that visit's own requests already fill the cache.
  event.waitUntil(Promise.all([dropOldScreens(), worker.clients.claim()])),
);
worker.addEventListener("message", (event) => {
  if (event.data === SKIP_WAITING) event.waitUntil(worker.skipWaiting());
  else if (isKeepScreenMessage(event.data)) event.waitUntil(keepScreen(event.data.path));
});
