import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { zhCNStaff } from "./staff.zh-CN";

/**
 * Buyer pages carry the buyer words of one language and nothing of the staff console (decision 0033). Checked
 * over the source: the modules a buyer page's browser code can reach by static import, from root.tsx,
 * entry.client.tsx and every route outside /staff. `.server` modules are left out (Remix keeps them out of the
 * browser), as are `import type` lines (erased).
 */
const APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith(".") && !spec.startsWith("~/")) return null;
  // Stylesheets and other assets (`./x.css?url`) hold no words.
  if (/\.(css|svg|png|webp|json)(\?.*)?$/.test(spec)) return null;
  const base = spec.startsWith("~/") ? path.join(APP, spec.slice(2)) : path.resolve(path.dirname(from), spec);
  for (const candidate of [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    path.join(base, "index.ts"),
    path.join(base, "index.tsx"),
  ])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  throw new Error(`${path.relative(APP, from)}: cannot resolve ${spec}`);
}

function browserImports(file: string): string[] {
  const source = readFileSync(file, "utf8");
  const specs = [
    ...source.matchAll(/^(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?["']([^"']+)["']/gm),
    ...source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
  ].map((m) => m[1] as string);
  return specs
    .map((spec) => resolveImport(file, spec))
    .filter((f): f is string => f !== null && !/\.server\.tsx?$/.test(f));
}

function reachable(entries: string[]): Map<string, string> {
  // Each module with the chain that reached it, for a readable failure.
  const via = new Map<string, string>();
  const stack = entries.map((e) => [e, path.relative(APP, e)] as const);
  while (stack.length) {
    const [file, chain] = stack.pop()!;
    if (via.has(file)) continue;
    via.set(file, chain);
    for (const next of browserImports(file)) stack.push([next, `${chain} → ${path.relative(APP, next)}`]);
  }
  return via;
}

const routes = readdirSync(path.join(APP, "routes"))
  .filter((f) => /\.tsx?$/.test(f) && !f.includes(".test."))
  .map((f) => path.join(APP, "routes", f));
const buyerRoutes = routes.filter((f) => !path.basename(f).startsWith("staff."));
const buyer = reachable([path.join(APP, "root.tsx"), path.join(APP, "entry.client.tsx"), ...buyerRoutes]);
const staffSections = Object.keys(zhCNStaff);

describe("buyer pages and the staff words", () => {
  it("finds the buyer routes and their modules", () => {
    // Guards the walk itself: a broken regex would find nothing and pass everything below.
    expect(buyerRoutes.map((f) => path.basename(f))).toContain("products.$id.tsx");
    expect([...buyer.keys()].map((f) => path.relative(APP, f))).toEqual(
      expect.arrayContaining(["components/Money.tsx", "lib/line-text.ts", "i18n.ts"]),
    );
  });

  it("never import the staff chunk or any catalog (the page's own words come inlined in its HTML)", () => {
    const offending = [...buyer]
      .filter(
        ([file]) => file === path.join(APP, "staff-i18n.ts") || file.startsWith(path.join(APP, "locales")),
      )
      .map(([, chain]) => chain);
    expect(offending).toEqual([]);
  });

  it("ask for no staff key and no staff namespace", () => {
    const found: string[] = [];
    const staffKey = new RegExp(`["'\`](?:${staffSections.join("|")})\\.[\\w$]`);
    for (const file of buyer.keys()) {
      const source = readFileSync(file, "utf8");
      for (const [n, line] of source.split("\n").entries()) {
        if (staffKey.test(line) || /useTranslation\(\s*\[?\s*["']staff|["']staff["']\s*\)/.test(line))
          found.push(`${path.relative(APP, file)}:${n + 1}: ${line.trim()}`);
      }
    }
    expect(found).toEqual([]);
  });

  it("would notice a staff key or the staff chunk in a buyer module", () => {
    const staffKey = new RegExp(`["'\`](?:${staffSections.join("|")})\\.[\\w$]`);
    expect(staffKey.test('t("adminProducts.title")')).toBe(true);
    expect(staffKey.test('t("product.price")')).toBe(false);
    const staffRoute = reachable([path.join(APP, "routes", "staff.intake.tsx")]);
    expect(staffRoute.has(path.join(APP, "staff-i18n.ts"))).toBe(true);
  });
});
