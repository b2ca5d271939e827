import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createDb, pgliteDir } from "@coop/db";
import {
  auditLog,
  consignorEntries,
  coops,
  locations,
  productCommissionRates,
  products,
} from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { and, eq, sql } from "drizzle-orm";
import { setupServer } from "msw/node";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initCoop } from "../src/domain/locations/init-coop";
import { readEnv } from "../src/env";
import { createStripe } from "../src/lib/stripe";
import { makeConsignor, makeCoopWorld, makeProduct, makeStaff, setStock } from "./factories";
import { createTestApp, type TestApp } from "./helpers";
import { createStripeState, STRIPE_TEST_BASE, stripeHandlers } from "./mocks/stripe";

const stripeEnv = {
  STRIPE_SECRET_KEY: "sk_test_coop",
  STRIPE_API_BASE: STRIPE_TEST_BASE,
  STRIPE_WEBHOOK_SECRET: "whsec_test_coop",
};
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
const buyer = { name: "城里张先生", phone: "13912345678" };

/**
 * Issue 11 item 6: a co-op set up for production can take orders (coop:init makes its warehouse), and the
 * admin edits products (commission kept as history), service points (closing one stops pickup orders there)
 * and staff (a disabled account, a reset password, a moved agent take effect at once).
 */
describe.each(testDbKinds())("admin edits: warehouses, products, points, staff (%s)", (kind) => {
  const stripeState = createStripeState();
  const server = setupServer(...stripeHandlers(stripeState));
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    server.listen({ onUnhandledRequest: "error" });
    const stripe: Stripe = createStripe(readEnv(stripeEnv))!;
    t = await createTestApp(kind, stripeEnv, { stripe });
    w = await makeCoopWorld(t.db.db);
    for (const who of ["agentA", "agentB", "warehouseUser", "admin"] as const) {
      token[who] = await t.loginAs(w[who].login, w[who].password);
    }
  });
  afterAll(async () => {
    server.close();
    await t?.close();
  });

  const as = (who: string, body?: unknown) => ({ token: token[who], ...(body ? { body } : {}) });

  async function cashOrderAt(servicePointId: string, productId: string, quantity: number) {
    return t.request("POST", "/v1/orders", {
      body: {
        items: [{ productId, quantity }],
        fulfilment: { type: "pickup", servicePointId },
        payment: { method: "cash_on_pickup" },
        contact: buyer,
      },
    });
  }

  describe("the co-op's warehouse", () => {
    it("coop:init run twice makes one co-op with one warehouse, and an order for delivery then works", async () => {
      const setUp = { code: "HY", name: { zh: "衡阳市供销合作社", en: "Hengyang Co-op" } };
      const first = await initCoop(t.db.db, setUp);
      const second = await initCoop(t.db.db, setUp);
      expect(first).toMatchObject({ coop: { created: true }, warehouse: { code: "WH-HY", created: true } });
      expect(second).toEqual({
        coop: { id: first.coop.id, created: false },
        warehouse: { id: first.warehouse.id, code: "WH-HY", created: false },
      });
      const warehouses = await t.db.db
        .select()
        .from(locations)
        .where(and(eq(locations.coopId, first.coop.id), eq(locations.kind, "warehouse")));
      expect(warehouses).toHaveLength(1);
      expect(warehouses[0]).toMatchObject({ nameZh: "县供销社仓库", nameEn: "County co-op warehouse" });

      // Fertilizer the co-op bought in sits at that warehouse; a buyer orders it delivered and pays by card.
      const fertilizer = await makeProduct(t.db.db, first.coop.id, {
        kind: "supply",
        unit: "bag",
        priceFen: 16_800,
      });
      await setStock(t.db.db, fertilizer.id, first.warehouse.id, 20);
      const order = await t.request("POST", "/v1/orders", {
        body: {
          items: [{ productId: fertilizer.id, quantity: 2 }],
          fulfilment: { type: "delivery", address: "衡阳市雁峰区先锋路 8 号 3 栋" },
          payment: { method: "card" },
          contact: buyer,
        },
      });
      expect(order.status, order.text).toBe(201);
      expect(order.json).toMatchObject({ status: "pending_payment", totalFen: 2 * 16_800 + 1000 });
    });

    it("lists the warehouse, refuses a second one with 409 naming the first, and lets the admin edit it", async () => {
      const listed = await t.request("GET", "/v1/warehouses", as("warehouseUser"));
      expect(listed.status).toBe(200);
      expect(listed.json.items.map((p: { id: string }) => p.id)).toContain(w.warehouse.id);

      const body = { code: "WH-SECOND", name: { zh: "第二仓库", en: "Second warehouse" } };
      expect((await t.request("POST", "/v1/warehouses", as("warehouseUser", body))).status).toBe(403);
      const second = await t.request("POST", "/v1/warehouses", as("admin", body));
      expect(second.status).toBe(409);
      expect(second.json.error).toMatchObject({
        code: "ALREADY_EXISTS",
        details: { warehouseId: w.warehouse.id, code: w.warehouse.code },
      });
      expect(second.json.error.message).toContain(w.warehouse.code);

      const edited = await t.request("PATCH", `/v1/warehouses/${w.warehouse.id}`, {
        ...as("admin"),
        body: {
          name: { zh: "珠晖仓储配送中心", en: "Zhuhui distribution centre" },
          address: "衡阳市珠晖区农产品物流园",
        },
      });
      expect(edited.status, edited.text).toBe(200);
      expect(edited.json).toMatchObject({
        kind: "warehouse",
        name: { zh: "珠晖仓储配送中心" },
        address: "衡阳市珠晖区农产品物流园",
      });
      const [line] = await t.db.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, w.warehouse.id), eq(auditLog.action, "warehouse.update")));
      expect(line?.actorUserId).toBe(w.admin.id);
      // A service point's id is not a warehouse.
      expect(
        (
          await t.request("PATCH", `/v1/warehouses/${w.pointA.id}`, {
            ...as("admin"),
            body: { address: "x" },
          })
        ).status,
      ).toBe(404);
    });
  });

  describe("products", () => {
    it("edits names, description and price, and takes a product off sale (admin only, audited)", async () => {
      const tea = await makeProduct(t.db.db, w.coop.id, { nameZh: "茶油", nameEn: "Tea oil", unit: "ml" });
      const changes = {
        name: { zh: "野山茶油", en: "Wild camellia oil" },
        description: { zh: "冷榨", en: "Cold pressed" },
        priceFen: 18,
      };
      expect((await t.request("PATCH", `/v1/products/${tea.id}`, as("agentA", changes))).status).toBe(403);
      const edited = await t.request("PATCH", `/v1/products/${tea.id}`, as("admin", changes));
      expect(edited.status, edited.text).toBe(200);
      expect(edited.json).toMatchObject({ ...changes, active: true, unitLocked: false });
      expect((await t.request("GET", `/v1/products/${tea.id}`)).json.name.zh).toBe("野山茶油");

      const off = await t.request("PATCH", `/v1/products/${tea.id}`, as("admin", { active: false }));
      expect(off.json.active).toBe(false);
      expect((await t.request("GET", `/v1/products/${tea.id}`)).status).toBe(404);
      const admin = await t.request("GET", `/v1/admin/products/${tea.id}`, as("admin"));
      expect(admin.json).toMatchObject({ active: false, name: { zh: "野山茶油" } });
      const [line] = await t.db.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, tea.id), eq(auditLog.action, "product.deactivate")));
      expect(line?.data).toEqual({ before: { active: true }, after: { active: false } });

      // The admin list finds it by part of the name, among products taken off sale, by kind.
      const found = await t.request(
        "GET",
        `/v1/admin/products?q=${encodeURIComponent("山茶")}&active=false&kind=produce`,
        as("admin"),
      );
      expect(found.json.items.map((p: { id: string }) => p.id)).toEqual([tea.id]);
      const onSale = await t.request(
        "GET",
        `/v1/admin/products?q=${encodeURIComponent("山茶")}&active=true`,
        {
          token: token.admin,
        },
      );
      expect(onSale.json.items).toEqual([]);
      expect((await t.request("GET", "/v1/admin/products?kind=supply", as("admin"))).json.items).toEqual([
        expect.objectContaining({ id: w.fertilizer.id }),
      ]);
    });

    it("changes the unit while nothing counts in it, and refuses once a lot does", async () => {
      const beans = await makeProduct(t.db.db, w.coop.id, { nameZh: "干豆角", unit: "piece" });
      const free = await t.request("PATCH", `/v1/products/${beans.id}`, as("admin", { unit: "gram" }));
      expect(free.status, free.text).toBe(200);
      expect(free.json.unit).toBe("gram");

      const villager = await makeConsignor(t.db.db, w.coop.id, w.pointA.id);
      const lot = await t.request("POST", "/v1/lots", {
        ...as("agentA"),
        body: {
          consignorId: villager.id,
          productId: beans.id,
          servicePointId: w.pointA.id,
          quantity: 2500,
          qc: { passed: true },
        },
      });
      expect(lot.status, lot.text).toBe(201);
      const refused = await t.request("PATCH", `/v1/products/${beans.id}`, as("admin", { unit: "piece" }));
      expect(refused.status).toBe(409);
      expect(refused.json.error.code).toBe("INVALID_STATE");
      expect(refused.json.error.fields).toEqual([{ path: "unit", message: expect.any(String) }]);
      const [row] = await t.db.db.select().from(products).where(eq(products.id, beans.id));
      expect(row?.unit).toBe("gram");
      expect((await t.request("GET", `/v1/admin/products/${beans.id}`, as("admin"))).json.unitLocked).toBe(
        true,
      );
    });

    it("keeps commission changes as history: a sale before the change keeps the old rate, after it the new", async () => {
      const villager = await makeConsignor(t.db.db, w.coop.id, w.pointA.id, { name: "钱阿姨" });
      const lot = await t.request("POST", "/v1/lots", {
        ...as("agentA"),
        body: {
          consignorId: villager.id,
          productId: w.egg.id,
          servicePointId: w.pointA.id,
          quantity: 100,
          bestBefore: inDays(10),
          qc: { passed: true },
        },
      });
      expect(lot.status, lot.text).toBe(201);

      async function sellTenEggs() {
        const order = await cashOrderAt(w.pointA.id, w.egg.id, 10);
        expect(order.status, order.text).toBe(201);
        const handed = await t.request("POST", `/v1/orders/${order.json.id}/hand-over`, {
          ...as("agentA"),
          body: { pickupCode: order.json.pickupCode, cashReceivedFen: 2000 },
        });
        expect(handed.status, handed.text).toBe(200);
        const [credit] = await t.db.db
          .select()
          .from(consignorEntries)
          .where(and(eq(consignorEntries.orderId, order.json.id), eq(consignorEntries.kind, "sale_credit")));
        return credit!;
      }

      // The egg has no rate of its own: the co-op's default, 10 %.
      const before = await sellTenEggs();
      expect(before).toMatchObject({ grossFen: 2000, commissionFen: 200, amountFen: 1800 });

      const changed = await t.request(
        "PATCH",
        `/v1/products/${w.egg.id}`,
        as("admin", { commissionBps: 2500 }),
      );
      expect(changed.status, changed.text).toBe(200);
      expect(changed.json.commissionBps).toBe(2500);
      expect(changed.json.commissionHistory).toEqual([
        { commissionBps: 2500, setBy: w.admin.displayName, from: expect.any(String) },
        { commissionBps: null, setBy: null, from: expect.any(String) },
      ]);

      const after = await sellTenEggs();
      expect(after).toMatchObject({ grossFen: 2000, commissionFen: 500, amountFen: 1500 });
      // The first sale's entry is as it was.
      const [again] = await t.db.db.select().from(consignorEntries).where(eq(consignorEntries.id, before.id));
      expect(again).toMatchObject({ commissionFen: 200, amountFen: 1800 });

      // Back to the co-op's default is one more row; the history itself cannot be rewritten.
      await t.request("PATCH", `/v1/products/${w.egg.id}`, as("admin", { commissionBps: null }));
      const rows = await t.db.db
        .select()
        .from(productCommissionRates)
        .where(eq(productCommissionRates.productId, w.egg.id));
      expect(rows.map((r) => r.commissionBps)).toEqual([null, 2500, null]);
      await expect(
        t.db.db.execute(
          sql`UPDATE product_commission_rates SET commission_bps = 1 WHERE product_id = ${w.egg.id}`,
        ),
      ).rejects.toThrow();
    });
  });

  describe("service points", () => {
    it("stores address and opening hours and shows them to buyers; an empty field clears it", async () => {
      const edited = await t.request("PATCH", `/v1/service-points/${w.pointB.id}`, {
        ...as("admin"),
        body: {
          name: { zh: "竹山村服务点", en: "Zhushan village point" },
          address: "竹山村党群服务中心一楼",
          openingHours: "每天 8:00–18:00",
          phone: "0734-1234567",
        },
      });
      expect(edited.status, edited.text).toBe(200);
      const list = await t.request("GET", "/v1/service-points");
      expect(list.json.items.find((p: { id: string }) => p.id === w.pointB.id)).toMatchObject({
        name: { zh: "竹山村服务点" },
        address: "竹山村党群服务中心一楼",
        openingHours: "每天 8:00–18:00",
        phone: "0734-1234567",
      });
      const one = await t.request("GET", `/v1/service-points/${w.pointB.id}`, as("admin"));
      expect(one.json).toMatchObject({ id: w.pointB.id, active: true, openingHours: "每天 8:00–18:00" });
      expect((await t.request("GET", `/v1/service-points/${w.pointB.id}`, as("agentB"))).status).toBe(403);
      expect((await t.request("GET", `/v1/service-points/${w.warehouse.id}`, as("admin"))).status).toBe(404);
      const cleared = await t.request(
        "PATCH",
        `/v1/service-points/${w.pointB.id}`,
        as("admin", { phone: "" }),
      );
      expect(cleared.json).toMatchObject({ phone: null, openingHours: "每天 8:00–18:00" });
      expect(
        (await t.request("PATCH", `/v1/service-points/${w.pointB.id}`, as("agentB", { phone: "1" }))).status,
      ).toBe(403);
      const bad = await t.request("PATCH", `/v1/service-points/${w.pointB.id}`, as("admin", { village: "" }));
      expect(bad.status).toBe(400);
      expect(bad.json.error.fields.map((f: { path: string }) => f.path)).toEqual(["village"]);
    });

    it("a closed point is not offered and refuses new pickup orders with 409 SERVICE_POINT_CLOSED; reopened, it takes them", async () => {
      const point = (
        await t.request("POST", "/v1/service-points", {
          ...as("admin"),
          body: { code: "SP-CLOSE", name: { zh: "石门村服务点", en: "Shimen point" }, village: "石门村" },
        })
      ).json;
      await setStock(t.db.db, w.fertilizer.id, point.id, 5);
      const closed = await t.request(
        "PATCH",
        `/v1/service-points/${point.id}`,
        as("admin", { active: false }),
      );
      expect(closed.json.active).toBe(false);
      const offered = await t.request("GET", "/v1/service-points");
      expect(offered.json.items.map((p: { id: string }) => p.id)).not.toContain(point.id);

      const refused = await cashOrderAt(point.id, w.fertilizer.id, 1);
      expect(refused.status).toBe(409);
      expect(refused.json.error.code).toBe("SERVICE_POINT_CLOSED");
      expect(refused.json.error.fields).toEqual([
        { path: "fulfilment.servicePointId", message: "closed for now" },
      ]);
      // A point that does not exist is still a plain 400.
      const unknown = await cashOrderAt("loc_00000000000000000000000000", w.fertilizer.id, 1);
      expect(unknown.status).toBe(400);

      // The admin sees it among the closed places.
      const closedList = await t.request("GET", "/v1/locations?kind=service_point&active=false", as("admin"));
      expect(closedList.json.items.map((p: { id: string }) => p.id)).toEqual([point.id]);

      await t.request("PATCH", `/v1/service-points/${point.id}`, as("admin", { active: true }));
      const taken = await cashOrderAt(point.id, w.fertilizer.id, 1);
      expect(taken.status, taken.text).toBe(201);
      const actions = (
        await t.db.db
          .select({ action: auditLog.action })
          .from(auditLog)
          .where(eq(auditLog.entityId, point.id))
      ).map((a) => a.action);
      expect(actions).toEqual(
        expect.arrayContaining(["service_point.create", "service_point.close", "service_point.reopen"]),
      );
    });

    it("an assisted order at a closed point is refused the same way", async () => {
      const villager = await makeConsignor(t.db.db, w.coop.id, w.pointA.id);
      await t.request("PATCH", `/v1/service-points/${w.pointA.id}`, as("admin", { active: false }));
      try {
        const res = await t.request("POST", "/v1/orders", {
          ...as("agentA"),
          body: {
            items: [{ productId: w.fertilizer.id, quantity: 1 }],
            fulfilment: { type: "pickup", servicePointId: w.pointA.id },
            payment: { method: "cash_on_pickup" },
            contact: buyer,
            onBehalfOf: { consignorId: villager.id },
          },
        });
        expect(res.status, res.text).toBe(409);
        expect(res.json.error.code).toBe("SERVICE_POINT_CLOSED");
      } finally {
        await t.request("PATCH", `/v1/service-points/${w.pointA.id}`, as("admin", { active: true }));
      }
    });
  });

  describe("staff", () => {
    it("a disabled account's token answers 401 at once and it cannot log in; enabled again, it can", async () => {
      const member = await makeStaff(t.db.db, w.coop.id, "warehouse", { displayName: "仓管老周" });
      const session = await t.loginAs(member.login, member.password);
      expect((await t.request("GET", "/v1/auth/me", { token: session })).status).toBe(200);

      const account = await t.request("GET", `/v1/staff/${member.id}`, as("admin"));
      expect(account.json).toEqual({
        id: member.id,
        login: member.login,
        displayName: "仓管老周",
        role: "warehouse",
        servicePointId: null,
        active: true,
      });
      const disabled = await t.request("PATCH", `/v1/staff/${member.id}`, as("admin", { active: false }));
      expect(disabled.status, disabled.text).toBe(200);
      expect(disabled.json).toMatchObject({ id: member.id, active: false });
      expect((await t.request("GET", "/v1/auth/me", { token: session })).status).toBe(401);
      const login = await t.request("POST", "/v1/auth/login", {
        body: { login: member.login, password: member.password },
      });
      expect(login.status).toBe(401);
      const [line] = await t.db.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, member.id), eq(auditLog.action, "staff_user.disable")));
      expect(line?.data).toMatchObject({ sessionsEnded: 1 });

      await t.request("PATCH", `/v1/staff/${member.id}`, as("admin", { active: true }));
      const back = await t.loginAs(member.login, member.password);
      expect((await t.request("GET", "/v1/auth/me", { token: back })).status).toBe(200);
      // The old session stays ended.
      expect((await t.request("GET", "/v1/auth/me", { token: session })).status).toBe(401);
    });

    it("an admin cannot disable their own account", async () => {
      const res = await t.request("PATCH", `/v1/staff/${w.admin.id}`, as("admin", { active: false }));
      expect(res.status).toBe(409);
      expect(res.json.error.fields).toEqual([{ path: "active", message: "your own account" }]);
    });

    it("a reset password works, the old one fails and the old session ends", async () => {
      const member = await makeStaff(t.db.db, w.coop.id, "agent", { servicePointId: w.pointB.id });
      const session = await t.loginAs(member.login, member.password);
      const short = await t.request(
        "POST",
        `/v1/staff/${member.id}/password`,
        as("admin", { password: "short" }),
      );
      expect(short.status).toBe(400);
      expect(short.json.error.fields[0].path).toBe("password");
      const reset = await t.request("POST", `/v1/staff/${member.id}/password`, {
        ...as("admin", { password: "temporary-2026" }),
        headers: { "idempotency-key": "reset-pw-0001" },
      });
      expect(reset.status, reset.text).toBe(200);
      expect((await t.request("GET", "/v1/auth/me", { token: session })).status).toBe(401);
      const old = await t.request("POST", "/v1/auth/login", {
        body: { login: member.login, password: member.password },
      });
      expect(old.status).toBe(401);
      await t.loginAs(member.login, "temporary-2026");
      const [line] = await t.db.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, member.id), eq(auditLog.action, "staff_user.password_reset")));
      expect(JSON.stringify(line?.data)).not.toContain("temporary-2026");
    });

    it("an agent moved to another point loses the old point's data at once (403) and sees the new one", async () => {
      const agent = await makeStaff(t.db.db, w.coop.id, "agent", { servicePointId: w.pointA.id });
      const session = await t.loginAs(agent.login, agent.password);
      const atA = await makeConsignor(t.db.db, w.coop.id, w.pointA.id);
      const atB = await makeConsignor(t.db.db, w.coop.id, w.pointB.id);
      expect((await t.request("GET", `/v1/consignors/${atA.id}`, { token: session })).status).toBe(200);
      expect((await t.request("GET", `/v1/consignors/${atB.id}`, { token: session })).status).toBe(403);

      const moved = await t.request("PATCH", `/v1/staff/${agent.id}`, {
        ...as("admin", { servicePointCode: w.pointB.code }),
      });
      expect(moved.status, moved.text).toBe(200);
      expect(moved.json.servicePointId).toBe(w.pointB.id);
      expect((await t.request("GET", `/v1/consignors/${atA.id}`, { token: session })).status).toBe(403);
      expect((await t.request("GET", `/v1/consignors/${atB.id}`, { token: session })).status).toBe(200);

      const notAgent = await t.request("PATCH", `/v1/staff/${w.warehouseUser.id}`, {
        ...as("admin", { servicePointCode: w.pointB.code }),
      });
      expect(notAgent.status).toBe(400);
      expect(notAgent.json.error.fields[0].path).toBe("servicePointCode");
    });

    it("searches staff by login or name and filters by role and state", async () => {
      const named = await makeStaff(t.db.db, w.coop.id, "agent", {
        servicePointId: w.pointB.id,
        displayName: "竹山刘代办",
      });
      const byName = await t.request("GET", `/v1/staff?q=${encodeURIComponent("竹山刘")}`, as("admin"));
      expect(byName.json.items.map((s: { id: string }) => s.id)).toEqual([named.id]);
      const byLogin = await t.request("GET", `/v1/staff?q=${named.login.toUpperCase()}`, as("admin"));
      expect(byLogin.json.items.map((s: { id: string }) => s.id)).toEqual([named.id]);
      const admins = await t.request("GET", "/v1/staff?role=admin&active=true", as("admin"));
      expect(admins.json.items.map((s: { role: string }) => s.role)).toEqual(["admin"]);
      expect((await t.request("GET", "/v1/staff?role=boss", as("admin"))).status).toBe(400);
      expect((await t.request("GET", "/v1/staff", as("agentA"))).status).toBe(403);
    });
  });
});

