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

    beforeAll(async () => {
      t = await createTestDb("postgres");
      world = await makeCoopWorld(t.db);
      apis.push(...(await Promise.all([startApi(t.url!), startApi(t.url!)])));
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
    }, 300_000);
  },
);
