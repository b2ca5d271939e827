import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin, type ResolvedConfig } from "vite";
import { getManifest } from "workbox-build";
import { enStaff } from "../locales/staff.en";
import { zhCNStaff } from "../locales/staff.zh-CN";
import { renderOfflinePage } from "./offline-page";
import type { WorkerBuild } from "./worker-build";

/** Where the built worker goes, beside build/client and build/server; app/routes/sw[.]js.ts serves it. */
export const SERVICE_WORKER_DIR = "service-worker";
export const SERVICE_WORKER_FILE = "sw.js";

const WORKER_ENTRY = fileURLToPath(new URL("./worker.ts", import.meta.url));

/**
 * What the worker keeps of the client build: scripts, styles, the web app manifest and its icons. The shop
 * has no web fonts (system fonts only, app/styles.css); a pattern that matches nothing fails the build.
 */
const PRECACHE_PATTERNS = ["assets/**/*.{js,css}", "icons/**/*.{png,svg}", "manifest.webmanifest"];

/** Remix's browser manifest (`assets/manifest-<version>.js`): its version and routes, for offline discovery. */
async function readRouteManifest(clientDir: string): Promise<WorkerBuild["routeManifest"]> {
  const assets = await readdir(path.join(clientDir, "assets"));
  const file = assets.find((name) => /^manifest-[0-9a-f]+\.js$/.test(name));
  if (!file) throw new Error(`service worker: no Remix manifest (assets/manifest-*.js) in ${clientDir}`);
  const text = await readFile(path.join(clientDir, "assets", file), "utf8");
  const json = text.replace(/^window\.__remixManifest=/, "").replace(/;\s*$/, "");
  const manifest = JSON.parse(json) as { version: string; routes: Record<string, unknown> };
  return { version: manifest.version, routes: manifest.routes };
}

/** Everything the worker needs from this build, with a version that changes when any of it changes. */
export async function describeWorkerBuild(clientDir: string): Promise<WorkerBuild> {
  const { manifestEntries, warnings } = await getManifest({
    globDirectory: clientDir,
    globPatterns: PRECACHE_PATTERNS,
    // Hashed names need no revision: the name changes with the content.
    dontCacheBustURLsMatching: /^assets\//,
    modifyURLPrefix: { "": "/" },
    maximumFileSizeToCacheInBytes: 2 * 1024 * 1024,
  });
  if (warnings.length > 0) throw new Error(`service worker: ${warnings.join("; ")}`);
  const precache = manifestEntries.map(({ url, revision }) => ({ url, revision }));
  const stylesheet = precache.find(({ url }) => /^\/assets\/styles-[\w-]+\.css$/.test(url))?.url ?? null;
  const offlinePage = renderOfflinePage({ zh: zhCNStaff.offlineShell, en: enStaff.offlineShell, stylesheet });
  const routeManifest = await readRouteManifest(clientDir);
  const version = createHash("sha256")
    .update(JSON.stringify({ precache, offlinePage, routeManifest }))
    .digest("hex")
    .slice(0, 12);
  return { version, precache, offlinePage, routeManifest };
}

/** Bundles app/sw/worker.ts (Workbox included) into one classic script with this build's facts in it. */
async function bundleWorker(workerBuild: WorkerBuild, outDir: string): Promise<void> {
  // The worker's own workbox sources (and the source files they import) are in the worker's bundle alone.
  await build({
    configFile: false,
    logLevel: "warn",
    publicDir: false,
    define: {
      // Workbox logs and checks in development builds only.
      "process.env.NODE_ENV": JSON.stringify("production"),
      __COOP_SW_BUILD__: JSON.stringify(workerBuild),
    },
    build: {
      outDir,
      emptyOutDir: true,
      copyPublicDir: false,
      minify: true,
      sourcemap: false,
      target: "es2020",
      lib: {
        entry: WORKER_ENTRY,
        formats: ["iife"],
        name: "coopServiceWorker",
        fileName: () => SERVICE_WORKER_FILE,
      },
    },
  });
}

/**
 * Builds the service worker at the end of `remix vite:build`: after the SSR build, because Remix writes its
 * browser route manifest (which the worker answers offline route discovery from) during that build. The
 * worker is written to build/service-worker/sw.js, outside build/client: remix-serve serves build/client as
 * immutable for a year, and the worker script must be `no-cache` (app/routes/sw[.]js.ts serves it so).
 * In development there is no worker (the page does not register one).
 */
export function serviceWorker(): Plugin {
  let config: ResolvedConfig;
  return {
    name: "coop-service-worker",
    apply: "build",
    configResolved(resolved) {
      config = resolved;
    },
    writeBundle: {
      sequential: true,
      order: "post",
      async handler() {
        if (!config.build.ssr) return;
        const buildDir = path.resolve(config.root, config.build.outDir, "..");
        const workerBuild = await describeWorkerBuild(path.join(buildDir, "client"));
        const outDir = path.join(buildDir, SERVICE_WORKER_DIR);
        await mkdir(outDir, { recursive: true });
        await bundleWorker(workerBuild, outDir);
        await writeFile(path.join(outDir, "version.txt"), `${workerBuild.version}\n`);
        config.logger.info(
          `service worker ${workerBuild.version}: ${workerBuild.precache.length} files kept → ${path.relative(config.root, outDir)}/${SERVICE_WORKER_FILE}`,
        );
      },
    },
  };
}
