import { testDbKinds } from "@coop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordSale } from "../src/domain/settlement/record-sale";
import { makeCoopWorld } from "./factories";
import { createTestApp, type TestApp } from "./helpers";
import { tableCounts } from "./ledger-checks";

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

/**
 * Service-point scoping: an agent works for one point. Every route that touches a point's villagers, lots,
 * statements, payouts or collections is walked with another point's agent, and each must answer 403 and
 * change nothing. Warehouse staff never pay villagers out.
 */
describe.each(testDbKinds())("service-point and role scoping (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  const token: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    for (const who of ["agentA", "agentB", "warehouseUser", "admin"] as const) {
      token[who] = await t.loginAs(w[who].login, w[who].password);
    }
    const a = { token: token.agentA };
    ids.villager = (
      await t.request("POST", "/v1/consignors", {
        ...a,
        body: { name: "甲村民", phone: "13900000001", servicePointId: w.pointA.id },
      })
    ).json.id;
    const lot = await t.request("POST", "/v1/lots", {
      ...a,
      body: {
        consignorId: ids.villager,
        productId: w.pickle.id,
        servicePointId: w.pointA.id,
        quantity: 5000,
        qc: { passed: true },
      },
    });
    ids.lot = lot.json.id;
    ids.lot2 = (
      await t.request("POST", "/v1/lots", {
        ...a,
        body: {
          consignorId: ids.villager,
          productId: w.pickle.id,
          servicePointId: w.pointA.id,
          quantity: 800,
          qc: { passed: true },
        },
      })
    ).json.id;
    const form = new FormData();
    form.set("photo", new File([PNG], "p.png", { type: "image/png" }));
    const photo = await t.app.request(`/v1/lots/${ids.lot}/photos`, {
      method: "POST",
      body: form,
      headers: { authorization: `Bearer ${token.agentA}` },
    });
    ids.photo = ((await photo.json()) as { id: string }).id;
    await t.db.db.transaction((tx) =>
      recordSale(tx, {
        productId: w.pickle.id,
        locationId: w.pointA.id,
        quantity: 100,
        unitPriceFen: 3,
        fromReserved: false,
      }),
    );
    const payout = await t.request("POST", "/v1/payouts", {
      ...a,
      body: { consignorId: ids.villager, amountFen: 100, method: "cash" },
    });
    expect(payout.status).toBe(201);
    ids.payout = payout.json.id;
    ids.collection = (
      await t.request("POST", "/v1/collections", {
        ...a,
        body: { fromServicePointId: w.pointA.id, lotIds: [ids.lot2] },
      })
    ).json.id;
  });
  afterAll(() => t?.close());

  function foreignAgentRoutes(): Array<[string, string, unknown?]> {
    return [
      ["GET", `/v1/consignors?q=13900000001&servicePointId=${w.pointA.id}`],
      ["GET", `/v1/consignors/${ids.villager}`],
      ["PATCH", `/v1/consignors/${ids.villager}`, { name: "改名" }],
      ["GET", `/v1/consignors/${ids.villager}/statement`],
      ["POST", "/v1/consignors", { name: "新人", phone: "13900000009", servicePointId: w.pointA.id }],
      [
        "POST",
        "/v1/lots",
        {
          consignorId: ids.villager,
          productId: w.egg.id,
          servicePointId: w.pointA.id,
          quantity: 1,
          qc: { passed: true },
        },
      ],
      ["GET", `/v1/lots?servicePointId=${w.pointA.id}`],
      ["GET", `/v1/lots/${ids.lot}`],
      ["GET", `/v1/lots/${ids.lot}/photos/${ids.photo}`],
      ["POST", `/v1/lots/${ids.lot}/return`, { quantity: 1, reason: "x" }],
      ["POST", `/v1/lots/${ids.lot}/spoilage`, { quantity: 1, reason: "x" }],
      ["POST", `/v1/lots/${ids.lot}/count`, { countedQuantity: 1 }],
      ["POST", `/v1/lots/${ids.lot}/block`, { reason: "x" }],
      ["GET", `/v1/lots/${ids.lot}/trace`],
      ["POST", "/v1/payouts", { consignorId: ids.villager, amountFen: 1, method: "cash" }],
      ["GET", `/v1/payouts/${ids.payout}`],
      ["POST", "/v1/collections", { fromServicePointId: w.pointA.id, lotIds: [ids.lot] }],
      ["GET", `/v1/collections/${ids.collection}`],
      [
        "POST",
        `/v1/collections/${ids.collection}/receive`,
        { lines: [{ lotId: ids.lot2, receivedQuantity: 800 }] },
      ],
      ["PUT", "/v1/stock/thresholds", { productId: w.pickle.id, locationId: w.pointA.id, threshold: 5 }],
      ["GET", "/v1/staff"],
      [
        "POST",
        "/v1/products",
        { sku: "X-1", name: { zh: "x", en: "x" }, kind: "supply", unit: "bag", priceFen: 1 },
      ],
    ];
  }

  it("answers 403 to another point's agent on every route, and changes nothing", async () => {
    const before = await tableCounts(t.db.db);
    const failures: string[] = [];
    for (const [method, path, body] of foreignAgentRoutes()) {
      const res = await t.request(method, path, { token: token.agentB, body });
      if (res.status !== 403 || res.json?.error?.code !== "FORBIDDEN")
        failures.push(`${method} ${path} → ${res.status}`);
    }
    // The photo upload is multipart.
    const form = new FormData();
    form.set("photo", new File([PNG], "p.png", { type: "image/png" }));
    const upload = await t.app.request(`/v1/lots/${ids.lot}/photos`, {
      method: "POST",
      body: form,
      headers: { authorization: `Bearer ${token.agentB}` },
    });
    if (upload.status !== 403) failures.push(`POST photos → ${upload.status}`);
    expect(failures).toEqual([]);
    expect(await tableCounts(t.db.db)).toEqual(before);
    const unchanged = await t.request("GET", `/v1/consignors/${ids.villager}`, { token: token.agentA });
    expect(unchanged.json.name).toBe("甲村民");
  });

  it("lists only the agent's own villagers, lots and collections", async () => {
    const search = await t.request("GET", "/v1/consignors?q=%E6%9D%91%E6%B0%91", { token: token.agentB });
    expect(search.json.items).toEqual([]);
    const lots = await t.request("GET", "/v1/lots", { token: token.agentB });
    expect(lots.json.items).toEqual([]);
    const runs = await t.request("GET", "/v1/collections", { token: token.agentB });
    expect(runs.json.items).toEqual([]);
    const own = await t.request("GET", "/v1/lots", { token: token.agentA });
    expect(own.json.items.map((l: { id: string }) => l.id).sort()).toEqual([ids.lot, ids.lot2].sort());
  });

  it("never lets warehouse staff pay a villager out or see their money", async () => {
    for (const [method, path, body] of [
      ["POST", "/v1/payouts", { consignorId: ids.villager, amountFen: 1, method: "cash" }],
      ["GET", `/v1/consignors/${ids.villager}/statement`],
      ["GET", `/v1/consignors/${ids.villager}`],
      ["GET", `/v1/payouts/${ids.payout}`],
      ["POST", "/v1/consignors", { name: "新人", phone: "13900000008", servicePointId: w.pointA.id }],
    ] as Array<[string, string, unknown?]>) {
      const res = await t.request(method, path, { token: token.warehouseUser, body });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
  });

  it("lets the point's own agent and an admin through the same routes", async () => {
    expect(
      (await t.request("GET", `/v1/consignors/${ids.villager}/statement`, { token: token.agentA })).status,
    ).toBe(200);
    expect(
      (await t.request("GET", `/v1/consignors/${ids.villager}/statement`, { token: token.admin })).status,
    ).toBe(200);
    expect((await t.request("GET", `/v1/lots/${ids.lot}/trace`, { token: token.warehouseUser })).status).toBe(
      200,
    );
    expect(
      (await t.request("GET", `/v1/collections/${ids.collection}`, { token: token.warehouseUser })).status,
    ).toBe(200);
    const noLogin = await t.request("GET", `/v1/lots/${ids.lot}`);
    expect(noLogin.status).toBe(401);
  });
});
