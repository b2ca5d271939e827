import { testDbKinds } from "@coop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCoopWorld } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

/**
 * The point's villagers as the agent's phone keeps them for intake with no network: every villager of the
 * point, page by page, none of another point's, and only to that point's agent (or an admin).
 */
describe.each(testDbKinds())("a service point's villager roster (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  let agentA: string;
  let agentB: string;
  let admin: string;
  let warehouse: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    agentA = await t.loginAs(w.agentA.login, w.agentA.password);
    agentB = await t.loginAs(w.agentB.login, w.agentB.password);
    admin = await t.loginAs(w.admin.login, w.admin.password);
    warehouse = await t.loginAs(w.warehouseUser.login, w.warehouseUser.password);
    for (let i = 0; i < 7; i += 1) {
      const res = await t.request("POST", "/v1/consignors", {
        token: agentA,
        body: { name: `甲村${i}`, phone: `1390000100${i}`, servicePointId: w.pointA.id, village: "甲村" },
      });
      expect(res.status).toBe(201);
    }
    await t.request("POST", "/v1/consignors", {
      token: agentB,
      body: { name: "乙村民", phone: "13900002000", servicePointId: w.pointB.id },
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  it("lists every villager of the point once, across pages, and none of another point's", async () => {
    const seen: Array<{ name: string; phone: string; servicePointId: string }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.request(
        "GET",
        `/v1/consignors/roster?servicePointId=${w.pointA.id}&limit=3${cursor ? `&cursor=${cursor}` : ""}`,
        { token: agentA },
      );
      expect(res.status).toBe(200);
      seen.push(...res.json.items);
      cursor = res.json.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen.map((v) => v.name).sort()).toEqual([
      "甲村0",
      "甲村1",
      "甲村2",
      "甲村3",
      "甲村4",
      "甲村5",
      "甲村6",
    ]);
    expect(new Set(seen.map((v) => v.phone)).size).toBe(7);
    expect(seen.every((v) => v.servicePointId === w.pointA.id)).toBe(true);
  });

  it("is refused to another point's agent and to warehouse staff; an admin may read it", async () => {
    const url = `/v1/consignors/roster?servicePointId=${w.pointA.id}`;
    expect((await t.request("GET", url, { token: agentB })).status).toBe(403);
    expect((await t.request("GET", url, { token: warehouse })).status).toBe(403);
    const asAdmin = await t.request("GET", url, { token: admin });
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.json.items).toHaveLength(7);
    expect((await t.request("GET", "/v1/consignors/roster", { token: agentA })).status).toBe(400);
  });
});
