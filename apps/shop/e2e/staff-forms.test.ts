import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./harness";

const { skipReason, shopUrl } = inject("e2e");
if (skipReason) console.warn(`\n!!!! ${skipReason}\n`);

const ADMIN = { login: "admin", password: "admin-demo-2026" };

/**
 * Issue 15 item 4 (decision 0039): staff forms parsed on the server from the contract schemas with Conform
 * work the same with and without JavaScript: a refused form comes back with the field's error under it,
 * what was typed still in the box, and a fresh idempotency key. Nothing is saved: only refused forms are sent.
 */
describe.skipIf(skipReason !== null)("staff forms with and without JavaScript (Chromium)", () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function adminPage(javaScriptEnabled: boolean): Promise<Page> {
    const context = await browser.newContext({ locale: "zh-CN", javaScriptEnabled });
    const page = await context.newPage();
    await page.goto(`${shopUrl}/staff/login`);
    if (javaScriptEnabled) await page.waitForLoadState("networkidle");
    await page.locator("#login").fill(ADMIN.login);
    await page.locator("#password").fill(ADMIN.password);
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL(`${shopUrl}/staff`);
    return page;
  }

  it.each([
    ["without JavaScript", false],
    ["with JavaScript", true],
  ] as const)("%s, a wrong percent is refused beside its field and stays in the box", async (_, js) => {
    const page = await adminPage(js);
    await page.goto(`${shopUrl}/staff/admin/commission`);
    if (js) await page.waitForLoadState("networkidle");
    const percent = page.getByLabel("统一佣金");
    await percent.fill("12.345");
    await page.getByRole("button", { name: "保存" }).click();
    await expect
      .poll(() => page.locator("#percent-error").textContent())
      .toBe("请填 0 到 100 之间的数，比如 10 或 8.5。");
    expect(await page.getByRole("alert").textContent()).toBe("有几处要改一下，请看下面红字。");
    expect(await percent.inputValue()).toBe("12.345");
    expect(await percent.getAttribute("aria-invalid")).toBe("true");
    expect(await percent.getAttribute("aria-describedby")).toBe("percent-error");
    await page.context().close();
  });

  it("without JavaScript, a refused new account keeps what was typed but not the password, with a new key", async () => {
    const page = await adminPage(false);
    await page.goto(`${shopUrl}/staff/admin/staff`);
    const firstKey = await page.locator("input[name=idempotencyKey]").inputValue();
    await page.locator("#role").selectOption("warehouse");
    await page.locator("#login").fill("No Capitals");
    await page.locator("#password").fill("long-enough-2026");
    await page.getByRole("button", { name: "建这个账号" }).click();
    await expect
      .poll(() => page.locator("#login-error").textContent())
      .toBe("登录名 3 到 64 个字，只能用小写字母、数字、点、横线和下划线。");
    expect(await page.locator("#login").inputValue()).toBe("No Capitals");
    expect(await page.locator("#role").inputValue()).toBe("warehouse");
    expect(await page.locator("#password").inputValue()).toBe("");
    const secondKey = await page.locator("input[name=idempotencyKey]").inputValue();
    expect(secondKey).toMatch(/^shop-/);
    expect(secondKey).not.toBe(firstKey);
    await page.context().close();
  });
});
