import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, SCREENSHOT_DIR } from "./harness";

const { skipReason, shopUrl, apiUrl } = inject("e2e");
if (skipReason) console.warn(`\n!!!! ${skipReason}\n`);

const ADMIN = { login: "admin", password: "admin-demo-2026" };

async function api<T>(pathname: string, init: { token?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`${apiUrl}${pathname}`, {
    method: init.body === undefined ? "GET" : "POST",
    headers: {
      accept: "application/json",
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!response.ok) throw new Error(`${pathname}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

interface LotItem {
  id: string;
  lotNo: string;
  consignorId: string | null;
  consignorName: string | null;
  status: string;
}

describe.skipIf(skipReason !== null)(
  "the villager's receipt link and the agent's print buttons (Chromium)",
  () => {
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let token = "";
    let lot: LotItem;
    let otherLot: LotItem;
    let publicPath = "";
    const problems: string[] = [];

    beforeAll(async () => {
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
      token = (await api<{ token: string }>("/v1/auth/login", { body: ADMIN })).token;
      const lots = await api<{ items: LotItem[] }>("/v1/lots?limit=200", { token });
      // Intake lots of villagers (not a part split off for a delivery run, "<number>-1").
      const intakes = lots.items.filter((l) => l.consignorId && /^[A-Z0-9]+-\d{8}-\d{4}$/.test(l.lotNo));
      // A lot that sold (the page then shows sales and earnings), else any.
      lot =
        intakes.find((l) => l.status === "depleted") ??
        intakes.find((l) => l.status === "in_stock") ??
        intakes[0]!;
      otherLot = intakes.find((l) => l.consignorId !== lot.consignorId)!;
      const shown = await api<{ publicUrl: string }>(`/v1/lots/${lot.id}/receipt-prints`, {
        token,
        body: { format: "screen" },
      });
      publicPath = new URL(shown.publicUrl).pathname;
    }, 60_000);

    afterAll(async () => {
      await context?.close();
      await browser?.close();
    });

    it("opens the lot's own page with no login, its number in large type, private and not indexed", async () => {
      expect(publicPath).toMatch(/^\/l\/[0-9a-z]{26}\.[\w-]{16}$/);
      const response = await page.goto(`${shopUrl}${publicPath}`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()["cache-control"]).toBe("private, no-store");
      expect(response?.headers()["x-robots-tag"]).toContain("noindex");
      expect(await page.locator('meta[name="robots"]').getAttribute("content")).toContain("noindex");
      const number = page.getByTestId("lot-no");
      expect(await number.textContent()).toBe(lot.lotNo);
      const fontPx = await number.evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
      // Large (the body text is 23 px) and on one line at 390 px.
      expect(fontPx).toBeGreaterThanOrEqual(27);
      const lines = await number.evaluate((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      });
      expect(lines).toBe(1);
      const body = (await page.locator("main").textContent()) ?? "";
      expect(body).not.toContain(otherLot.lotNo);
      if (lot.consignorName) expect(body).not.toContain(lot.consignorName.slice(1));
      expect(body).toContain(`${Array.from(lot.consignorName ?? "")[0]}*`);
      // No staff console on this page.
      expect(await page.locator('a[href^="/staff/lots"]').count()).toBe(0);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, "public-lot.png"), fullPage: true });
    });

    it("shows a plain 404 page for an altered or made-up link, with nothing of any lot", async () => {
      const altered = publicPath.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
      for (const bad of [altered, "/l/not-a-token"]) {
        const response = await page.goto(`${shopUrl}${bad}`);
        expect(response?.status(), bad).toBe(404);
        expect(await page.locator("h1").textContent()).toBe("这个链接不对");
        const body = (await page.locator("main").textContent()) ?? "";
        expect(body).not.toContain(lot.lotNo);
        expect(body).not.toContain(otherLot.lotNo);
      }
    });

    it("the receipt page offers the thermal printer where the browser can reach one, and the PDF always", async () => {
      await page.goto(`${shopUrl}/staff/login`);
      await page.waitForLoadState("networkidle");
      await page.getByLabel("登录名").fill(ADMIN.login);
      await page.getByLabel("密码").fill(ADMIN.password);
      await page.getByRole("button", { name: "登录" }).click();
      await page.waitForURL(`${shopUrl}/staff`);
      await page.goto(`${shopUrl}/staff/lots/${lot.id}/receipt`);
      await page.waitForLoadState("networkidle");
      const hasDeviceApi = await page.evaluate(() => "usb" in navigator || "bluetooth" in navigator);
      if (hasDeviceApi) {
        expect(await page.getByRole("button", { name: "打印小票" }).isVisible()).toBe(true);
      } else {
        expect(await page.getByText("这个浏览器连不上小票机").isVisible()).toBe(true);
      }
      await page.getByLabel("58 毫米").check();
      expect(await page.getByRole("link", { name: "打印 PDF 小票" }).getAttribute("href")).toBe(
        `/staff/lots/${lot.id}/receipt.pdf?width=58`,
      );
      // The slip's QR code is drawn from the villager's link (the API logged this showing too).
      expect(await page.locator(".qr svg path").count()).toBeGreaterThan(0);
      const pdf = await page.request.get(`${shopUrl}/staff/lots/${lot.id}/receipt.pdf?width=58`);
      expect([200, 503]).toContain(pdf.status());
      const escpos = await page.request.get(`${shopUrl}/staff/lots/${lot.id}/receipt.escpos?width=58`);
      expect(escpos.status()).toBe(200);
      const bytes = await escpos.body();
      expect([...bytes.subarray(0, 2)]).toEqual([0x1b, 0x40]);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, "receipt-print.png"), fullPage: true });
      expect(problems).toEqual([]);
    });
  },
);
