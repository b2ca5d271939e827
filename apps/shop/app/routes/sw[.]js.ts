import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The service worker script (built by app/sw/vite-plugin.ts into build/service-worker/sw.js, beside this
 * server build). Served here rather than from build/client, which remix-serve marks immutable for a year:
 * the browser must check the worker on every visit (no-cache) to ever get a new version. 404 in development,
 * where there is no worker.
 */

/** The server build is build/server/index.js; the worker is build/service-worker/sw.js. */
const WORKER_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "service-worker",
  "sw.js",
);

export async function loader() {
  // Read on each request (62 kB, from the page cache): the file on disk is always the version served.
  const body = await readFile(WORKER_FILE, "utf8").catch(() => null);
  if (body === null) return new Response("No service worker in this build", { status: 404 });
  return new Response(body, {
    headers: {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "no-cache",
      // Served at the root, so it may control the whole shop; the worker itself only acts on staff pages.
      "Service-Worker-Allowed": "/",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
