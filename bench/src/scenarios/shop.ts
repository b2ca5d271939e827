import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { BENCH_CLIENT_ADDRESS_SECRET, freePort, newestMtime, REPO_ROOT, startService } from "../lib/services";
import { summarize } from "../lib/stats";

const SHOP_DIR = path.join(REPO_ROOT, "apps/shop");
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
/** The flags of apps/shop/e2e/harness.ts: Debian's Chromium in a container without a display or network. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Builds the shop (pnpm --filter @coop/shop build) unless its build is newer than its sources. */
export function ensureShopBuild(log: (m: string) => void): { built: boolean; seconds: number } {
  const serverEntry = path.join(SHOP_DIR, "build/server/index.js");
  const fresh =
    existsSync(serverEntry) && statSync(serverEntry).mtimeMs > newestMtime(path.join(SHOP_DIR, "app"));
  if (fresh) return { built: false, seconds: 0 };
  log("  building the shop (pnpm --filter @coop/shop build)…");
  const started = performance.now();
  execFileSync("pnpm", ["--filter", "@coop/shop", "build"], { cwd: REPO_ROOT, stdio: "ignore" });
  return { built: true, seconds: (performance.now() - started) / 1000 };
}

/** Lighthouse's mobile performance run of the product page (its default config: Moto G Power, simulated slow 4G). */
export type LighthouseResult =
  | {
      score: number;
      version: string;
      formFactor: string;
      throttlingMethod: string;
      /** ms, except CLS (unitless). */
      metrics: Record<"fcp" | "lcp" | "tbt" | "cls" | "speedIndex" | "tti", number>;
      /** The audits that cost the most, with their savings in ms where Lighthouse gives one. */
      opportunities: Array<{ id: string; title: string; savingsMs: number }>;
      /**
       * What the score depends on beyond the page: Lighthouse's own CPU benchmark of this machine (its simulated
       * throttling scales the main-thread time it observed, so a busy host inflates TBT) and the load average.
       */
      benchmarkIndex?: number;
      loadAverage?: number;
      /** Main-thread time by script (Lighthouse's bootup-time audit, ms as observed), largest first. */
      scripts?: Array<{ url: string; scriptingMs: number; parseMs: number }>;
    }
  | { skipped: string };

export interface ShopResult {
  productPath: string;
  /** Whether the measured product page shows a product photo (one is uploaded first when it has none). */
  photo?: { uploaded: boolean; bytes: number };
  lighthouse?: LighthouseResult;
  render: { p50: number; p99: number; count: number };
  firstLoad: {
    totalBytes: number;
    byType: Record<string, { requests: number; bytes: number; decodedBytes: number }>;
    documentEncoding: string;
    ttfbMs: number;
    domContentLoadedMs: number;
    loadMs: number;
  };
}

/**
 * Makes a photo-like JPEG (1600×1200, smooth gradients and shapes, as a phone photo of produce compresses) in
 * Chromium's canvas, so the bench needs no image library of its own.
 */
async function samplePhoto(): Promise<Buffer> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    // Run in the page (a string, so this file needs no DOM types).
    const dataUrl = (await page.evaluate(`(() => {
      const canvas = document.createElement("canvas");
      canvas.width = 1600;
      canvas.height = 1200;
      const g = canvas.getContext("2d");
      const bg = g.createLinearGradient(0, 0, 1600, 1200);
      bg.addColorStop(0, "#c9b48a");
      bg.addColorStop(1, "#6b5a3a");
      g.fillStyle = bg;
      g.fillRect(0, 0, 1600, 1200);
      let seed = 7;
      const rnd = () => {
        seed = (seed * 16807) % 2147483647;
        return seed / 2147483647;
      };
      for (let i = 0; i < 60; i++) {
        const x = rnd() * 1600;
        const y = rnd() * 1200;
        const r = 60 + rnd() * 90;
        const egg = g.createRadialGradient(x - r / 3, y - r / 3, r / 8, x, y, r);
        egg.addColorStop(0, "#fff4e0");
        egg.addColorStop(1, \`hsl(\${25 + rnd() * 15}, 55%, \${55 + rnd() * 20}%)\`);
        g.fillStyle = egg;
        g.beginPath();
        g.ellipse(x, y, r * 0.78, r, rnd() * Math.PI, 0, Math.PI * 2);
        g.fill();
      }
      return canvas.toDataURL("image/jpeg", 0.85);
    })()`)) as string;
    return Buffer.from(dataUrl.slice(dataUrl.indexOf(",") + 1), "base64");
  } finally {
    await browser.close();
  }
}

