import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type FakeAliyun, startFakeAliyun } from "../../api/test/mocks/fake-aliyun-sms";
import {
  API_DIR,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  childEnv,
  freePort,
  REPO_ROOT,
  run,
  SCREENSHOT_DIR,
  type Service,
  SHOP_DIR,
  startService,
  stopService,
  waitForHttp,
} from "./harness";

/**
 * A villager rates a payout from their own phone (issue 13 item 2, decision 0046): the admin pays them ¥1, the
 * rating link travels through the outbox to a fake Aliyun (which checks each request's signature and keeps
 * what it accepted), and the phone opens the link from that text: five big buttons, a comment, thanks; the
 * same link again says it was rated already.
 *
 * Like buyer-sign-in.test.ts, this file starts its own database, API (SMS_PROVIDER=aliyun, pointed at the fake,
 * PUBLIC_SHOP_URL at its own shop) and a shop server from the build the global setup made.
 */
const { skipReason } = inject("e2e");
if (skipReason) console.warn(`\n!!!! ${skipReason}\n`);

const KEY_ID = "LTAI-e2e-rating";
const KEY_SECRET = randomBytes(16).toString("hex");
const TEMPLATE_CODES = { payout_made: "SMS_0004", rating_request: "SMS_0046" };
const ADMIN = { login: "admin", password: "admin-demo-2026" };

