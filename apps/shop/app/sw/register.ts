import { useLocation } from "@remix-run/react";
import { useEffect } from "react";
import { isConsolePath, isOfflineScreen } from "./policy";
import type { KeepScreenMessage } from "./scope";

/** Where the worker script is served (app/routes/sw[.]js.ts). */
export const SERVICE_WORKER_URL = "/sw.js";

/** Only production builds have a worker (app/sw/vite-plugin.ts); development must not keep one. */
const workerBuilt = () =>
  import.meta.env.PROD && typeof navigator !== "undefined" && "serviceWorker" in navigator;

/**
 * Registers the shop's service worker from a staff page, once the page has loaded (it competes with nothing
 * the agent waits for). The browser checks the script on every visit (`updateViaCache: "none"`, served
 * no-cache); a new version waits and takes over at the next load (app/sw/worker.ts). Buyers' pages never
 * register it. In development there is no worker: one left from a production run on the same address is
 * removed, so it cannot serve old screens.
 */
export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator)) return;
  const workers = navigator.serviceWorker;
  if (!workerBuilt()) {
    void workers.getRegistrations().then((registrations) => {
      for (const registration of registrations) void registration.unregister();
    });
    return;
  }
  if (!isConsolePath(window.location.pathname)) return;
  const register = () => {
    workers.register(SERVICE_WORKER_URL, { scope: "/", updateViaCache: "none" }).catch((error: unknown) => {
      // The console works without it, only not offline.
      console.warn("service worker not registered", error);
    });
  };
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}

/**
 * On an intake screen, asks the worker to keep a copy of it (it keeps one only if it has none): the first
 * visit, or a client-side navigation to the screen, never fetched the document through the worker, and the
 * screen must open offline after that one visit.
 */
export function useKeepOfflineScreen(): void {
  const { pathname, search } = useLocation();
  useEffect(() => {
    if (!workerBuilt() || !isOfflineScreen(pathname)) return;
    const message: KeepScreenMessage = { type: "coop:keep-screen", path: `${pathname}${search}` };
    void navigator.serviceWorker.ready.then((registration) => registration.active?.postMessage(message));
  }, [pathname, search]);
}
