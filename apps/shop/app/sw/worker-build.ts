/** What the build gives the service worker (app/sw/vite-plugin.ts → `__COOP_SW_BUILD__` in app/sw/worker.ts). */
export interface WorkerBuild {
  /** Changes whenever anything the worker serves changes: names its caches, makes the browser install it. */
  version: string;
  /** The client build's files to keep (workbox-build's manifest: address and revision, null when hashed). */
  precache: { url: string; revision: string | null }[];
  /** The "this page needs a connection" page (app/sw/offline-page.ts). */
  offlinePage: string;
  /** Remix's route manifest of this build, answered to route discovery when there is no network. */
  routeManifest: { version: string; routes: Record<string, unknown> } | null;
}
