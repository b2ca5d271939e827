import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, SCREENSHOT_DIR, SHOP_DIR } from "./harness";

const { skipReason, shopUrl } = inject("e2e");
if (skipReason) console.warn(`\n!!!! ${skipReason}\n`);

/** Demo login the seed creates (packages/db seed). */
const AGENT = { login: "agent-hs01", password: "agent-demo-2026" };

const NEEDS_CONNECTION = "这一页需要联网";
const NEEDS_CONNECTION_EN = "This page needs a connection";

/** Every address the service worker keeps, by cache: what the phone holds for offline use. */
function keptAddresses(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const kept: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      kept[name] = (await cache.keys()).map((request) => {
        const url = new URL(request.url);
        return `${url.pathname}${url.search}`;
      });
    }
    return kept;
  });
}

const screensKept = async (page: Page) =>
  Object.entries(await keptAddresses(page))
    .filter(([name]) => name.startsWith("coop-screens-"))
    .flatMap(([, addresses]) => addresses);

/**
 * The agent's phone after one online visit of the intake screen: with the network cut, a reload still opens
 * the intake screen (served by the service worker, not Chromium's offline page), and any other console page
 * says plainly that it needs a connection and leads back to intake.
 */
describe.skipIf(skipReason !== null)("the intake screen opens with no network", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: "zh-CN",
    });
    page = await context.newPage();
    problems = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      // With the network cut, the browser reports each request it could not make: that is the point here.
      if (message.type() !== "error") return;
      const text = message.text();
      if (text.startsWith("Failed to load resource") || text.includes("ERR_INTERNET_DISCONNECTED")) return;
      problems.push(`console.error: ${text}`);
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  afterEach(() => {
    expect(problems, "errors in the browser").toEqual([]);
  });

  it("serves the worker script uncached by HTTP, and registers it from staff pages only", async () => {
    const response = await fetch(`${shopUrl}/sw.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("content-type")).toContain("javascript");
    expect(response.headers.get("service-worker-allowed")).toBe("/");

    await page.goto(`${shopUrl}/products`);
    await page.waitForLoadState("networkidle");
    expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(
      0,
    );
  });

  it("online once: the agent logs in and opens the intake screen from the console; the phone keeps it", async () => {
    await page.goto(`${shopUrl}/staff/login`);
    await page.waitForLoadState("networkidle");
    await page.getByLabel("登录名").fill(AGENT.login);
    await page.getByLabel("密码").fill(AGENT.password);
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL(`${shopUrl}/staff`);
    // From the console's tile: a client-side navigation, so the screen's document never passes the worker.
    await page.getByRole("link", { name: "收村民的货" }).click();
    await page.waitForURL(`${shopUrl}/staff/intake`);
    await page.waitForLoadState("networkidle");
    // The worker takes this first visit over (no second load needed) and keeps the screen and its lists.
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null), {
        timeout: 20_000,
      })
      .toBe(`${shopUrl}/sw.js`);
    await expect.poll(() => screensKept(page), { timeout: 30_000 }).toContain("/staff/intake");
    await expect.poll(() => screensKept(page), { timeout: 30_000 }).toContain("/staff/sync/data");

    // Only the intake screen and its lists are kept; no buyer page, no other console page.
    const kept = await keptAddresses(page);
    const everything = Object.values(kept).flat();
    expect(everything.length).toBeGreaterThan(10);
    for (const address of everything) {
      expect(address).toMatch(/^\/(assets\/|icons\/|manifest\.webmanifest|staff\/intake|staff\/sync\/data$)/);
    }
  });

  it("offline: a reload opens the intake screen from the phone, scripts and all", async () => {
    await context.setOffline(true);
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "收货" }).waitFor();
    expect(await page.locator("[data-offline-shell]").count()).toBe(0);
    // The screen's scripts ran from the phone's copy: the intake app is on screen, ready to use.
    await page.getByRole("heading", { name: "找村民" }).waitFor({ timeout: 20_000 });
  });

  it("offline: another console page says it needs a connection and leads back to intake", async () => {
    // A full page load (typed address, plain link).
    await page.goto(`${shopUrl}/staff/villagers`);
    await page.locator("[data-offline-shell]").waitFor();
    expect(await page.locator("h1").textContent()).toBe(NEEDS_CONNECTION);
    expect(await page.locator("h2").textContent()).toBe(NEEDS_CONNECTION_EN);
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, "offline-needs-connection.png"),
      fullPage: true,
    });

    await page.getByRole("link", { name: "去收货" }).click();
    await page.getByRole("heading", { name: "找村民" }).waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).pathname).toBe("/staff/intake");

    // A client-side navigation (Remix asks for the page's data, not the document): the same page.
    await page.getByRole("link", { name: "工作人员入口" }).click();
    await page.locator("[data-offline-shell]").waitFor();
    expect(new URL(page.url()).pathname).toBe("/staff");
    expect(await page.locator("h1").textContent()).toBe(NEEDS_CONNECTION);
  });

  it("a new version of the worker waits, and takes over at the next load of the screen", async () => {
    await context.setOffline(false);
    await page.goto(`${shopUrl}/staff/intake`);
    await page.getByRole("heading", { name: "找村民" }).waitFor({ timeout: 20_000 });
    const workerFile = path.join(SHOP_DIR, "build/service-worker/sw.js");
    const original = readFileSync(workerFile, "utf8");
    try {
      // A release: the script on the server changes.
      writeFileSync(workerFile, `${original}\n// next release\n`);
      const waitingState = () =>
        page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state ?? null);
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
      // Installed, and waiting: the open screen keeps running the version it was loaded with.
      await expect.poll(waitingState, { timeout: 30_000 }).toBe("installed");
      await page.waitForTimeout(500);
      expect(await waitingState()).toBe("installed");

      // The next load: the new version takes over and answers it (one quick reload, then the screen).
      await page.reload();
      await page.getByRole("heading", { name: "找村民" }).waitFor({ timeout: 20_000 });
      expect(await waitingState()).toBe(null);
      expect(
        await page.evaluate(async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          return [registration?.active?.state, navigator.serviceWorker.controller?.scriptURL];
        }),
      ).toEqual(["activated", `${shopUrl}/sw.js`]);
      // And it serves offline like the first one, from its own copies.
      await expect.poll(() => screensKept(page), { timeout: 20_000 }).toContain("/staff/intake");
    } finally {
      writeFileSync(workerFile, original);
    }
  });

  it("back online: the console pages come from the network again; logging out forgets the kept screens", async () => {
    await page.goto(`${shopUrl}/staff`);
    await page.waitForLoadState("networkidle");
    expect(await page.locator("[data-offline-shell]").count()).toBe(0);
    await page.getByRole("button", { name: "退出登录" }).click();
    await page.waitForURL(/\/staff\/login/);
    await expect.poll(() => screensKept(page), { timeout: 10_000 }).toEqual([]);
  });
});