/** Waits until `ready()` holds (hooks cannot use expect.poll). */
async function until(ready: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!ready()) {
    if (Date.now() - started > timeoutMs) throw new Error(`not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe.skipIf(skipReason !== null)("a villager rates a payout from the SMS link (390×844)", () => {
  let fake: FakeAliyun;
  let dataDir: string;
  const services: Service[] = [];
  let apiUrl = "";
  let shopUrl = "";
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let link = "";
  const problems: string[] = [];

  const hydrated = (p: Page) => p.waitForLoadState("networkidle");

  async function api<T>(pathname: string, init: { token?: string; body?: unknown; key?: string } = {}) {
    const response = await fetch(`${apiUrl}${pathname}`, {
      method: init.body === undefined ? "GET" : "POST",
      headers: {
        accept: "application/json",
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.key ? { "idempotency-key": init.key } : {}),
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (!response.ok) throw new Error(`${pathname}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  beforeAll(async () => {
    fake = await startFakeAliyun({ keys: { [KEY_ID]: KEY_SECRET } });
    dataDir = mkdtempSync(path.join(tmpdir(), "coop-rating-e2e-"));
    const logs = (name: string) => path.join(dataDir, `${name}.log`);
    // Other suites rebuild apps/shop/build while this one runs: serve a private copy of the global setup's build.
    const shopDir = path.join(dataDir, "shop");
    await until(() => existsSync(path.join(SHOP_DIR, "build/server/index.js")), 120_000);
    cpSync(path.join(SHOP_DIR, "build"), path.join(shopDir, "build"), { recursive: true });
    symlinkSync(path.join(SHOP_DIR, "node_modules"), path.join(shopDir, "node_modules"));
    const dbEnv = childEnv({ DATA_DIR: dataDir });
    await run("migrate (rating)", "pnpm", ["--filter", "@coop/db", "migrate"], {
      cwd: REPO_ROOT,
      env: dbEnv,
      logFile: logs("migrate"),
    });
    await run("seed (rating)", "pnpm", ["--filter", "@coop/db", "seed"], {
      cwd: REPO_ROOT,
      env: dbEnv,
      logFile: logs("seed"),
    });
    const [apiPort, shopPort] = [await freePort(), await freePort()];
    apiUrl = `http://127.0.0.1:${apiPort}`;
    shopUrl = `http://localhost:${shopPort}`;
    const clientAddressSecret = randomBytes(32).toString("hex");
    const apiService = startService("api (rating)", process.execPath, ["--import", "tsx", "src/server.ts"], {
      cwd: API_DIR,
      env: childEnv({
        DATA_DIR: dataDir,
        PORT: String(apiPort),
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
        CLIENT_ADDRESS_SECRET: clientAddressSecret,
        PUBLIC_SHOP_URL: shopUrl,
        SMS_PROVIDER: "aliyun",
        SMS_ALIYUN_ENDPOINT: fake.url,
        SMS_ALIYUN_ACCESS_KEY_ID: KEY_ID,
        SMS_ALIYUN_ACCESS_KEY_SECRET: KEY_SECRET,
        SMS_SIGN_NAME: "供销社",
        SMS_TEMPLATE_CODES: JSON.stringify(TEMPLATE_CODES),
      }),
      logFile: logs("api"),
    });
    services.push(apiService);
    await waitForHttp(apiService, `${apiUrl}/health`, 90_000);
    const shop = startService(
      "shop (rating)",
      path.join(SHOP_DIR, "node_modules/.bin/remix-serve"),
      ["./build/server/index.js"],
      {
        cwd: shopDir,
        env: childEnv({
          NODE_ENV: "production",
          PORT: String(shopPort),
          HOST: "127.0.0.1",
          API_URL: apiUrl,
          SESSION_SECRET: randomBytes(32).toString("hex"),
          CLIENT_ADDRESS_SECRET: clientAddressSecret,
        }),
        logFile: logs("shop"),
      },
    );
    services.push(shop);
    await waitForHttp(shop, `${shopUrl}/`, 30_000);

    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: "zh-CN",
    });
    page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
        problems.push(`console.error: ${message.text()}`);
      }
    });
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    for (const service of services.reverse()) await stopService(service);
    await fake?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("a payout texts the villager a rating link", async () => {
    const { token } = await api<{ token: string }>("/v1/auth/login", { body: ADMIN });
    // A seeded villager with at least ¥1 of earnings.
    const points = await api<{ items: Array<{ id: string }> }>("/v1/service-points");
    let villager: { id: string; phone: string } | null = null;
    for (const point of points.items) {
      const roster = await api<{ items: Array<{ id: string; phone: string }> }>(
        `/v1/consignors/roster?servicePointId=${point.id}&limit=50`,
        { token },
      );
      for (const v of roster.items) {
        const one = await api<{ balanceFen: number }>(`/v1/consignors/${v.id}`, { token });
        if (one.balanceFen >= 100) {
          villager = v;
          break;
        }
      }
      if (villager) break;
    }
    expect(villager, "a seeded villager with a balance").not.toBeNull();
    const asked = Date.now() - 1000;
    await api("/v1/payouts", {
      token,
      key: `e2e-rating-${villager!.id}`,
      body: { consignorId: villager!.id, amountFen: 100, method: "cash" },
    });
    await expect
      .poll(
        () => {
          const sms = fake.accepted
            .filter((m) => m.phone === villager!.phone && m.templateCode === TEMPLATE_CODES.rating_request)
            .filter((m) => m.at.getTime() >= asked)
            .at(-1);
          link = sms?.params.link ?? "";
          return link;
        },
        { timeout: 30_000, interval: 250 },
      )
      .toMatch(/\/r\/[0-9a-z]{26}\.[\w-]{16}$/);
    expect(link.startsWith(`${shopUrl}/r/`)).toBe(true);
  }, 90_000);

  it("the phone opens the link, picks 满意 with a comment and is thanked", async () => {
    const response = await page.goto(link);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["cache-control"]).toBe("private, no-store");
    await hydrated(page);
    expect(await page.locator("h1").textContent()).toBe("请为我们的服务打分");
    expect(await page.locator(".rating-what").textContent()).toContain("领取货款");
    const buttons = await page.locator(".rating-level").allTextContents();
    expect(buttons).toEqual(["非常满意", "满意", "一般", "不满意", "非常不满意"]);
    // Big enough for a thumb, and the page no wider than the phone.
    const height = await page
      .getByRole("button", { name: "满意", exact: true })
      .evaluate((el) => el.getBoundingClientRect().height);
    expect(height).toBeGreaterThanOrEqual(48);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    // No staff console on this page.
    expect(await page.locator('a[href^="/staff/"]').count()).toBe(0);
    await page.getByLabel("想说的话（可以不写）").fill("钱当场点清了，谢谢");
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "rating-390.png"), fullPage: true });
    await page.getByRole("button", { name: "满意", exact: true }).click();
    await page.locator('[data-state="thanks"]').waitFor();
    expect(await page.locator("h1").textContent()).toBe("谢谢您！");
    expect(await page.locator(".rating-done").textContent()).toBe("您的打分已收到。");
    expect(problems).toEqual([]);
  }, 60_000);

  it("the same link again says it was rated already; an altered one that it is wrong", async () => {
    const again = await page.goto(link);
    expect(again?.status()).toBe(410);
    expect(await page.locator("h1").textContent()).toBe("这次已经打过分了");
    expect(await page.locator(".rating-level").count()).toBe(0);
    const altered = link.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    const wrong = await page.goto(altered);
    expect(wrong?.status()).toBe(404);
    expect(await page.locator("h1").textContent()).toBe("这个链接不对");
    expect(problems).toEqual([]);
  }, 60_000);
});
