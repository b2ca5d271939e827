import { createTestDb, type TestDb } from "@coop/db/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordMovement } from "../src/domain/stock/ledger";
import { type ApiProcess, startApi } from "./api-process";
import { startTcpProxy, type TcpProxy } from "./chaos/tcp-proxy";
import { makeCoopWorld, makeProduct } from "./factories";

const BUYERS = 16;
const OUTAGES = 3;
const OUTAGE_MS = 3_000;
const BETWEEN_MS = 4_000;
/** A buyer gives up on one order (and the test fails) after this long without a final answer. */
const GIVE_UP_MS = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function rows<T>(db: TestDb, query: ReturnType<typeof sql>) {
  return [...((await db.db.execute(query)) as unknown as T[])];
}

/**
 * Chaos (issue 14): two API processes on a real PostgreSQL server, behind a proxy that cuts every database
 * connection and refuses new ones three times for 3 s, while 16 buyers keep ordering. Each buyer retries an
 * order with the same Idempotency-Key until it has a final answer, as the shop does. Both processes must
 * live through it, answer 503 (never 500) while the database is away, take orders again by themselves
 * afterwards, and leave one order per key with stock and reservations that agree.
 */
describe.runIf(process.env.TEST_DATABASE_URL)("database outages under order load (postgres)", () => {
  let t: TestDb;
  let proxy: TcpProxy;
  let world: Awaited<ReturnType<typeof makeCoopWorld>>;
  let productId: string;
  const STOCK = 1_000_000;
  const apis: ApiProcess[] = [];

  beforeAll(async () => {
    t = await createTestDb("postgres");
    world = await makeCoopWorld(t.db);
    const product = await makeProduct(t.db, world.coop.id, { kind: "supply", unit: "piece", priceFen: 500 });
    productId = product.id;
    await recordMovement(t.db, {
      productId,
      locationId: world.pointA.id,
      lotId: null,
      kind: "count_adjustment",
      quantityDelta: STOCK,
      reason: "chaos test stock",
    });
    const server = new URL(t.url!);
    proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    const viaProxy = new URL(t.url!);
    viaProxy.port = String(proxy.port);
    apis.push(...(await Promise.all([startApi(viaProxy.toString()), startApi(viaProxy.toString())])));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(apis.map((api) => api.stop()));
    await proxy?.close();
    await t?.close();
  });

  it("both processes survive three 3 s outages, answer 503 meanwhile, and resume orders", async () => {
    const statuses = new Map<string, number>();
    const count = (status: string) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const orderOfKey = new Map<string, string>();
    const duplicates: string[] = [];
    const unfinished: string[] = [];
    const serverErrors: string[] = [];
    let recoveredAt = Number.POSITIVE_INFINITY;
    const createdAfterRecovery = [0, 0];
    let running = true;
    let sent = 0;

    const orderOnce = async (buyer: number, key: string) => {
      const body = JSON.stringify({
        items: [{ productId, quantity: 1 }],
        fulfilment: { type: "pickup", servicePointId: world.pointA.id },
        payment: { method: "cash_on_pickup" },
        contact: { name: `买家${buyer}`, phone: `139${String(buyer).padStart(8, "0")}` },
      });
      const started = Date.now();
      for (let attempt = 0; ; attempt++) {
        if (Date.now() - started > GIVE_UP_MS) {
          unfinished.push(key);
          return;
        }
        // A retry goes to the other process, as a load balancer would send it.
        const which = (buyer + attempt) % apis.length;
        let res: Response;
        sent++;
        try {
          res = await fetch(`${apis[which]!.url}/v1/orders`, {
            method: "POST",
            headers: { "content-type": "application/json", "idempotency-key": key },
            body,
            signal: AbortSignal.timeout(20_000),
          });
        } catch {
          count("network error");
          await sleep(300);
          continue;
        }
        const json = (await res.json().catch(() => null)) as {
          id?: string;
          error?: { code: string; message: string };
        } | null;
        count(String(res.status));
        if (res.status >= 500 && res.status !== 503)
          serverErrors.push(`${res.status} ${JSON.stringify(json)}`);
        if (res.status === 503) {
          expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
          await sleep(300 + Math.random() * 300);
          continue;
        }
        if (res.status === 409 && json?.error?.code === "IDEMPOTENCY_IN_PROGRESS") {
          await sleep(300);
          continue;
        }
        if (res.status === 201 && json?.id) {
          const earlier = orderOfKey.get(key);
          if (earlier && earlier !== json.id) duplicates.push(key);
          orderOfKey.set(key, json.id);
          if (Date.now() > recoveredAt) createdAfterRecovery[which]!++;
        }
        return;
      }
    };

    const buyers = Array.from({ length: BUYERS }, async (_, buyer) => {
      for (let i = 0; running; i++) await orderOnce(buyer, `chaos-${buyer}-${i}`);
    });

    await sleep(2_000);
    for (let outage = 0; outage < OUTAGES; outage++) {
      await proxy.refuse();
      await sleep(OUTAGE_MS);
      await proxy.accept();
      await sleep(BETWEEN_MS);
    }
    // Recovery by themselves: both report healthy again within seconds, with nobody restarting anything.
    const deadline = Date.now() + 20_000;
    for (const api of apis) {
      for (;;) {
        const ok = await fetch(`${api.url}/health`)
          .then((r) => r.ok)
          .catch(() => false);
        if (ok) break;
        if (Date.now() > deadline) throw new Error(`${api.url} did not recover:\n${api.output()}`);
        await sleep(200);
      }
    }
    recoveredAt = Date.now();
    await sleep(3_000);
    running = false;
    await Promise.all(buyers);

    const summary = {
      sent,
      statuses: Object.fromEntries([...statuses].sort()),
      ordersCreated: orderOfKey.size,
      createdAfterRecovery,
      processDeaths: apis.filter((a) => a.proc.exitCode !== null || a.proc.signalCode !== null).length,
      duplicates: duplicates.length,
      unfinished: unfinished.length,
    };
    console.log(`chaos: ${JSON.stringify(summary)}`);

    for (const api of apis) {
      expect(api.proc.exitCode, api.output()).toBeNull();
      expect(api.proc.signalCode, api.output()).toBeNull();
    }
    expect(serverErrors).toEqual([]);
    expect(statuses.get("503") ?? 0).toBeGreaterThan(0); // the outages really happened under load
    expect(createdAfterRecovery.every((n) => n > 0)).toBe(true);
    expect(duplicates).toEqual([]);
    expect(unfinished).toEqual([]);

    // One order per key: every order in the database is one a buyer was answered with.
    const [orders] = await rows<{ n: number }>(t, sql`SELECT count(*)::int AS n FROM orders`);
    expect(orders!.n).toBe(new Set(orderOfKey.values()).size);
    // Stock: nothing sold, each order holds exactly its line, the ledger agrees with the shelf.
    const [level] = await rows<{ on_hand: number; reserved: number }>(
      t,
      sql`SELECT on_hand, reserved FROM stock_levels WHERE product_id = ${productId} AND location_id = ${world.pointA.id}`,
    );
    const [held] = await rows<{ n: number }>(
      t,
      sql`SELECT coalesce(sum(l.quantity), 0)::int AS n FROM order_lines l JOIN orders o ON o.id = l.order_id
          WHERE l.product_id = ${productId} AND o.status = 'confirmed'`,
    );
    const [ledger] = await rows<{ n: number }>(
      t,
      sql`SELECT sum(quantity_delta)::int AS n FROM stock_movements WHERE product_id = ${productId}`,
    );
    expect(level).toEqual({ on_hand: STOCK, reserved: held!.n });
    expect(held!.n).toBe(orders!.n);
    expect(ledger!.n).toBe(STOCK);
  }, 180_000);
});
