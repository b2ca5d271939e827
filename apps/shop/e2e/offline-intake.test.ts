import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, SCREENSHOT_DIR } from "./harness";

const { skipReason, shopUrl, apiUrl } = inject("e2e");
if (skipReason) console.warn(`\n!!!! ${skipReason}\n`);

const AGENT = { login: "agent-hs01", password: "agent-demo-2026" };
const freshPhone = () => `13${String(Math.floor(Math.random() * 1e9)).padStart(9, "0")}`;
/** A date some days ahead, as a date field wants it (China time). */
const daysAhead = (days: number) =>
  new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
/** The phone's own intake numbers: point, China date, the phone's segment and a 3-digit sequence. */
const DEVICE_LOT_NO = /^HS01-\d{8}-[A-Z]+\d{3}$/;

/** The API itself, asked by the test (not the browser): what really exists. */
async function api<T>(pathname: string, token?: string, body?: unknown): Promise<T> {
  const response = await fetch(`${apiUrl}${pathname}`, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      accept: "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${pathname}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

interface LotRow {
  id: string;
  lotNo: string;
  consignorId: string | null;
  quantityReceived: number;
}

describe.skipIf(skipReason !== null)("intake with the network cut, on the agent's phone", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let apiToken = "";
  const villager = { name: "离线村民", phone: freshPhone(), village: "石门村二组" };
  const lotNos: string[] = [];

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
    problems = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      const text = message.text();
      // Offline, the browser reports each request it could not make; that is the point of the test.
      if (message.type() === "error" && !text.startsWith("Failed to load resource")) {
        problems.push(`console.error: ${text}`);
      }
    });
    apiToken = (await api<{ token: string }>("/v1/auth/login", undefined, AGENT)).token;
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  afterEach(() => {
    expect(problems, "errors in the browser").toEqual([]);
  });

  const banner = () => page.getByTestId("queue-banner").locator("[role=status]");

  /**
   * What the phone's database holds, read with IndexedDB itself as another tab would: never creating it
   * (that would block the page's own upgrade) and closing it at once.
   */
  function phoneDevices(): Promise<Array<{ segment: string | null }>> {
    return page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open("coop-intake");
          open.onupgradeneeded = () => open.transaction?.abort();
          open.onerror = () => resolve([]);
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains("devices")) {
              db.close();
              return resolve([]);
            }
            const all = db.transaction("devices").objectStore("devices").getAll();
            all.onsuccess = () => {
              db.close();
              resolve(all.result);
            };
            all.onerror = () => {
              db.close();
              reject(all.error);
            };
          };
        }),
    );
  }

  async function lotsOf(consignorId: string): Promise<LotRow[]> {
    return (
      await api<{ items: LotRow[] }>(`/v1/lots?consignorId=${encodeURIComponent(consignorId)}`, apiToken)
    ).items;
  }

  async function villagersWithPhone(): Promise<Array<{ id: string; name: string }>> {
    return (
      await api<{ items: Array<{ id: string; name: string }> }>(
        `/v1/consignors?q=${villager.phone}`,
        apiToken,
      )
    ).items;
  }

  /** Egg intake on the open form: quantity on the keypad, best-before when asked, grade A, passed. */
  async function takeInEggs(quantity: string): Promise<string> {
    await page.locator(".card-link", { has: page.locator(".card-title", { hasText: /^土鸡蛋$/ }) }).click();
    await page.locator(".keypad").waitFor();
    for (const digit of quantity) await page.getByRole("button", { name: digit, exact: true }).click();
    expect(await page.locator("#quantity").inputValue()).toBe(quantity);
    if (await page.getByLabel("保质期到哪天").count())
      await page.getByLabel("保质期到哪天").fill(daysAhead(20));
    await page.locator(".segment", { hasText: "A 级" }).click();
    await page.getByRole("button", { name: "确认收货" }).click();
    await page.getByTestId("receipt-preview").waitFor();
    const lotNo = (await page.getByTestId("lot-no").textContent()) ?? "";
    expect(lotNo).toMatch(DEVICE_LOT_NO);
    expect(await page.locator(".slip-row-quantity dd").textContent()).toBe(`${quantity} 个`);
    expect(await page.locator(".slip-row-villager dd").textContent()).toContain(villager.name);
    return lotNo;
  }

  it("online once: the agent opens the intake screen; the phone gets its number segment and the lists", async () => {
    await page.goto(`${shopUrl}/staff/login`);
    await page.waitForLoadState("networkidle");
    await page.getByLabel("登录名").fill(AGENT.login);
    await page.getByLabel("密码").fill(AGENT.password);
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL(`${shopUrl}/staff`);
    await page.waitForLoadState("networkidle");
    await page.getByRole("link", { name: "收村民的货" }).click();
    await page.waitForURL(/\/staff\/intake$/);
    await page.waitForLoadState("networkidle");
    await expect
      .poll(async () => (await phoneDevices())[0]?.segment ?? null, { timeout: 20_000 })
      .toMatch(/^[A-Z]+$/);
    await page.getByRole("heading", { name: "找村民" }).waitFor();
    // The service worker (decision 0023) keeps this screen for opening with no network.
    await expect
      .poll(
        () => page.evaluate(async () => Boolean(await caches.match("/staff/intake", { ignoreVary: true }))),
        { timeout: 30_000 },
      )
      .toBe(true);
  }, 60_000);

  it("offline: registers a villager and takes in 3 lots, each with its final number and 待发送", async () => {
    await context.setOffline(true);
    await page.getByRole("button", { name: "登记新村民" }).click();
    await page.getByLabel("姓名", { exact: true }).fill(villager.name);
    await page.getByLabel("手机号", { exact: true }).fill(villager.phone);
    await page.getByLabel("村（组）", { exact: true }).fill(villager.village);
    await page.getByRole("button", { name: "登记", exact: true }).click();

    lotNos.push(await takeInEggs("30"));
    expect(await page.getByTestId("receipt-state").textContent()).toBe("待发送");
    for (const quantity of ["12", "45"]) {
      await page.getByRole("button", { name: "再收一批" }).click();
      lotNos.push(await takeInEggs(quantity));
    }
    expect(new Set(lotNos).size).toBe(3);
    expect(await banner().textContent()).toBe("4 条待发送");

    await page.getByRole("button", { name: "查看待发送" }).click();
    const entries = page.getByTestId("queue-entry");
    await expect.poll(() => entries.count()).toBe(4);
    expect(
      await entries.evaluateAll((items) => items.map((item) => item.getAttribute("data-state"))),
    ).toEqual(["waiting", "waiting", "waiting", "waiting"]);
    expect(await page.locator(".offline-entry .card-title").allTextContents()).toEqual([
      ...[...lotNos].reverse(),
      `登记村民：${villager.name}`,
    ]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "offline-intake-queue.png"), fullPage: true });
    // Nothing reached the co-op.
    expect(await villagersWithPhone()).toEqual([]);
  }, 90_000);

  it("offline: a reload still opens the intake screen, and the 4 entries still wait", async () => {
    await page.reload();
    await page.getByTestId("queue-banner").waitFor({ timeout: 20_000 });
    await expect.poll(() => banner().textContent(), { timeout: 20_000 }).toBe("4 条待发送");
  }, 60_000);

  it("back online: everything is sent once — 1 villager, 3 lots with the phone's numbers — and the screen says so", async () => {
    await context.setOffline(false);
    // The shell may have come from the cache; a fresh page also starts the sender.
    if (!(await page.getByTestId("queue-banner").count())) await page.goto(`${shopUrl}/staff/intake`);
    await expect.poll(() => banner().textContent(), { timeout: 45_000 }).toBe("全部已发送");

    const found = await villagersWithPhone();
    expect(found.map((v) => v.name)).toEqual([villager.name]);
    const lots = await lotsOf(found[0]!.id);
    expect(lots.map((lot) => lot.lotNo).sort()).toEqual([...lotNos].sort());
    expect(lots.map((lot) => lot.quantityReceived).sort((a, b) => a - b)).toEqual([12, 30, 45]);

    await page.getByRole("button", { name: "查看待发送" }).click();
    const entries = page.getByTestId("queue-entry");
    await expect.poll(() => entries.count()).toBe(4);
    expect(
      new Set(await entries.evaluateAll((items) => items.map((item) => item.getAttribute("data-state")))),
    ).toEqual(new Set(["sent"]));
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "offline-intake-synced.png"), fullPage: true });
  }, 90_000);

  it("an answer lost after the co-op saved the lot: the phone sends it again and no second lot exists", async () => {
    const [registered] = await villagersWithPhone();
    expect(registered, "the sync before this step failed").toBeDefined();
    let dropped = 0;
    let lotSends = 0;
    await page.route("**/staff/sync/intake", async (route) => {
      const command = route.request().postDataJSON() as { op?: string } | null;
      if (command?.op !== "createLot") return route.continue();
      lotSends += 1;
      if (dropped === 0) {
        dropped += 1;
        // The request reaches the shop and the API, which commits the lot; the answer never arrives.
        await route.fetch();
        return route.abort("connectionreset");
      }
      return route.continue();
    });

    await page.getByRole("button", { name: /回到找村民/ }).click();
    await page.getByLabel("姓名或手机号").fill(villager.name);
    await page.locator(".card-link", { hasText: villager.name }).first().click();
    const lotNo = await takeInEggs("6");
    await expect
      .poll(() => page.getByTestId("receipt-state").textContent(), { timeout: 45_000 })
      .toBe("已发送");
    await page.unroute("**/staff/sync/intake");

    expect(dropped).toBe(1);
    expect(lotSends).toBeGreaterThanOrEqual(2);
    const lots = await lotsOf(registered!.id);
    expect(lots).toHaveLength(4);
    expect(lots.filter((lot) => lot.lotNo === lotNo)).toHaveLength(1);
    expect(await banner().textContent()).toBe("全部已发送");
  }, 90_000);

  it("a refused entry stays with the reason; corrected by the agent, it is sent with its number", async () => {
    const [registered] = await villagersWithPhone();
    expect(registered, "the sync before this step failed").toBeDefined();
    let refusedOnce = false;
    await page.route("**/staff/sync/intake", async (route) => {
      const command = route.request().postDataJSON() as { op?: string } | null;
      if (command?.op !== "createLot" || refusedOnce) return route.continue();
      refusedOnce = true;
      // What the shop passes on when the API refuses (an off-sale product, a blocked villager…).
      return route.fulfill({
        json: {
          status: 409,
          body: { error: { code: "CONFLICT", message: "这批货不能收：请核对数量" } },
          retryAfter: null,
        },
      });
    });

    await page.getByRole("button", { name: "再收一批" }).click();
    const lotNo = await takeInEggs("8");
    await expect
      .poll(() => page.getByTestId("receipt-state").textContent(), { timeout: 30_000 })
      .toBe("被退回：这批货不能收：请核对数量");
    await expect.poll(() => banner().textContent()).toBe("1 条待发送");
    expect(await page.getByTestId("queue-banner").textContent()).toContain("1 条被退回");

    await page.getByRole("button", { name: "查看待发送" }).click();
    const entry = page.locator('[data-testid="queue-entry"][data-state="refused"]');
    expect(await entry.locator(".card-title").textContent()).toBe(lotNo);
    await entry.getByRole("button", { name: "修改后再发送" }).click();
    expect(await entry.locator("#quantity").inputValue()).toBe("8");
    await entry.getByRole("button", { name: "清空" }).click();
    await entry.getByRole("button", { name: "9", exact: true }).click();
    await entry.getByRole("button", { name: "保存并发送" }).click();
    await expect.poll(() => banner().textContent(), { timeout: 30_000 }).toBe("全部已发送");
    await page.unroute("**/staff/sync/intake");

    const lots = await lotsOf(registered!.id);
    const corrected = lots.filter((lot) => lot.lotNo === lotNo);
    expect(corrected.map((lot) => lot.quantityReceived)).toEqual([9]);
    expect(lots).toHaveLength(5);
  }, 90_000);
});
