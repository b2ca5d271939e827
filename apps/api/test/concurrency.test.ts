import { createTestDb, type TestDb } from "@coop/db/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordMovement } from "../src/domain/stock/ledger";
import { type ApiProcess, startApi } from "./api-process";
import { makeCoopWorld, makeProduct } from "./factories";

const RUNS = 5;
const ORDERS = 400;
const STOCK = 100;

async function rows<T>(db: TestDb, query: ReturnType<typeof sql>) {
  return [...((await db.db.execute(query)) as unknown as T[])];
}

/**
 * A live-stream flash sale against a real PostgreSQL server and TWO API processes: 400 buyers at once for
 * 100 units. Exactly 100 are reserved, everyone else gets 409 OUT_OF_STOCK, and on-hand, reserved and the
 * ledger agree. Five times over.
 */
describe.runIf(process.env.TEST_DATABASE_URL)(
  "flash sale on one product, two API processes (postgres)",
  () => {
    let t: TestDb;
    let world: Awaited<ReturnType<typeof makeCoopWorld>>;
    const apis: ApiProcess[] = [];
    const smsSent: Array<{ notificationId: string; process: number }> = [];

    beforeAll(async () => {
      t = await createTestDb("postgres");
      world = await makeCoopWorld(t.db);
      // Info logs carry each SMS the development provider "sends" (by outbox id): counted across both processes.
      const countSms = (process: number) => (line: string) => {
        if (!line.includes("SMS (development provider)")) return;
        const notificationId = (JSON.parse(line) as { sms?: { id?: string } }).sms?.id;
        if (notificationId) smsSent.push({ notificationId, process });
      };
      apis.push(
        ...(await Promise.all([
          startApi(t.url!, { LOG_LEVEL: "info" }, countSms(0)),
          startApi(t.url!, { LOG_LEVEL: "info" }, countSms(1)),
        ])),
      );
    }, 120_000);

    afterAll(async () => {
      for (const api of apis) api.proc.kill("SIGTERM");
      await Promise.all(
        apis.map(
          (api) => new Promise((r) => (api.proc.exitCode !== null ? r(null) : api.proc.once("exit", r))),
        ),
      );
      await t?.close();
    });

    it(`reserves exactly ${STOCK} of ${ORDERS} concurrent orders, ${RUNS} runs`, async () => {
      for (let run = 1; run <= RUNS; run++) {
        const product = await makeProduct(t.db, world.coop.id, {
          kind: "supply",
          unit: "piece",
          priceFen: 1250,
        });
        await recordMovement(t.db, {
          productId: product.id,
          locationId: world.warehouse.id,
          lotId: null,
          kind: "count_adjustment",
          quantityDelta: STOCK,
          reason: "flash sale stock",
        });
        const body = (i: number) =>
          JSON.stringify({
            items: [{ productId: product.id, quantity: 1 }],
            fulfilment: { type: "pickup", servicePointId: world.pointA.id },
            payment: { method: "cash_on_pickup" },
            contact: { name: `买家${i}`, phone: `139${String(run * 1000 + i).padStart(8, "0")}` },
          });
        const responses = await Promise.all(
          Array.from({ length: ORDERS }, async (_, i) => {
            const res = await fetch(`${apis[i % 2]!.url}/v1/orders`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: body(i),
            });
            return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
          }),
        );
        const created = responses.filter((r) => r.status === 201).length;
        const refused = responses.filter(
          (r) => r.status === 409 && r.body.error?.code === "OUT_OF_STOCK",
        ).length;
        expect({ run, created, refused }).toEqual({ run, created: STOCK, refused: ORDERS - STOCK });

        const [level] = await rows<{ on_hand: number; reserved: number }>(
          t,
          sql`SELECT on_hand, reserved FROM stock_levels WHERE product_id = ${product.id} AND location_id = ${world.warehouse.id}`,
        );
        const [ledger] = await rows<{ total: number }>(
          t,
          sql`SELECT sum(quantity_delta)::int AS total FROM stock_movements WHERE product_id = ${product.id}`,
        );
        const [ordered] = await rows<{ orders: number; units: number }>(
          t,
          sql`SELECT count(DISTINCT order_id)::int AS orders, sum(quantity)::int AS units FROM order_lines WHERE product_id = ${product.id}`,
        );
        expect({ run, level, ledger: ledger!.total, ordered }).toEqual({
          run,
          level: { on_hand: STOCK, reserved: STOCK },
          ledger: STOCK,
          ordered: { orders: STOCK, units: STOCK },
        });
      }

      // Every order queued one SMS; with both processes delivering the outbox, each goes out exactly once.
      const deadline = Date.now() + 90_000;
      for (;;) {
        const [pending] = await rows<{ n: number }>(
          t,
          sql`SELECT count(*)::int AS n FROM notifications WHERE status = 'pending'`,
        );
        if (pending!.n === 0) break;
        if (Date.now() > deadline) throw new Error(`${pending!.n} SMS still pending after 90 s`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const queued = await rows<{ id: string }>(
        t,
        sql`SELECT id FROM notifications WHERE template = 'order_placed'`,
      );
      const timesSent = new Map<string, number>();
      for (const { notificationId } of smsSent) {
        timesSent.set(notificationId, (timesSent.get(notificationId) ?? 0) + 1);
      }
      expect(queued.length).toBe(RUNS * STOCK);
      expect(queued.filter((q) => timesSent.get(q.id) !== 1)).toEqual([]);
      expect(smsSent.length).toBe(queued.length);
      console.log(
        `outbox with two processes: ${smsSent.length} SMS for ${queued.length} orders; sent by process 0: ${smsSent.filter((s) => s.process === 0).length}, process 1: ${smsSent.filter((s) => s.process === 1).length}`,
      );
    }, 300_000);
  },
);
