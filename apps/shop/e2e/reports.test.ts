import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, SCREENSHOT_DIR } from "./harness";

const { skipReason, shopUrl, apiUrl } = inject("e2e");
if (skipReason) console.warn(`\n!!!! ${skipReason}\n`);

/** Demo logins the seed creates (packages/db seed). */
const ADMIN = { login: "admin", password: "admin-demo-2026" };
const AGENT = { login: "agent-hs01", password: "agent-demo-2026" };

const SCREENS = [
  { name: "390", viewport: { width: 390, height: 844 }, mobile: true },
  { name: "1280", viewport: { width: 1280, height: 800 }, mobile: false },
] as const;

interface Board {
  pointId: string | null;
  totals: { grossFen: number; orders: number };
  payables: { owedFen: number };
  topPoints: Array<{ key: string; grossFen: number }>;
}

/** An answer of the API to this staff login. */
async function apiGet<T>(login: { login: string; password: string }, path: string): Promise<T> {
  const res = await fetch(`${apiUrl}/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(login),
  });
  const { token } = (await res.json()) as { token: string };
  const answer = await fetch(`${apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(answer.status, path).toBe(200);
  return (await answer.json()) as T;
}

/** The dashboard the API gives for the page's range: what the page must show. */
const apiDashboard = (login: { login: string; password: string }, query: string) =>
  apiGet<Board>(login, `/v1/reports/dashboard?${query}`);

/**
 * Issue 13: the admin's dashboard and a service point's report, on a phone and on a desktop screen, in
 * Chinese. Every figure on the page is the API's; each chart has its table, and a tap on a bar marks its row.
 */
describe.skipIf(skipReason !== null).each(SCREENS)("reports at $name px", ({ name, viewport, mobile }) => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    context = await browser.newContext({
      viewport,
      deviceScaleFactor: mobile ? 2 : 1,
      isMobile: mobile,
      hasTouch: mobile,
      locale: "zh-CN",
    });
    page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
        problems.push(`console.error: ${message.text()}`);
      }
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  async function signIn(who: { login: string; password: string }) {
    await context.clearCookies();
    await page.goto(`${shopUrl}/staff/login`);
    await page.waitForLoadState("networkidle");
    await page.getByLabel("登录名").fill(who.login);
    await page.getByLabel("密码").fill(who.password);
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL(`${shopUrl}/staff`);
  }

  async function fitsTheScreen() {
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      screen: window.innerWidth,
    }));
    expect(widths.page, `page wider than the screen at ${page.url()}`).toBeLessThanOrEqual(widths.screen);
  }

  /** Waits for the page (after a client-side navigation too) to be the one with this title, scripts loaded. */
  async function heading(name: string | RegExp) {
    await page.getByRole("heading", { level: 1, name }).waitFor();
    await page.waitForLoadState("networkidle");
  }

  /** The range the page shows, from its date picker, as the API's query. */
  async function rangeQuery(): Promise<string> {
    const from = await page.getByLabel("从", { exact: true }).inputValue();
    const to = await page.getByLabel("到", { exact: true }).inputValue();
    return `from=${from}&to=${to}`;
  }

  /** The fen of the headline figure with this label. */
  async function kpiFen(label: string): Promise<number> {
    const kpi = page.locator(".kpi").filter({ has: page.locator(".kpi-label", { hasText: label }) });
    return Number(await kpi.locator(".money").first().getAttribute("data-fen"));
  }

  it("the admin opens 报表 from the console and sees the co-op's sales, with a table beside every chart", async () => {
    await signIn(ADMIN);
    await page.getByRole("link", { name: /报表/ }).first().click();
    await page.waitForURL(/\/staff\/reports/);
    await heading("报表");

    // The page's range is in its form; the API's dashboard for that range is what it must show.
    const board = await apiDashboard(ADMIN, await rangeQuery());
    expect(board.totals.grossFen, "the demo's sales fall in the default range").toBeGreaterThan(0);
    expect(await kpiFen("卖货收入")).toBe(board.totals.grossFen);
    expect(await kpiFen("还欠村民")).toBe(board.payables.owedFen);

    // Every chart is drawn on the server, and has its table.
    const blocks = page
      .locator("section.report-block")
      .filter({ has: page.locator("figure.report-chart svg") });
    expect(await blocks.count()).toBeGreaterThanOrEqual(3);
    for (const block of await blocks.all()) {
      expect(await block.locator("table tbody tr").count()).toBeGreaterThan(0);
    }

    // A tap on a bar of "怎么卖出去的" marks its channel's row in the table beside it.
    const channels = page.locator("section.report-block").filter({ hasText: "怎么卖出去的" });
    await channels.locator("[ecmeta_data_index]").first().click();
    await expect
      .poll(() => channels.locator("tr.row-marked").count(), { message: "a row marked after a tap" })
      .toBe(1);

    await fitsTheScreen();
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, `reports-dashboard-${name}.png`),
      fullPage: true,
    });
    expect(problems.splice(0)).toEqual([]);
  });

  it("the admin opens one point's report from the points table, and the sales report by point", async () => {
    await page.goto(`${shopUrl}/staff/reports`);
    await page.waitForLoadState("networkidle");
    const points = page.locator("section.report-block").filter({ hasText: "卖得最多的服务点" });
    const first = points.locator("tbody a").first();
    const pointName = (await first.textContent())?.trim() ?? "";
    await first.click();
    await page.waitForURL(/pointId=/);
    await heading(`${pointName}的报表`);
    // The point's page has no "by point" section: it is one point.
    expect(await page.getByRole("heading", { name: "卖得最多的服务点" }).count()).toBe(0);
    const query = new URL(page.url()).searchParams;
    const board = await apiDashboard(ADMIN, query.toString());
    expect(board.pointId).toBe(query.get("pointId"));
    expect(await kpiFen("卖货收入")).toBe(board.totals.grossFen);
    await fitsTheScreen();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `reports-point-${name}.png`), fullPage: true });

    await page.goto(`${shopUrl}/staff/reports/sales?by=point`);
    await heading("销售报表");
    expect(await page.locator("table tbody tr").count()).toBeGreaterThan(0);
    await fitsTheScreen();
    expect(problems.splice(0)).toEqual([]);
  });

  it("the admin opens 限时办结 from the dashboard, reads each commitment, and changes one", async () => {
    await page.goto(`${shopUrl}/staff/reports`);
    await heading("报表");
    await page.getByRole("link", { name: "限时办结" }).first().click();
    await heading("限时办结");
    const kinds = page.locator("section.report-block").filter({ hasText: "各项承诺" });
    expect(await kinds.locator("tbody tr").count()).toBe(4);
    const pickup = kinds.locator("tbody tr").filter({ hasText: "货到后交给买家" });
    await expect(pickup.locator("td").first().textContent()).resolves.toBe("5个工作日");

    // The promise for a pickup: 4 working days, saved, and the report judges by it; then back to 5.
    const form = page.locator("form.inline-form").filter({ hasText: "货到后交给买家" });
    await form.getByRole("spinbutton").fill("4");
    await form.getByRole("button", { name: "保存" }).click();
    await page.getByRole("status").filter({ hasText: "保存好了" }).waitFor();
    await expect.poll(() => pickup.locator("td").first().textContent()).toBe("4个工作日");
    await fitsTheScreen();
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, `reports-commitments-${name}.png`),
      fullPage: true,
    });
    await form.getByRole("spinbutton").fill("5");
    await form.getByRole("button", { name: "保存" }).click();
    await expect.poll(() => pickup.locator("td").first().textContent()).toBe("5个工作日");
    expect(problems.splice(0)).toEqual([]);
  });

  it("an agent's 报表 is their own point's; another point's is not shown, and the API refuses it", async () => {
    await signIn(AGENT);
    await page.goto(`${shopUrl}/staff/reports`);
    await heading(/的报表$/);
    const board = await apiDashboard(AGENT, await rangeQuery());
    expect(board.pointId).not.toBeNull();
    expect(await kpiFen("卖货收入")).toBe(board.totals.grossFen);
    // No point picker for an agent.
    expect(await page.getByLabel("服务点").count()).toBe(0);

    const places = await apiGet<{ items: Array<{ id: string; kind: string }> }>(ADMIN, "/v1/locations");
    const other = places.items.find((p) => p.kind === "service_point" && p.id !== board.pointId);
    expect(other, "the demo has more than one service point").toBeDefined();
    // The console shows an agent their own point whatever the address asks for; the API refuses outright.
    const own = await page.getByRole("heading", { level: 1 }).textContent();
    const res = await page.goto(`${shopUrl}/staff/reports?pointId=${other!.id}`);
    expect(res?.status()).toBe(200);
    await heading(own ?? "");
    expect(await kpiFen("卖货收入")).toBe(board.totals.grossFen);
    const login = await fetch(`${apiUrl}/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(AGENT),
    });
    const { token } = (await login.json()) as { token: string };
    const refused = await fetch(`${apiUrl}/v1/reports/dashboard?${await rangeQuery()}&pointId=${other!.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(refused.status).toBe(403);
    await fitsTheScreen();
    expect(problems.splice(0)).toEqual([]);
  });
});
