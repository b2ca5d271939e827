/**
 * Production build of the API (decision 0013): one ESM file, dist/server.js, that plain `node` runs without
 * the tsx loader. The workspace packages (@coop/db, @coop/shared export TypeScript sources) and the pure-JS
 * dependencies are bundled in; the packages below stay external and are resolved from apps/api/node_modules at
 * run time, because they load files relative to their own module (PGlite's .wasm/.data, pdfkit's fonts,
 * pino's transport workers) or are native (@node-rs/argon2, sharp and its prebuilt libvips), or are simply large and self-contained (pg-boss).
 * The committed migrations are copied to dist/migrations, where @coop/db finds them through a build-time
 * define (see MIGRATIONS_FOLDER in packages/db/src/client.ts).
 */
import { cpSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const API_DIR = fileURLToPath(new URL("..", import.meta.url));
const DIST = path.join(API_DIR, "dist");
const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const MIGRATIONS = path.join(REPO_ROOT, "packages/db/migrations");

const EXTERNAL = ["@electric-sql/pglite", "@node-rs/argon2", "pdfkit", "pg-boss", "pino", "sharp"];

/**
 * Packages in node_modules often ship source maps of their own that point at TypeScript sources they do not
 * ship (drizzle-orm's say ../src/utils.ts). Ignoring them keeps our map pointing at the JavaScript that runs,
 * under node_modules/.pnpm/<package>/…, which is where stack traces and the bench's CPU profile should point.
 */
const ignoreDependencySourceMaps = {
  name: "ignore-dependency-source-maps",
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/].*\.[cm]?js$/ }, (args) => ({
      contents: readFileSync(args.path, "utf8").replace(/^\/\/# sourceMappingURL=.*$/gm, ""),
      loader: "js",
    }));
  },
};

const started = performance.now();
rmSync(DIST, { recursive: true, force: true });
mkdirSync(DIST, { recursive: true });

const result = await build({
  absWorkingDir: API_DIR,
  entryPoints: ["src/server.ts"],
  outfile: "dist/server.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20.19",
  // Each listed package and its subpaths (drizzle's `drizzle-orm/pglite` imports `@electric-sql/pglite/…`).
  external: EXTERNAL.flatMap((name) => [name, `${name}/*`]),
  // Bundled CommonJS (qrcode, pngjs…) still calls require() for Node's built-ins: give the ESM file one.
  banner: {
    js: 'import { createRequire as __coopCreateRequire } from "node:module"; const require = __coopCreateRequire(import.meta.url);',
  },
  define: {
    // Read by packages/db/src/client.ts: the migrations sit next to the bundle, not in ../migrations.
    __COOP_MIGRATIONS_URL__: JSON.stringify("./migrations/"),
  },
  // Stack traces keep pointing at the TypeScript sources with `node --enable-source-maps`.
  sourcemap: "linked",
  sourcesContent: false,
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
  plugins: [ignoreDependencySourceMaps],
});

cpSync(MIGRATIONS, path.join(DIST, "migrations"), { recursive: true });

// packages/db/src/env.ts finds the repository's .data folder as "../../../.data" from its own module; in the
// bundle that is resolved from dist/server.js, which is three folders below the root too. Keep it so.
const dataDirFromBundle = fileURLToPath(
  new URL("../../../.data", pathToFileURL(path.join(DIST, "server.js"))),
);
if (dataDirFromBundle !== path.join(REPO_ROOT, ".data"))
  throw new Error(`The bundle would look for the default DATA_DIR in ${dataDirFromBundle}`);

const bytes = statSync(path.join(DIST, "server.js")).size;
const inputs = Object.keys(result.metafile.inputs).length;
console.log(
  `apps/api/dist/server.js: ${(bytes / 1024).toFixed(0)} KiB from ${inputs} modules, ` +
    `external: ${EXTERNAL.join(", ")} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
);
