import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

interface ProfileFile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface ProfileSummary {
  sampledMs: number;
  /** Self time by where the code lives: an npm package, a file of the API, Node internals, GC, idle. */
  byPlace: Array<{ place: string; pct: number }>;
  /** The busiest functions by self time (idle excluded). */
  topFunctions: Array<{ fn: string; pct: number }>;
}

function place(url: string, fn: string): string {
  if (!url) return fn.startsWith("(") ? fn : "(native)";
  const pkg = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const repo =
    /\/work\/[^/]+\/(?:main\/)?((?:apps|packages)\/[^/]+\/src\/[^?]*)/.exec(url) ??
    /((?:apps|packages)\/[^/]+\/src\/[^?]*)/.exec(url);
  if (repo) return repo[1]!.replace(/\/[^/]+$/, "/…");
  if (url.startsWith("node:")) return "node internals";
  return path.basename(url);
}

/**
 * Reads the .cpuprofile files `node --cpu-prof` wrote into dir and adds up self time. `skipMs`: samples from
 * the first milliseconds after the profile's start are left out (start-up: module loading, the first
 * requests' one-time work such as parsing the bundle's source map for the first error's stack).
 */
export function summarizeCpuProfiles(dir: string, skipMs = 0): ProfileSummary | null {
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  if (files.length === 0) return null;
  const byPlace = new Map<string, number>();
  const byFn = new Map<string, number>();
  let total = 0;
  let sampledUs = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as ProfileFile;
    // Self time per node: from the samples after the skipped start (else the nodes' hit counts).
    const hitsOf = new Map<number, number>();
    if (skipMs > 0 && profile.samples && profile.timeDeltas) {
      let t = profile.startTime;
      const from = profile.startTime + skipMs * 1000;
      profile.samples.forEach((id, i) => {
        t += profile.timeDeltas![i] ?? 0;
        if (t >= from) hitsOf.set(id, (hitsOf.get(id) ?? 0) + 1);
      });
      sampledUs += Math.max(0, profile.endTime - from);
    } else {
      for (const node of profile.nodes) hitsOf.set(node.id, node.hitCount ?? 0);
      sampledUs += profile.endTime - profile.startTime;
    }
    for (const node of profile.nodes) {
      const hits = hitsOf.get(node.id) ?? 0;
      if (!hits) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      const where = place(url, functionName || "(anonymous)");
      total += hits;
      byPlace.set(where, (byPlace.get(where) ?? 0) + hits);
      if (functionName === "(idle)") continue;
      const key = `${functionName || "(anonymous)"} — ${where}${url ? `:${lineNumber + 1}` : ""}`;
      byFn.set(key, (byFn.get(key) ?? 0) + hits);
    }
  }
  const pct = (n: number) => Math.round((n / total) * 1000) / 10;
  return {
    sampledMs: sampledUs / 1000,
    byPlace: [...byPlace]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 14)
      .map(([p, n]) => ({ place: p, pct: pct(n) })),
    topFunctions: [...byFn]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([fn, n]) => ({ fn, pct: pct(n) })),
  };
}