/**
 * Gives the measured product a photo unless it has one, through the API as an admin would upload it, so the
 * page weighed and scored is the page buyers see (its main photo eager, the rest of the page as usual).
 */
async function ensureProductPhoto(
  apiUrl: string,
  productId: string,
  admin: { login: string; password: string },
): Promise<{ uploaded: boolean; bytes: number }> {
  const detail = (await (await fetch(`${apiUrl}/v1/products/${productId}`)).json()) as {
    photos?: unknown[];
  };
  if (detail.photos && detail.photos.length > 0) return { uploaded: false, bytes: 0 };
  const login = await fetch(`${apiUrl}/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(admin),
  });
  if (!login.ok) throw new Error(`admin login failed: ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };
  const jpeg = await samplePhoto();
  const form = new FormData();
  form.set("photo", new Blob([new Uint8Array(jpeg)], { type: "image/jpeg" }), "eggs.jpg");
  const res = await fetch(`${apiUrl}/v1/products/${productId}/photos`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "idempotency-key": `bench-photo-${productId}` },
    body: form,
  });
  if (!res.ok) throw new Error(`photo upload failed: ${res.status} ${await res.text()}`);
  return { uploaded: true, bytes: jpeg.length };
}

/** The built shop (remix-serve, production) in front of the given API, on a free port. */
export async function startShop(apiUrl: string) {
  const port = await freePort();
  const shop = await startService({
    name: "shop",
    command: path.join(SHOP_DIR, "node_modules/.bin/remix-serve"),
    args: ["./build/server/index.js"],
    cwd: SHOP_DIR,
    env: {
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      API_URL: apiUrl,
      SESSION_SECRET: randomBytes(32).toString("hex"),
      CLIENT_ADDRESS_SECRET: BENCH_CLIENT_ADDRESS_SECRET,
    },
    port,
    healthPath: "/",
    timeoutMs: 60_000,
  });
  return shop;
}

export async function measureShop(
  apiUrl: string,
  productId: string,
  log: (m: string) => void,
  admin?: { login: string; password: string },
): Promise<ShopResult> {
  const photo = admin ? await ensureProductPhoto(apiUrl, productId, admin) : undefined;
  if (photo?.uploaded)
    log(`  uploaded a ${(photo.bytes / 1024).toFixed(0)} KB photo to the measured product`);
  const shop = await startShop(apiUrl);
  try {
    const productPath = `/products/${productId}`;
    const url = `${shop.url}${productPath}`;
    // Server render: the whole HTML response of the product page (including the shop's call to the API),
    // one request at a time, after a warm-up.
    const times: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t0 = performance.now();
      const res = await fetch(url, { headers: { "accept-encoding": "gzip, br" } });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`shop answered ${res.status} for ${productPath}`);
      if (i >= 10) times.push(performance.now() - t0);
    }
    const render = summarize(times, 0, 1);
    log(`  product page server render p50 ${render.p50.toFixed(1)} ms, p99 ${render.p99.toFixed(1)} ms`);

    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      const types = new Map<string, string>();
      const byType: ShopResult["firstLoad"]["byType"] = {};
      let documentEncoding = "none";
      const decoded = new Map<string, number>();
      cdp.on("Network.responseReceived", (e) => {
        types.set(e.requestId, e.type);
        if (e.type === "Document") {
          const h = e.response.headers as Record<string, string>;
          documentEncoding = h["content-encoding"] ?? h["Content-Encoding"] ?? "none";
        }
      });
      cdp.on("Network.dataReceived", (e) =>
        decoded.set(e.requestId, (decoded.get(e.requestId) ?? 0) + e.dataLength),
      );
      cdp.on("Network.loadingFinished", (e) => {
        const type = types.get(e.requestId) ?? "Other";
        const slot = byType[type] ?? { requests: 0, bytes: 0, decodedBytes: 0 };
        byType[type] = slot;
        slot.requests++;
        slot.bytes += e.encodedDataLength;
        slot.decodedBytes += decoded.get(e.requestId) ?? 0;
      });
      await page.goto(url, { waitUntil: "networkidle", timeout: 60_000 });
      const timing = (await page.evaluate(
        `(() => { const n = performance.getEntriesByType("navigation")[0]; return { ttfb: n.responseStart - n.requestStart, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd }; })()`,
      )) as { ttfb: number; dcl: number; load: number };
      // The goal is HTML + JS + CSS (+ the data requests); the product photo is shown in the table apart.
      const totalBytes = Object.entries(byType)
        .filter(([type]) => type !== "Image")
        .reduce((s, [, t]) => s + t.bytes, 0);
      log(`  first load ${(totalBytes / 1024).toFixed(1)} KB transferred (document ${documentEncoding})`);
      const lighthouse = await measureLighthouse(url, log);
      return {
        productPath,
        ...(photo ? { photo } : {}),
        lighthouse,
        render: { p50: render.p50, p99: render.p99, count: render.count },
        firstLoad: {
          totalBytes,
          byType,
          documentEncoding,
          ttfbMs: timing.ttfb,
          domContentLoadedMs: timing.dcl,
          loadMs: timing.load,
        },
      };
    } finally {
      await browser.close();
    }
  } finally {
    await shop.stop();
  }
}

