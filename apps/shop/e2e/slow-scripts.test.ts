import { type Browser, chromium, type Page, type Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./harness";

const { skipReason, shopUrl, apiUrl } = inject("e2e");
if (skipReason) console.warn(`\n!!!! ${skipReason}\n`);

/** Demo login the seed creates (packages/db seed). */
const AGENT = { login: "agent-hs01", password: "agent-demo-2026" };

/** A pickup code no order has: the lookup refuses it, which shows what the server received. */
const TYPED_CODE = "012345";
const NO_SUCH_CODE = "本服务点没有等着取货的订单是这个取货码";

/** What an urlencoded form sent for one field. */
function sentField(request: Request, name: string): string | null {
  return new URLSearchParams(request.postData() ?? "").get(name);
}

/**
 * On a slow line the page arrives long before its scripts. What the agent types into the server-rendered
 * field in that time must still be there once the keypad appears, and be what the form sends. The keypad
 * fields (KeypadField, QuantityField) share the one hook that does it (lib/hydrated.ts); the hand-over's
 * code field is the console's server-rendered keypad field (the intake screen is a browser app that shows
 * its quantity field only once its scripts run).
 */
describe.skipIf(skipReason !== null)("a number typed before the scripts arrive", () => {
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

  /** Logs the agent in and opens the pickup hand-over, whose first field is the code on the keypad. */
  async function logIn(page: Page) {
    await page.goto(`${shopUrl}/staff/login`);
    await page.getByLabel("登录名").fill(AGENT.login);
    await page.getByLabel("密码").fill(AGENT.password);
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL(`${shopUrl}/staff`);
  }

  it("keeps a pickup code typed while every script is held back, and sends it", async () => {
    const { context, page, problems } = await phone({ javaScriptEnabled: true });
    try {
      await logIn(page);

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
      await page.goto(`${shopUrl}/staff/orders/handover`, { waitUntil: "commit" });
      await page.locator("#code").waitFor();
      await page.locator("#code").fill(TYPED_CODE);
      // The page really is the server's HTML alone so far: no keypad, the scripts are waiting.
      expect(heldScripts).toBeGreaterThan(0);
      expect(await page.locator(".keypad").count()).toBe(0);

      releaseScripts();
      await page.locator(".keypad").waitFor();
      await page.waitForLoadState("networkidle");
      expect(await page.locator("#code").inputValue()).toBe(TYPED_CODE);

      // The keypad carries on from what was typed (a sixth digit is refused: the code is full).
      await page.getByRole("button", { name: "9", exact: true }).click();
      expect(await page.locator("#code").inputValue()).toBe(TYPED_CODE);
      await page.getByRole("button", { name: "删掉一位" }).click();
      await page.getByRole("button", { name: "5", exact: true }).click();
      expect(await page.locator("#code").inputValue()).toBe(TYPED_CODE);

      const submitted = page.waitForRequest((request) => request.method() === "POST");
      await page.getByRole("button", { name: "查找订单" }).click();
      expect(sentField(await submitted, "code")).toBe(TYPED_CODE);
      await page.getByText(NO_SUCH_CODE).first().waitFor();
      expect(await page.locator("#code").inputValue()).toBe(TYPED_CODE);
      expect(problems, "errors in the browser").toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("keeps a quantity typed into a villager's supply order while every script is held back, and sends it", async () => {
    // One of the agent's own villagers, from the API (the page is reached by its address, as from a bookmark).
    const login = await fetch(`${apiUrl}/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(AGENT),
    }).then((r) => r.json() as Promise<{ token: string }>);
    const lots = await fetch(`${apiUrl}/v1/lots?limit=50`, {
      headers: { authorization: `Bearer ${login.token}` },
    }).then((r) => r.json() as Promise<{ items: Array<{ consignorId: string | null }> }>);
    const villagerId = lots.items.find((l) => l.consignorId)?.consignorId;
    expect(villagerId, "a villager of the agent's point in the demo data").toBeTruthy();

    const { context, page, problems } = await phone({ javaScriptEnabled: true });
    try {
      await logIn(page);
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
      await page.goto(`${shopUrl}/staff/villagers/${villagerId}/order`, { waitUntil: "commit" });
      const quantity = page.locator(".supply-row input[type=text]").first();
      await quantity.waitFor();
      const fieldName = await quantity.getAttribute("name");
      await quantity.fill("2");
      // The page's scripts are asked for where the HTML names them, at its end: by the time they are, the
      // number is typed and they are held back, not run.
      await expect.poll(() => heldScripts).toBeGreaterThan(0);

      releaseScripts();
      await page.waitForLoadState("networkidle");
      // Hydrated: a client-side script is running the page now.
      await page.waitForFunction(() => "__remixContext" in window && document.readyState === "complete");
      expect(await quantity.inputValue()).toBe("2");

      const submitted = page.waitForRequest((request) => request.method() === "POST");
      await page.getByRole("button", { name: "下一步" }).click();
      const sent = await submitted;
      const body = sent.postData() ?? "";
      const value = body.startsWith("--")
        ? (body.match(new RegExp(`name="${fieldName}"\\r\\n\\r\\n([^\\r]*)`))?.[1] ?? null)
        : sentField(sent, fieldName ?? "");
      expect(value).toBe("2");
      expect(problems, "errors in the browser").toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("takes the same code with no JavaScript at all", async () => {
    const { context, page, problems } = await phone({ javaScriptEnabled: false });
    try {
      await logIn(page);
      await page.goto(`${shopUrl}/staff/orders/handover`);
      expect(await page.locator(".keypad").count()).toBe(0);
      await page.locator("#code").fill(TYPED_CODE);
      const submitted = page.waitForRequest((request) => request.method() === "POST");
      await page.getByRole("button", { name: "查找订单" }).click();
      expect(sentField(await submitted, "code")).toBe(TYPED_CODE);
      await page.getByText(NO_SUCH_CODE).first().waitFor();
      expect(await page.locator("#code").inputValue()).toBe(TYPED_CODE);
      expect(problems, "errors in the browser").toEqual([]);
    } finally {
      await context.close();
    }
  });
});
