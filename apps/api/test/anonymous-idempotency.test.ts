import { testDbKinds } from "@coop/db/testing";
import { signClientIdentity } from "@coop/shared/client-signature";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeConsignor, makeCoopWorld } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

const SECRET = "test-only-client-address-secret-0123456789";
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

describe.each(testDbKinds())("anonymous Idempotency-Keys are scoped per caller (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;

  beforeAll(async () => {
    t = await createTestApp(kind, { CLIENT_ADDRESS_SECRET: SECRET });
    w = await makeCoopWorld(t.db.db);
    const agent = await t.loginAs(w.agentA.login, w.agentA.password);
    const warehouse = await t.loginAs(w.warehouseUser.login, w.warehouseUser.password);
    const villager = await makeConsignor(t.db.db, w.coop.id, w.pointA.id, { name: "孙大爷" });
    const lot = await t.request("POST", "/v1/lots", {
      token: agent,
      body: {
        consignorId: villager.id,
        productId: w.egg.id,
        servicePointId: w.pointA.id,
        quantity: 100,
        bestBefore: inDays(10),
        qc: { passed: true },
      },
    });
    const run = await t.request("POST", "/v1/collections", {
      token: agent,
      body: { fromServicePointId: w.pointA.id, lotIds: [lot.json.id] },
    });
    const received = await t.request("POST", `/v1/collections/${run.json.id}/receive`, {
      token: warehouse,
      body: { lines: [{ lotId: lot.json.id, receivedQuantity: 100 }] },
    });
    expect(received.status, received.text).toBe(200);
  });
  afterAll(() => t?.close());

  // The same order, byte for byte, as two buyers (or a buyer and a copycat) might send it.
  const order = () => ({
    items: [{ productId: w.egg.id, quantity: 2 }],
    fulfilment: { type: "pickup", servicePointId: w.pointA.id },
    payment: { method: "cash_on_pickup" },
    contact: { name: "买家", phone: "13900000000" },
  });
  const viaShop = (browser: string, address: string) => ({
    "x-forwarded-for": "192.0.2.1", // the shop's address, the same for everyone
    "x-coop-client": signClientIdentity({ address, browser }, SECRET),
  });
  const place = (key: string, headers: Record<string, string>) =>
    t.request("POST", "/v1/orders", { body: order(), headers: { "idempotency-key": key, ...headers } });

  it("gives two browsers sending the same key and body each their own order", async () => {
    const first = await place(
      "same-key-for-two-browsers",
      viaShop("browser_aaaaaaaaaaaaaaaa", "203.0.113.1"),
    );
    const second = await place(
      "same-key-for-two-browsers",
      viaShop("browser_bbbbbbbbbbbbbbbb", "203.0.113.2"),
    );
    expect(first.status, first.text).toBe(201);
    expect(second.status, second.text).toBe(201);
    expect(second.json.id).not.toBe(first.json.id);
    expect(second.json.accessToken).not.toBe(first.json.accessToken);
    expect(second.text).not.toContain(first.json.accessToken);
    expect(second.text).not.toContain(first.json.id);
  });

  it("replays to the same browser after its address changed (the line dropped, the phone reconnected)", async () => {
    const browser = "browser_cccccccccccccccc";
    const first = await place("key-of-a-dropped-line", viaShop(browser, "203.0.113.3"));
    const retry = await place("key-of-a-dropped-line", viaShop(browser, "198.51.100.3"));
    expect(first.status, first.text).toBe(201);
    expect(retry.status, retry.text).toBe(201);
    expect(retry.json.id).toBe(first.json.id);
    expect(retry.json.accessToken).toBe(first.json.accessToken);
  });

  it("tells direct callers apart by address, and ignores an identity that is not signed", async () => {
    const first = await place("key-of-direct-callers", { "x-forwarded-for": "203.0.113.4" });
    const other = await place("key-of-direct-callers", { "x-forwarded-for": "203.0.113.5" });
    expect(other.json.id).not.toBe(first.json.id);
    const forged = await place("key-of-direct-callers", {
      "x-forwarded-for": "203.0.113.6",
      "x-coop-client": signClientIdentity(
        { address: "203.0.113.4", browser: null },
        "a-guessed-secret-of-32-characters-xx",
      ),
    });
    expect(forged.status, forged.text).toBe(201);
    expect(forged.json.id).not.toBe(first.json.id);
    expect(forged.text).not.toContain(first.json.accessToken);
    const replay = await place("key-of-direct-callers", { "x-forwarded-for": "203.0.113.4" });
    expect(replay.json.id).toBe(first.json.id);
  });
});