/**
 * Lighthouse (pinned 12.2.3: 13 wants Node 22) with its default configuration, which is the mobile one: a
 * Moto G Power's screen, simulated throttling (slow 4G, 4× CPU slowdown), performance category only. It drives
 * a Chromium of its own, started by playwright-core with a DevTools port (the flags of the first-load run),
 * so the first-load figures above are not disturbed. A failure is recorded, not thrown: the other figures stand.
 */
export async function measureLighthouse(url: string, log: (m: string) => void): Promise<LighthouseResult> {
  const port = await freePort();
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, `--remote-debugging-port=${port}`],
  });
  try {
    const { default: lighthouse } = await import("lighthouse");
    const run = await lighthouse(url, { port, logLevel: "error", onlyCategories: ["performance"] });
    const lhr = run?.lhr;
    const score = lhr?.categories.performance?.score;
    if (!lhr || typeof score !== "number")
      return { skipped: `failed: ${lhr?.runtimeError?.message ?? "no performance score"}` };
    const metric = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
    const opportunities = Object.values(lhr.audits)
      .filter((a) => a.score !== null && a.score < 0.9 && a.details?.type === "opportunity")
      .map((a) => ({
        id: a.id,
        title: a.title,
        savingsMs: Math.round((a.details as { overallSavingsMs?: number }).overallSavingsMs ?? 0),
      }))
      .sort((a, b) => b.savingsMs - a.savingsMs)
      .slice(0, 5);
    const bootup = (
      lhr.audits["bootup-time"]?.details as { items?: Array<Record<string, unknown>> } | undefined
    )?.items;
    const scripts = (bootup ?? []).slice(0, 5).map((item) => ({
      url: String(item.url).replace(/^https?:\/\/[^/]+/, ""),
      scriptingMs: Math.round(Number(item.scripting ?? 0)),
      parseMs: Math.round(Number(item.scriptParseCompile ?? 0)),
    }));
    const result = {
      score: Math.round(score * 100),
      benchmarkIndex: lhr.environment.benchmarkIndex,
      loadAverage: os.loadavg()[0],
      scripts,
      version: lhr.lighthouseVersion,
      formFactor: lhr.configSettings.formFactor,
      throttlingMethod: lhr.configSettings.throttlingMethod,
      metrics: {
        fcp: metric("first-contentful-paint"),
        lcp: metric("largest-contentful-paint"),
        tbt: metric("total-blocking-time"),
        cls: metric("cumulative-layout-shift"),
        speedIndex: metric("speed-index"),
        tti: metric("interactive"),
      },
      opportunities,
    };
    log(
      `  Lighthouse ${result.version} ${result.formFactor} performance ${result.score} (LCP ${Math.round(result.metrics.lcp)} ms, TBT ${Math.round(result.metrics.tbt)} ms, CLS ${result.metrics.cls.toFixed(3)})`,
    );
    return result;
  } catch (error) {
    const skipped = `failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
    log(`  Lighthouse ${skipped}`);
    return { skipped };
  } finally {
    await browser.close();
  }
}
