import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const DOMAIN = path.join(__dirname, "../src/domain");

/** The domain areas (folders of src/domain) each area's source files import. */
function areaImports(): Map<string, Set<string>> {
  const areas = readdirSync(DOMAIN).filter((d) => statSync(path.join(DOMAIN, d)).isDirectory());
  const graph = new Map<string, Set<string>>();
  for (const area of areas) {
    const used = new Set<string>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        else if (/\.tsx?$/.test(name)) {
          for (const m of readFileSync(file, "utf8").matchAll(/from "\.\.\/([a-z-]+)\//g)) {
            if (m[1] !== area && areas.includes(m[1]!)) used.add(m[1]!);
          }
        }
      }
    };
    walk(path.join(DOMAIN, area));
    graph.set(area, used);
  }
  return graph;
}

/**
 * Issue 15: no two domain areas import each other, so each can be read (and changed) knowing only the areas
 * below it. Notifications sit at the bottom: every area may queue a message; notifications know no area.
 */
describe("domain areas", () => {
  it("never import each other, directly or round a cycle", () => {
    const graph = areaImports();
    expect(graph.size).toBeGreaterThan(10);
    const cycles: string[] = [];
    const visit = (area: string, trail: string[]) => {
      for (const next of graph.get(area) ?? []) {
        if (trail.includes(next)) cycles.push([...trail.slice(trail.indexOf(next)), next].join(" → "));
        else visit(next, [...trail, next]);
      }
    };
    for (const area of graph.keys()) visit(area, [area]);
    expect(cycles).toEqual([]);
  });

  it("keep notifications free of every other area", () => {
    expect([...(areaImports().get("notifications") ?? [])]).toEqual([]);
  });
});

const ROUTES = path.join(__dirname, "../src/routes");

/**
 * Issue 15: a route validates, calls one domain function and maps the answer. Transactions, audit lines and
 * table writes live in the domain, where the rules they keep are written once.
 */
describe("route files", () => {
  const files = readdirSync(ROUTES).filter((f) => f.endsWith(".ts"));
  const offending = (test: (source: string) => boolean) =>
    files.filter((f) => test(readFileSync(path.join(ROUTES, f), "utf8")));

  it("exist to be checked", () => {
    expect(files.length).toBeGreaterThan(15);
  });

  it("never import the database schema", () => {
    expect(offending((s) => s.includes('from "@coop/db/schema"'))).toEqual([]);
  });

  it("never open a transaction or write an audit line themselves", () => {
    expect(offending((s) => /\.transaction\(|from "\.\.\/lib\/audit"/.test(s))).toEqual([]);
  });
});
