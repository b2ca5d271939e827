import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Scalar } from "@scalar/hono-api-reference";
import { createRouter } from "../lib/router";

const SCRIPT_PATH = "/reference/standalone.js";

/**
 * The API reference page and the script that draws it, both served by the API itself: the page works on a
 * co-op's intranet with no internet, and no third-party CDN sees who reads it.
 */
export function referenceRoutes() {
  const app = createRouter();
  let script: Promise<Buffer> | undefined;
  app.get(SCRIPT_PATH, async (c) => {
    script ??= readFile(scalarScriptFile()).catch((err) => {
      script = undefined;
      throw err;
    });
    const body = await script;
    return c.body(new Uint8Array(body), 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      // The file changes only with the package version, i.e. with a release of the API.
      "Cache-Control": "public, max-age=86400",
    });
  });
  app.get(
    "/reference",
    Scalar({
      url: "/openapi.json",
      pageTitle: "Co-op Market API",
      cdn: SCRIPT_PATH,
      // Scalar's default fonts come from its own CDN; the system fonts read as well offline.
      withDefaultFonts: false,
    }),
  );
  return app;
}

/** dist/browser/standalone.js of @scalar/api-reference, found from the package's own entry point. */
function scalarScriptFile(): string {
  const entry = fileURLToPath(import.meta.resolve("@scalar/api-reference"));
  return entry.replace(/dist[\\/]index\.js$/, "dist/browser/standalone.js");
}