/** `pnpm coop coop:init` as an operator runs it, twice, on an embedded database in a temp folder. */
describe("coop CLI: coop:init and warehouses:create", () => {
  const run = promisify(execFile);
  const dataDir = mkdtempSync(path.join(tmpdir(), "coop-init-"));
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NODE_ENV: "test" };
  delete env.DATABASE_URL;
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function coop(...args: string[]) {
    try {
      const { stdout, stderr } = await run("node", ["--import", "tsx", "src/cli/coop.ts", ...args], {
        cwd: path.resolve(import.meta.dirname, ".."),
        env,
      });
      return { code: 0, out: stdout + stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout + e.stderr };
    }
  }

  it("makes one co-op with one warehouse however often it runs, and refuses a second warehouse", async () => {
    const init = [
      "coop:init",
      "--code",
      "HY",
      "--name-zh",
      "衡阳市供销合作社",
      "--name-en",
      "Hengyang Co-op",
    ];
    const first = await coop(...init, "--warehouse-name-zh", "珠晖仓储配送中心");
    expect(first).toMatchObject({ code: 0 });
    expect(first.out).toContain("Created its warehouse WH-HY");
    const second = await coop(...init);
    expect(second).toMatchObject({ code: 0 });
    expect(second.out).toContain("Its warehouse WH-HY already exists.");
    const another = await coop(
      "warehouses:create",
      "--code",
      "WH-2",
      "--name-zh",
      "二仓",
      "--name-en",
      "Second",
    );
    expect(another.code).toBe(1);
    expect(another.out).toContain("already has its warehouse WH-HY");

    const handle = await createDb({ dataDir: pgliteDir(dataDir) });
    try {
      expect(await handle.db.select().from(coops)).toHaveLength(1);
      const warehouses = await handle.db.select().from(locations).where(eq(locations.kind, "warehouse"));
      expect(warehouses.map((w) => [w.code, w.nameZh])).toEqual([["WH-HY", "珠晖仓储配送中心"]]);
    } finally {
      await handle.close();
    }
  }, 120_000);
});
