import { consignors, orderLines, orders, stockLevels } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { and, eq } from "drizzle-orm";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postConsignorEntry } from "../src/domain/settlement/consignor-ledger";
import { readEnv } from "../src/env";
import { createStripe } from "../src/lib/stripe";
import { makeConsignor, makeCoopWorld, makeProduct, takeInStock } from "./factories";
import { createTestApp, type TestApp } from "./helpers";
import { allLedgerViolations } from "./ledger-checks";
import { createStripeState, STRIPE_TEST_BASE, stripeHandlers } from "./mocks/stripe";

const stripeEnv = {
  STRIPE_SECRET_KEY: "sk_test_coop",
  STRIPE_API_BASE: STRIPE_TEST_BASE,
  STRIPE_WEBHOOK_SECRET: "whsec_test_coop",
};

/** Delivery ¥8, free from ¥50: a bag of seed costs ¥10, so 4 bags pay the fee, 5 (at the threshold) and 6 do not. */
const FEE_FEN = 800;
const FREE_FROM_FEN = 5_000;
const SEED_FEN = 1_000;

/**
 * Issue 15, item 1: one writer for every order (place_order, decision 0035). Buyers' and villagers'
 * (assisted) orders get the same delivery fee, the same sourcing and the same idempotency.
 */
