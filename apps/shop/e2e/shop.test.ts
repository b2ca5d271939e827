import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, SCREENSHOT_DIR } from "./harness";

const { skipReason, shopUrl } = inject("e2e");
if (skipReason) console.warn(`\n!!!! ${skipReason}\n`);

/** The demo admin the seed creates (packages/db seed). */
const ADMIN = { login: "admin", password: "admin-demo-2026" };

describe.skipIf(skipReason !== null)("the shop on a phone (real API, built shop, Chromium)", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** Each test is a new visitor: a fresh phone-sized context whose Accept-Language says English. */
  async function newVisitor() {
    context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: "en-US",
    });
    page = await context.newPage();
    problems = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      // Expected: the browser logs 401/404 answers it was given on purpose.
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
        problems.push(`console.error: ${message.text()}`);
      }
    });
  }

  afterEach(async () => {
    await context?.close();
    expect(problems, "errors in the browser").toEqual([]);
  });

  /** Waits until the page's scripts have loaded and run (the pages also work before that). */
  async function hydrated() {
    await page.waitForLoadState("networkidle");
  }

  it("shows the home page in Chinese by default, switches to English, and saves both screenshots", async () => {
    await newVisitor();
    const response = await page.goto(`${shopUrl}/`);
    expect(response?.status()).toBe(200);
    await hydrated();

    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
    await expect.poll(() => page.locator("h1").textContent()).toBe("供销社农货铺");
    expect(await page.getByRole("link", { name: "看看全部商品" }).isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: "工作人员登录" }).first().isVisible()).toBe(true);
    // Featured produce streams in from the API.
    await page.locator(".product-card").first().waitFor();
    expect(await page.locator(".product-card").count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "home-zh-CN.png"), fullPage: true });

    await page.getByRole("link", { name: "English" }).click();
    await page.waitForURL(/lng=en/);
    await expect.poll(() => page.getAttribute("html", "lang")).toBe("en");
    await expect.poll(() => page.locator("h1").textContent()).toBe("Co-op Farm Shop");
    expect(await page.getByRole("link", { name: "See all products" }).isVisible()).toBe(true);
    await page.locator(".product-card").first().waitFor();
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "home-en.png"), fullPage: true });

    // The choice is remembered in the cookie: a plain visit to another page stays English.
    await page.goto(`${shopUrl}/products`);
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.locator("h1").textContent()).toBe("All products");
  });

  it("lists products, filters by kind, searches, and opens a product with its price and stock", async () => {
    await newVisitor();
    await page.goto(`${shopUrl}/products`);
    await hydrated();
    expect(await page.locator("h1").textContent()).toBe("全部商品");
    const cards = page.locator(".product-card");
    expect(await cards.count()).toBeGreaterThan(0);

    const kindsShown = async () => [...new Set(await page.locator(".product-card-kind").allTextContents())];
    await page.getByRole("link", { name: "农资", exact: true }).click();
    await page.waitForURL(/kind=supply/);
    await expect.poll(kindsShown).toEqual(["农资"]);

    await page.getByRole("link", { name: "农产品", exact: true }).click();
    await page.waitForURL(/kind=produce/);
    await expect.poll(kindsShown).toEqual(["农产品"]);
    const firstName = (await page.locator(".product-card-name").first().textContent()) ?? "";
    expect(firstName).not.toBe("");

    await page.getByLabel("找商品").fill(firstName);
    await page.getByRole("button", { name: "搜索" }).click();
    await page.waitForURL(/q=/);
    await expect.poll(() => page.locator(".product-card-name").allTextContents()).toContain(firstName);

    await page.locator(".product-card-link").filter({ hasText: firstName }).first().click();
    await page.waitForURL(/\/products\/prd_/);
    await expect.poll(() => page.locator("h1").textContent()).toBe(firstName);
    expect(await page.locator(".fact-price").textContent()).toMatch(/¥\d+\.\d{2}\s*\/\S+/);
    expect(await page.locator(".stock").textContent()).toMatch(/^(有货 [\d,]+\S+|缺货)$/);
    expect(await page.title()).toContain(firstName);
  });

  it("shows a 404 page in the reader's language for a product that does not exist", async () => {
    await newVisitor();
    const zh = await page.goto(`${shopUrl}/products/prd_00000000000000000000000000`);
    expect(zh?.status()).toBe(404);
    expect(await page.locator("h1").textContent()).toBe("找不到这个页面");

    const en = await page.goto(`${shopUrl}/no/such/page?lng=en`);
    expect(en?.status()).toBe(404);
    expect(await page.locator("h1").textContent()).toBe("Page not found");
  });

  it("sends its security headers and breaks no Content-Security-Policy rule on home, product, checkout and staff login", async () => {
    await newVisitor();
    // Every violation the page reports, whether or not the browser also logs it.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __csp: string[] }).__csp = seen;
      document.addEventListener("securitypolicyviolation", (e) =>
        seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
      );
    });
    const cspMessages: string[] = [];
    page.on("console", (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspMessages.push(message.text());
    });
    const violations: string[] = [];
    const check = async (what: string, response: Awaited<ReturnType<Page["goto"]>>) => {
      expect(response?.status(), what).toBe(200);
      const headers = response!.headers();
      const csp = headers["content-security-policy"] ?? "";
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce, `${what}: CSP with a nonce`).toBeTruthy();
      expect(csp, what).toContain("frame-ancestors 'none'");
      expect(headers["x-frame-options"], what).toBe("DENY");
      expect(headers["x-content-type-options"], what).toBe("nosniff");
      expect(headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
      // The built shop runs with NODE_ENV=production here.
      expect(headers["strict-transport-security"], what).toMatch(/^max-age=/);
      await hydrated();
      // Remix's inline scripts ran (they carry the nonce), so the page hydrated.
      await expect
        .poll(() => page.evaluate(() => typeof (window as { __remixRouter?: unknown }).__remixRouter))
        .toBe("object");
      violations.push(
        ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).map(
          (v) => `${what}: ${v}`,
        ),
      );
    };

    await check("home", await page.goto(`${shopUrl}/`));
    await page.goto(`${shopUrl}/products?kind=produce`);
    const productHref = await page.locator(".product-card-link").first().getAttribute("href");
    await check("product", await page.goto(`${shopUrl}${productHref}`));
    await page.locator('input[name="units"]').fill("1");
    await page.getByRole("button", { name: "放进购物车" }).click();
    await page.waitForURL(/added=1/);
    await check("checkout", await page.goto(`${shopUrl}/checkout`));
    expect(page.url()).toBe(`${shopUrl}/checkout`);
    await check("staff login", await page.goto(`${shopUrl}/staff/login`));

    expect({ violations, cspMessages }).toEqual({ violations: [], cspMessages: [] });
  });

  it("refuses a plain form posted from another site with 403 and a sentence, not a 500", async () => {
    const crossSite = await fetch(`${shopUrl}/staff/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: "login=admin&password=guess",
      redirect: "manual",
    });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.text()).toContain("已拒绝");
    // The shop's own form post is not refused by that check.
    const own = await fetch(`${shopUrl}/staff/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(shopUrl).origin },
      body: "login=admin&password=guess",
      redirect: "manual",
    });
    expect(own.status).not.toBe(403);
    expect(own.status).toBeLessThan(500);
  });

  it("keeps staff pages behind login, refuses a wrong password, and shows the admin console", async () => {
    await newVisitor();
    await page.goto(`${shopUrl}/staff`);
    await page.waitForURL(/\/staff\/login\?redirectTo=%2Fstaff/);
    await hydrated();
    await expect.poll(() => page.locator("h1").textContent()).toBe("工作人员登录");

    await page.getByLabel("登录名").fill(ADMIN.login);
    await page.getByLabel("密码").fill("not-the-password");
    await page.getByRole("button", { name: "登录" }).click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").textContent()).toBe("登录名或密码不对，请再试一次。");
    expect(page.url()).toContain("/staff/login");

    await page.getByLabel("密码").fill(ADMIN.password);
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL(`${shopUrl}/staff`);
    // The address changes a moment before the new page is rendered: wait for the page, not the URL.
    await expect.poll(() => page.locator("h1").textContent()).toMatch(/^您好，/);
    expect(await page.locator(".role-badge").textContent()).toBe("身份：管理员");
    const tiles = await page.locator(".tile-title").allTextContents();
    expect(tiles).toEqual([
      "商品和价格",
      "佣金规则",
      "服务点",
      "员工账号",
      "订单农业",
      "报表",
      "差评回访",
      "封存召回",
      "各服务点的现金",
      "订单",
      "集货收货",
      "配送到服务点",
      "库存（按位置和批次）",
      "找村民",
    ]);
    // Every tile is built now: none says "coming soon".
    expect(await page.locator(".tile-soon").count()).toBe(0);

    // The token stays on the server side of the cookie: the page's JavaScript cannot read it.
    const cookies = await context.cookies();
    const session = cookies.find((cookie) => cookie.name === "coop_staff");
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Lax");
    expect(await page.evaluate(() => document.cookie)).not.toContain("coop_staff");

    await page.getByRole("link", { name: "English" }).click();
    await expect.poll(() => page.locator(".tile-title").first().textContent()).toBe("Products & prices");
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "staff-console-en.png"), fullPage: true });

    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(/\/staff\/login/);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Staff login");
    await page.goto(`${shopUrl}/staff`);
    await page.waitForURL(/\/staff\/login/);
  });
});
