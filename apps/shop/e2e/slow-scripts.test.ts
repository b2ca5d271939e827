import { type Browser, chromium, type Page, type Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./harness";

const { skipReason, shopUrl } = inject("e2e");
if (skipReason) console.warn(`\n!!!! ${skipReason}\n`);

/** Demo login the seed creates (packages/db seed). */
const AGENT = { login: "agent-hs01", password: "agent-demo-2026" };

/** A phone number no other run has used: 13 + nine random digits. */
const freshPhone = () => `13${String(Math.floor(Math.random() * 1e9)).padStart(9, "0")}`;

/** A date some days ahead, as a date field wants it (China time, like the shop). */
function daysAhead(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** The product sold by weight the test takes in (seeded): 斤, 公斤 and 克 are offered. */
const PRODUCT = "坛子菜·萝卜干";

/** What a multipart form sent for one field. */
function sentField(request: Request, name: string): string | null {
  const body = request.postDataBuffer()?.toString("utf8") ?? "";
  const match = new RegExp(`name="${name}"\\r\\n\\r\\n([^\\r]*)\\r\\n`).exec(body);
  return match?.[1] ?? null;
}

/**
 * On a slow line the page arrives long before its scripts. What the agent types into the server-rendered
 * field in that time must still be there once the keypad appears, and be what the form sends.
 */
describe.skipIf(skipReason !== null)("a quantity typed before the scripts arrive", () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function phone(options: { javaScriptEnabled: boolean }) {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: "zh-CN",
      javaScriptEnabled: options.javaScriptEnabled,
      // A first visit: no service worker answers from its cache, every script comes over the line.
      serviceWorkers: "block",
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
        problems.push(`console.error: ${message.text()}`);
      }
    });
    return { context, page, problems };
  }

  /** Logs the agent in, registers a new villager and opens the intake form for PRODUCT; its address. */
  async function openIntakeForm(page: Page): Promise<string> {
    await page.goto(`${shopUrl}/staff/login`);
    await page.getByLabel("登录名").fill(AGENT.login);
    await page.getByLabel("密码").fill(AGENT.password);
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL(`${shopUrl}/staff`);
    await page.goto(`${shopUrl}/staff/villagers/new`);
    await page.getByLabel("姓名", { exact: true }).fill("慢网村民");
    await page.getByLabel("手机号", { exact: true }).fill(freshPhone());
    await page.getByRole("button", { name: "登记", exact: true }).click();
    await page.waitForURL(/\/staff\/villagers\/csg_[0-9a-z]+\?registered=1/);
    await page.goto(`${shopUrl}${new URL(page.url()).pathname}/intake`);
    await page.locator(".card-link", { has: page.locator(".card-title", { hasText: PRODUCT }) }).click();
    await page.waitForURL(/\/intake\?productId=prd_/);
    return page.url();
  }

  it("keeps 1.5 公斤 typed while every script is held back, and sends it", async () => {
    const { context, page, problems } = await phone({ javaScriptEnabled: true });
    try {
      const intakeUrl = await openIntakeForm(page);

      // Hold every script of the page until the agent has typed (a 3G line in a village).
      let releaseScripts = () => {};
      const scriptsReleased = new Promise<void>((resolve) => {
        releaseScripts = resolve;
      });
      let heldScripts = 0;
      await page.route(/\/assets\/[^?]*\.js(\?.*)?$/, async (route) => {
        heldScripts += 1;
        await scriptsReleased;
        await route.continue();
      });
      await page.goto(intakeUrl, { waitUntil: "commit" });
      await page.locator("#quantity").waitFor();
      await page.locator("#quantity").fill("1.5");
      await page.getByRole("radio", { name: "公斤", exact: true }).check();
      await page.getByLabel("保质期到哪天").fill(daysAhead(30));
      // The page really is the server's HTML alone so far: no keypad, the scripts are waiting.
      expect(heldScripts).toBeGreaterThan(0);
      expect(await page.locator(".keypad").count()).toBe(0);

      releaseScripts();
      await page.locator(".keypad").waitFor();
      await page.waitForLoadState("networkidle");
      expect(await page.locator("#quantity").inputValue()).toBe("1.5");
      expect(await page.getByRole("radio", { name: "公斤", exact: true }).isChecked()).toBe(true);
      // The hydrated field works from what was typed: the weight in 斤 and grams is shown for it.
      expect(await page.locator(".quantity-preview").textContent()).toContain("1,500");

      const submitted = page.waitForRequest((request) => request.method() === "POST");
      await page.getByRole("button", { name: "确认收货" }).click();
      const request = await submitted;
      expect(sentField(request, "quantity")).toBe("1.5");
      expect(sentField(request, "inputUnit")).toBe("kg");
      await page.waitForURL(/\/staff\/lots\/lot_[0-9a-z]+\/receipt$/);
      expect(await page.locator(".slip-row-quantity dd").textContent()).toContain("1,500");
      expect(problems, "errors in the browser").toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("takes the same intake with no JavaScript at all", async () => {
    const { context, page, problems } = await phone({ javaScriptEnabled: false });
    try {
      await openIntakeForm(page);
      expect(await page.locator(".keypad").count()).toBe(0);
      await page.locator("#quantity").fill("1.5");
      await page.getByRole("radio", { name: "公斤", exact: true }).check();
      await page.getByLabel("保质期到哪天").fill(daysAhead(30));
      await page.getByRole("button", { name: "确认收货" }).click();
      await page.waitForURL(/\/staff\/lots\/lot_[0-9a-z]+\/receipt$/);
      expect(await page.locator(".slip-row-quantity dd").textContent()).toContain("1,500");
      expect(problems, "errors in the browser").toEqual([]);
    } finally {
      await context.close();
    }
  });
});
