import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, SCREENSHOT_DIR } from "./harness";

const { skipReason, shopUrl, apiUrl } = inject("e2e");
if (skipReason) console.warn(`\n!!!! ${skipReason}\n`);

const ADMIN = { login: "admin", password: "admin-demo-2026" };
const AGENT = { login: "agent-hs01", password: "agent-demo-2026" };

async function call(pathname: string, init: { token?: string; body?: unknown; key?: string } = {}) {
  const response = await fetch(`${apiUrl}${pathname}`, {
    method: init.body === undefined && !init.key ? "GET" : "POST",
    headers: {
      accept: "application/json",
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.key ? { "idempotency-key": init.key } : {}),
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const chinaDay = (offsetDays: number) =>
  new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

/**
 * Issue 12: a buyer opens a harvest campaign's page on a 390×844 phone, reads what is left of the villagers'
 * pledges, the harvest window and what happens if the harvest falls short, and pre-orders in one step, paying
 * in cash at pickup; the order waits for the harvest.
 */
describe.skipIf(skipReason !== null)("a harvest campaign page (Chromium, 390×844)", () => {
  let browser: Browser;
  let page: Page;
  let adminToken = "";
  let campaignId = "";
  let orderId = "";
  const secondVillager = { id: "", name: "" };
  const priceFen = 2480;

  beforeAll(async () => {
    adminToken = String((await call("/v1/auth/login", { body: ADMIN })).json.token);
    const agentToken = String((await call("/v1/auth/login", { body: AGENT })).json.token);
    const me = (await call("/v1/auth/me", { token: agentToken })).json.user as { servicePointId: string };
    const products = (await call("/v1/products?limit=100")).json.items as Array<{ id: string; kind: string }>;
    const produce = products.find((p) => p.kind === "produce");
    expect(produce, "the demo has no produce").toBeDefined();
    const opened = await call("/v1/campaigns", {
      token: adminToken,
      key: `e2e-campaign-${Date.now()}`,
      body: {
        productId: produce!.id,
        title: { zh: "春笋预订", en: "Spring bamboo shoots" },
        priceFen,
        capUnits: 100,
        perOrderLimit: 5,
        perBuyerLimit: 5,
        opensAt: new Date(Date.now() - 60_000).toISOString(),
        closesAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        harvestFrom: chinaDay(14),
        harvestTo: chinaDay(21),
      },
    });
    expect(opened.status, JSON.stringify(opened.json)).toBe(201);
    campaignId = String(opened.json.id);
    const roster = (
      await call(`/v1/consignors/roster?servicePointId=${me.servicePointId}`, { token: agentToken })
    ).json.items as Array<{ id: string; name: string }>;
    Object.assign(secondVillager, roster[1]);
    const pledged = await call(`/v1/campaigns/${campaignId}/pledges`, {
      token: agentToken,
      key: `e2e-pledge-${campaignId}`,
      body: { consignorId: roster[0]!.id, units: 60 },
    });
    expect(pledged.status, JSON.stringify(pledged.json)).toBe(200);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      hasTouch: true,
      locale: "zh-CN",
    });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    if (orderId)
      await call(`/v1/orders/${orderId}/cancel`, {
        token: adminToken,
        key: `e2e-cancel-${orderId}`,
        body: { reason: "browser test clean-up" },
      });
  });

  it("shows what is left, the harvest window and the shortfall rule, and takes a pre-order in one step", async () => {
    // The home page announces it; the buyer follows the link.
    await page.goto(`${shopUrl}/`);
    const link = page.locator(`a[href="/campaigns/${campaignId}"]`);
    await expect.poll(() => link.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await link.textContent()).toContain("春笋预订");
    await Promise.all([page.waitForURL(new RegExp(`/campaigns/${campaignId}$`)), link.click()]);
    expect(await page.getByTestId("campaign-left").textContent()).toContain("还剩 60");
    expect(await page.getByTestId("campaign-harvest").textContent()).toMatch(/\d{4}年\d+月\d+日 至 /);
    expect(await page.getByTestId("campaign-shortfall").textContent()).toContain("全额原路退回");
    expect(await page.getByTestId("countdown").isVisible()).toBe(true);
    // The narrowest phone the shop serves: nothing sticks out sideways.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // In English too (longer words), and its days read as such.
    await page.goto(`${shopUrl}/campaigns/${campaignId}?lng=en`);
    expect(await page.getByTestId("campaign-shortfall").textContent()).toContain("refunded in full");
    expect(await page.getByTestId("countdown").textContent()).toMatch(/^\d+ d \d\d:\d\d:\d\d$/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.goto(`${shopUrl}/campaigns/${campaignId}?lng=zh-CN`);
    expect(await page.getByTestId("countdown").textContent()).toMatch(/^\d+ 天 \d\d:\d\d:\d\d$/);
    await page.setViewportSize({ width: 390, height: 844 });

    await page.locator("select[name=quantity]").selectOption("2");
    await page.getByLabel("您的姓名").fill("预订的王大姐");
    await page.getByLabel("手机号").fill("13912340077");
    await page.locator("input[name=servicePointId]").first().check();
    await page.locator("input[name=paymentMethod][value=cash_on_pickup]").check();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "campaign-preorder-390.png"), fullPage: true });
    const order = page.locator("form button[type=submit]");
    expect(await order.textContent()).toContain("确认预订");
    await Promise.all([page.waitForURL(/\/orders\/ord_[^/?]+\?placed=1/), order.click()]);
    orderId = new URL(page.url()).pathname.split("/").pop()!;
    expect(orderId).toMatch(/^ord_/);
    await expect
      .poll(() => page.locator("main").textContent(), { timeout: 10_000 })
      .toContain("已预订，等收获");
    expect(await page.locator("main").textContent()).toContain("49.60");
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "campaign-preordered-390.png"), fullPage: true });
    const campaign = (await call(`/v1/campaigns/${campaignId}`)).json;
    expect(campaign).toMatchObject({ reservedUnits: 2, left: 58, state: "open" });
  });

  it("lets the agent record a villager's pledge on the staff screen and take the harvest in against it", async () => {
    const agent = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
    const phone = await agent.newPage();
    await phone.goto(`${shopUrl}/staff/login`);
    await phone.waitForLoadState("networkidle");
    await phone.getByLabel("登录名").fill(AGENT.login);
    await phone.getByLabel("密码").fill(AGENT.password);
    await phone.getByRole("button", { name: "登录" }).click();
    await phone.waitForURL(`${shopUrl}/staff`);
    await phone.getByRole("link", { name: "订单农业" }).click();
    await phone.waitForURL(`${shopUrl}/staff/campaigns`);
    // Earlier runs' campaigns may be listed too: this run's, by its address.
    await phone.locator(`a[href="/staff/campaigns/${campaignId}"]`).click();
    await phone.waitForURL(new RegExp(`/staff/campaigns/${campaignId}$`));
    // Choices made before the page's scripts have started would be reset by them.
    await phone.waitForLoadState("networkidle");
    expect(await phone.getByTestId("campaign-pledged").textContent()).toContain("60");
    await phone.getByLabel("哪位村民").selectOption(secondVillager.id);
    await phone.getByLabel(/认种多少/).fill("15");
    await phone.getByRole("button", { name: "记下认种" }).click();
    await expect.poll(() => phone.getByRole("status").textContent()).toContain("认种记好了");
    // The page's figures are read again after the action.
    await expect.poll(() => phone.getByTestId("campaign-pledged").textContent()).toContain("75");
    expect(await phone.getByTestId("pledges").textContent()).toContain(secondVillager.name);
    await phone.setViewportSize({ width: 360, height: 740 });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await phone.screenshot({
      path: path.join(SCREENSHOT_DIR, "campaign-staff-pledge-360.png"),
      fullPage: true,
    });
    expect((await call(`/v1/campaigns/${campaignId}`)).json.pledgedUnits).toBe(75);

    // The harvest comes: from the villager's pledge straight to the intake, which takes it in against it.
    const card = phone.locator(".card", { hasText: secondVillager.name });
    await card.getByRole("link", { name: "收这位村民交的认种货" }).click();
    await phone.waitForURL(/\/staff\/intake\?villager=/);
    await phone.waitForLoadState("networkidle");
    await phone.getByTestId("intake-pledge").waitFor({ timeout: 20_000 });
    await phone.getByRole("button", { name: "1", exact: true }).click();
    await phone.getByRole("button", { name: "0", exact: true }).click();
    const bestBefore = phone.getByLabel("保质期到哪天");
    if (await bestBefore.count()) await bestBefore.fill(chinaDay(20));
    await phone.getByRole("button", { name: "确认收货" }).click();
    await expect
      .poll(() => phone.getByTestId("receipt-state").textContent(), { timeout: 30_000 })
      .toBe("已发送");
    const agentToken = String((await call("/v1/auth/login", { body: AGENT })).json.token);
    const pledges = (await call(`/v1/campaigns/${campaignId}/pledges`, { token: agentToken })).json
      .items as Array<{
      consignor: { id: string };
      deliveredUnits: number;
    }>;
    expect(pledges.find((p) => p.consignor.id === secondVillager.id)?.deliveredUnits).toBe(10);
    await agent.close();
  });

  it("lets the admin open a campaign on the staff screen, times in China time", async () => {
    const admin = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
    const page = await admin.newPage();
    await page.goto(`${shopUrl}/staff/login`);
    await page.waitForLoadState("networkidle");
    await page.getByLabel("登录名").fill(ADMIN.login);
    await page.getByLabel("密码").fill(ADMIN.password);
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL(`${shopUrl}/staff`);
    await page.getByRole("link", { name: "订单农业" }).click();
    await page.getByRole("link", { name: "开一个新的订单农业" }).click();
    await page.waitForURL(`${shopUrl}/staff/campaigns/new`);
    await page.waitForLoadState("networkidle");
    await page.getByLabel("哪样农产品").selectOption({ index: 1 });
    await page.getByLabel("活动名称（中文）").fill("新茶油预订");
    await page.getByLabel("每份价钱").fill("68.50");
    await page.getByLabel("最多卖几份").fill("200");
    await page.getByLabel("每单最多几份").fill("2");
    await page.getByLabel("每人最多几份（按手机号）").fill("4");
    const day = (offset: number) => chinaDay(offset);
    await page.getByLabel("开始预订").fill(`${day(0)}T00:00`);
    await page.getByLabel("预订截止").fill(`${day(10)}T20:00`);
    await page.getByLabel("预计收获（第一天）").fill(day(20));
    await page.getByLabel("预计收获（最后一天）").fill(day(30));
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.getByRole("button", { name: "开始这个订单农业" }).click();
    await page.waitForURL(/\/staff\/campaigns\/hvc_/);
    // The address changes before the new page is drawn: wait for its heading.
    await expect.poll(() => page.locator("h1").textContent()).toBe("新茶油预订");
    const id = new URL(page.url()).pathname.split("/").pop()!;
    const opened = (await call(`/v1/campaigns/${id}`)).json;
    // 20:00 in China is 12:00 UTC; ¥68.50 is 6850 fen.
    expect(opened).toMatchObject({
      priceFen: 6850,
      capUnits: 200,
      perOrderLimit: 2,
      perBuyerLimit: 4,
      state: "open",
    });
    expect(opened.closesAt).toBe(`${day(10)}T12:00:00.000Z`);
    await admin.close();
  });
});