describe.each(testDbKinds())(
  "one order writer: fees, sourcing, idempotency for buyers and villagers (%s)",
  (kind) => {
    const server = setupServer(...stripeHandlers(createStripeState()));
    let t: TestApp;
    let w: Awaited<ReturnType<typeof makeCoopWorld>>;
    let seedId = "";
    let villagerId = "";
    const token: Record<string, string> = {};
    const address = "衡阳市雁峰区先锋路 8 号 3 栋";
    const buyer = { name: "城里张先生", phone: "13912345678" };

    const stockAt = (productId: string, locationId: string, quantity: number) =>
      takeInStock(t.db.db, w.coop.id, { productId, locationId, quantity });

    async function level(productId: string, locationId: string) {
      const [row] = await t.db.db
        .select()
        .from(stockLevels)
        .where(and(eq(stockLevels.productId, productId), eq(stockLevels.locationId, locationId)));
      return row ?? { onHand: 0, reserved: 0 };
    }

    const balance = async () =>
      (await t.db.db.select().from(consignors).where(eq(consignors.id, villagerId)))[0]!.balanceFen;
    const orderRow = async (id: string) => (await t.db.db.select().from(orders).where(eq(orders.id, id)))[0]!;
    const villagerOrders = async () =>
      t.db.db.select().from(orders).where(eq(orders.onBehalfOfConsignorId, villagerId));

    beforeAll(async () => {
      server.listen({ onUnhandledRequest: "error" });
      t = await createTestApp(kind, stripeEnv, { stripe: createStripe(readEnv(stripeEnv))! });
      w = await makeCoopWorld(t.db.db);
      for (const who of ["agentA", "admin"] as const)
        token[who] = await t.loginAs(w[who].login, w[who].password);
      seedId = (await makeProduct(t.db.db, w.coop.id, { kind: "supply", unit: "bag", priceFen: SEED_FEN }))
        .id;
      await stockAt(seedId, w.warehouse.id, 500);
      await stockAt(seedId, w.pointA.id, 2);
      villagerId = (await makeConsignor(t.db.db, w.coop.id, w.pointA.id, { name: "钱阿姨" })).id;
      await postConsignorEntry(t.db.db, {
        consignorId: villagerId,
        kind: "adjustment",
        amountFen: 100_000,
        note: "opening balance for the test",
      });
      // One order before the settings change, so the API has seen (and must notice) the old ones.
      const first = await t.request("POST", "/v1/orders", {
        body: {
          items: [{ productId: seedId, quantity: 1 }],
          fulfilment: { type: "pickup", servicePointId: w.pointA.id },
          payment: { method: "cash_on_pickup" },
          contact: buyer,
        },
      });
      expect(first.status, first.text).toBe(201);
      const settings = await t.request("PATCH", "/v1/coop", {
        token: token.admin,
        body: { deliveryFeeFen: FEE_FEN, freeDeliveryOverFen: FREE_FROM_FEN },
      });
      expect(settings.status, settings.text).toBe(200);
    });
    afterAll(async () => {
      server.close();
      await t?.close();
    });

    const buyerDelivery = (bags: number) =>
      t.request("POST", "/v1/orders", {
        body: {
          items: [{ productId: seedId, quantity: bags }],
          fulfilment: { type: "delivery", address },
          payment: { method: "card" },
          contact: buyer,
        },
      });
    const assisted = (
      body: { bags: number; fulfilment?: unknown; method?: string },
      headers: Record<string, string> = {},
    ) =>
      t.request("POST", "/v1/orders", {
        token: token.agentA,
        headers,
        body: {
          items: [{ productId: seedId, quantity: body.bags }],
          fulfilment: body.fulfilment ?? { type: "delivery", address },
          payment: { method: body.method ?? "consignor_balance" },
          contact: { name: "钱阿姨", phone: "13700000000" },
          onBehalfOf: { consignorId: villagerId },
        },
      });

    it.each([
      [4, FEE_FEN],
      [5, 0],
      [6, 0],
    ])(
      "charges a buyer's delivery of %i bags (¥10 each, free from ¥50) a fee of %i fen",
      async (bags, fee) => {
        const res = await buyerDelivery(bags);
        expect(res.status, res.text).toBe(201);
        expect(res.json).toMatchObject({ status: "pending_payment", totalFen: bags * SEED_FEN + fee });
        const row = await orderRow(res.json.id);
        expect({ subtotal: row.subtotalFen, fee: row.deliveryFeeFen, total: row.totalFen }).toEqual({
          subtotal: bags * SEED_FEN,
          fee,
          total: bags * SEED_FEN + fee,
        });
      },
    );

    it.each([
      [4, FEE_FEN],
      [5, 0],
      [6, 0],
    ])(
      "charges an assisted delivery of %i bags a fee of %i fen, set against the villager's balance",
      async (bags, fee) => {
        const before = await balance();
        const res = await assisted({ bags });
        expect(res.status, res.text).toBe(201);
        expect(res.json).toMatchObject({ status: "paid", totalFen: bags * SEED_FEN + fee, pickupCode: null });
        const row = await orderRow(res.json.id);
        expect({ fee: row.deliveryFeeFen, total: row.totalFen, villager: row.onBehalfOfConsignorId }).toEqual(
          {
            fee,
            total: bags * SEED_FEN + fee,
            villager: villagerId,
          },
        );
        expect(await balance()).toBe(before - (bags * SEED_FEN + fee));
      },
    );

    it("charges no fee for a pickup below the threshold, buyer or assisted", async () => {
      const pickup = { type: "pickup", servicePointId: w.pointA.id };
      const mine = await t.request("POST", "/v1/orders", {
        body: {
          items: [{ productId: seedId, quantity: 1 }],
          fulfilment: pickup,
          payment: { method: "card" },
          contact: buyer,
        },
      });
      expect(mine.status, mine.text).toBe(201);
      expect(mine.json.totalFen).toBe(SEED_FEN);
      const theirs = await assisted({ bags: 1, fulfilment: pickup, method: "cash_on_pickup" });
      expect(theirs.status, theirs.text).toBe(201);
      expect(theirs.json.totalFen).toBe(SEED_FEN);
    });

    it("serves an assisted pickup from the point's shelf when it has enough, else from the warehouse", async () => {
      const pickup = { type: "pickup", servicePointId: w.pointA.id };
      await stockAt(seedId, w.pointA.id, 3);
      const shelfBefore = await level(seedId, w.pointA.id);
      const whBefore = await level(seedId, w.warehouse.id);
      const free = shelfBefore.onHand - shelfBefore.reserved;
      expect(free).toBeGreaterThan(0);

      const fromShelf = await assisted({ bags: free, fulfilment: pickup, method: "cash_on_pickup" });
      expect(fromShelf.status, fromShelf.text).toBe(201);
      const shelfLines = await t.db.db
        .select()
        .from(orderLines)
        .where(eq(orderLines.orderId, fromShelf.json.id));
      expect(shelfLines.map((l) => [l.locationId, l.quantity])).toEqual([[w.pointA.id, free]]);

      // The shelf is now empty: 5 bags come from the warehouse, reserved there, nothing at the point.
      const fromWarehouse = await assisted({ bags: 5, fulfilment: pickup, method: "cash_on_pickup" });
      expect(fromWarehouse.status, fromWarehouse.text).toBe(201);
      expect(fromWarehouse.json.status).toBe("confirmed");
      const lines = await t.db.db
        .select()
        .from(orderLines)
        .where(eq(orderLines.orderId, fromWarehouse.json.id));
      expect(lines.map((l) => [l.locationId, l.quantity])).toEqual([[w.warehouse.id, 5]]);
      expect((await level(seedId, w.pointA.id)).reserved).toBe(shelfBefore.reserved + free);
      expect((await level(seedId, w.warehouse.id)).reserved).toBe(whBefore.reserved + 5);
      expect((await orderRow(fromWarehouse.json.id)).pickupLocationId).toBe(w.pointA.id);
    });

    it("makes one assisted order, paid once, for a retry with the same Idempotency-Key", async () => {
      const before = { balance: await balance(), orders: (await villagerOrders()).length };
      const key = { "idempotency-key": "assisted-retry-0001" };
      const first = await assisted({ bags: 3 }, key);
      expect(first.status, first.text).toBe(201);
      const again = await assisted({ bags: 3 }, key);
      expect(again.status, again.text).toBe(201);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(again.json).toEqual(first.json);
      expect(first.json.status).toBe("paid");
      expect((await villagerOrders()).length).toBe(before.orders + 1);
      expect(await balance()).toBe(before.balance - (3 * SEED_FEN + FEE_FEN));
      // The same key for another order is refused.
      const other = await assisted({ bags: 4 }, key);
      expect(other.status).toBe(409);
      expect(other.json.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    });

    it("makes one assisted order, paid once, when the same keyed request arrives twice at once", async () => {
      const before = { balance: await balance(), orders: (await villagerOrders()).length };
      const key = { "idempotency-key": "assisted-twice-0001" };
      const [a, b] = await Promise.all([assisted({ bags: 2 }, key), assisted({ bags: 2 }, key)]);
      expect([a!.status, b!.status], `${a!.text} ${b!.text}`).toEqual([201, 201]);
      expect(a!.json.id).toBe(b!.json.id);
      expect((await villagerOrders()).length).toBe(before.orders + 1);
      expect(await balance()).toBe(before.balance - (2 * SEED_FEN + FEE_FEN));
    });

    it("stores an assisted refusal for the retry: more than the balance is 409 both times, nothing written", async () => {
      const before = { balance: await balance(), orders: (await villagerOrders()).length };
      const key = { "idempotency-key": "assisted-too-dear-01" };
      const bags = Math.ceil(before.balance / SEED_FEN) + 1;
      const first = await assisted({ bags }, key);
      expect(first.status, first.text).toBe(409);
      expect(first.json.error.code).toBe("INSUFFICIENT_BALANCE");
      const again = await assisted({ bags }, key);
      expect(again.status).toBe(409);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect((await villagerOrders()).length).toBe(before.orders);
      expect(await balance()).toBe(before.balance);
    });

    it("applies an admin's new fee to the very next order", async () => {
      const changed = await t.request("PATCH", "/v1/coop", {
        token: token.admin,
        body: { deliveryFeeFen: 1_200, freeDeliveryOverFen: null },
      });
      expect(changed.status, changed.text).toBe(200);
      const res = await buyerDelivery(6);
      expect(res.status, res.text).toBe(201);
      expect((await orderRow(res.json.id)).deliveryFeeFen).toBe(1_200);
      const theirs = await assisted({ bags: 6 });
      expect(theirs.status, theirs.text).toBe(201);
      expect((await orderRow(theirs.json.id)).deliveryFeeFen).toBe(1_200);
      expect(await allLedgerViolations(t.db.db)).toEqual({});
    });
  },
);
