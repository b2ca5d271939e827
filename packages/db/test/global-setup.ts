import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { writePgliteTemplate } from "../src/testing";

/** Migrates one PGlite once and lets every test file clone it, instead of each migrating its own. */
export default async function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), "coop-pglite-"));
  const file = path.join(dir, "template.tar");
  await writePgliteTemplate(file);
  process.env.PGLITE_TEMPLATE_FILE = file;
  return () => rmSync(dir, { recursive: true, force: true });
}
