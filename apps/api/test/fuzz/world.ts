import { makeConsignor, makeCoopWorld } from "../factories";
import type { TestApp } from "../helpers";

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

/**
 * A small co-op like the demo's, built through the API itself so every row is one the API would write:
 * villagers at both points, lots in stock at the points and the warehouse, a collection received, a photo,
 * a cash order handed over (a sale and a villager's balance), a payout, a cash order and a card order open.
 * Point B's things are "another point's" for the agent of point A.
 */
export async function buildFuzzWorld(t: TestApp, causeOf: (requestId: string | null) => string) {
  const w = await makeCoopWorld(t.db.db);
  const villagerA = await makeConsignor(t.db.db, w.coop.id, w.pointA.id);
  const villagerA2 = await makeConsignor(t.db.db, w.coop.id, w.pointA.id);
  const villagerB = await makeConsignor(t.db.db, w.coop.id, w.pointB.id);
  const token = {
    admin: await t.loginAs(w.admin.login, w.admin.password),
    warehouse: await t.loginAs(w.warehouseUser.login, w.warehouseUser.password),
    agentA: await t.loginAs(w.agentA.login, w.agentA.password),
    agentB: await t.loginAs(w.agentB.login, w.agentB.password),
  };

  // Steps after the stock is in place are not needed for the run to go on: a failure is reported with
  // the run's results instead of stopping it.
  const problems: string[] = [];
  const soft = async (what: string, res: Promise<{ status: number; text: string; json: any }>) => {
    const r = await res;
    if (r.status >= 300)
      problems.push(
        `${what} answered ${r.status} ${r.json?.error?.code ?? r.text.slice(0, 100)}: ${causeOf(r.json?.error?.requestId ?? null)}`,
      );
    return r.status < 300 ? r.json : null;
  };
  const ok = async (
    what: string,
    res: Promise<{ status: number; text: string; json: any }>,
  ): Promise<any> => {
    const r = await res;
    if (r.status >= 300) throw new Error(`fuzz world: ${what} answered ${r.status} ${r.text}`);
    return r.json;
  };
  const lot = (
    by: string,
    consignorId: string,
    productId: string,
    servicePointId: string,
    quantity: number,
  ) =>
    ok(
      "intake",
      t.request("POST", "/v1/lots", {
        token: by,
        body: {
          consignorId,
          productId,
          servicePointId,
          quantity,
          bestBefore: inDays(10),
          qc: { passed: true },
        },
      }),
    );

  const eggsA = await lot(token.agentA, villagerA.id, w.egg.id, w.pointA.id, 300);
  const picklesA = await lot(token.agentA, villagerA2.id, w.pickle.id, w.pointA.id, 20_000);
  await lot(token.agentA, villagerA.id, w.egg.id, w.pointA.id, 40);
  await lot(token.agentB, villagerB.id, w.egg.id, w.pointB.id, 120);
  await lot(token.agentB, villagerB.id, w.pickle.id, w.pointB.id, 5_000);

  const run = await ok(
    "collection",
    t.request("POST", "/v1/collections", {
      token: token.agentA,
      body: { fromServicePointId: w.pointA.id, lotIds: [eggsA.id] },
    }),
  );
  await ok(
    "receive",
    t.request("POST", `/v1/collections/${run.id}/receive`, {
      token: token.warehouse,
      body: { lines: [{ lotId: eggsA.id, receivedQuantity: 298, discrepancyKind: "broken" }] },
    }),
  );

  const form = new FormData();
  form.set("photo", new File([PNG], "photo.png", { type: "image/png" }));
  const photo = await t.app.request(`/v1/lots/${picklesA.id}/photos`, {
    method: "POST",
    body: form,
    headers: { authorization: `Bearer ${token.agentA}` },
  });
  if (photo.status >= 300)
    throw new Error(`fuzz world: photo answered ${photo.status} ${await photo.text()}`);

  const buyer = { name: "城里张先生", phone: "13912345678" };
  const sold = await soft(
    "cash order",
    t.request("POST", "/v1/orders", {
      body: {
        items: [{ productId: w.egg.id, quantity: 10 }],
        fulfilment: { type: "pickup", servicePointId: w.pointA.id },
        payment: { method: "cash_on_pickup" },
        contact: buyer,
      },
    }),
  );
  if (sold) {
    if (sold) {
      await soft("pack", t.request("POST", `/v1/orders/${sold.id}/pack`, { token: token.warehouse }));
      await soft("dispatch", t.request("POST", `/v1/orders/${sold.id}/dispatch`, { token: token.warehouse }));
      await soft(
        "hand over",
        t.request("POST", `/v1/orders/${sold.id}/hand-over`, {
          token: token.agentA,
          body: { pickupCode: sold.pickupCode, cashReceivedFen: 5_000 },
        }),
      );
    }
  }
  await soft(
    "payout",
    t.request("POST", "/v1/payouts", {
      token: token.agentA,
      body: { consignorId: villagerA.id, amountFen: 100, method: "cash" },
    }),
  );
  await soft(
    "open cash order",
    t.request("POST", "/v1/orders", {
      body: {
        items: [
          { productId: w.egg.id, quantity: 6 },
          { productId: w.pickle.id, quantity: 500 },
        ],
        fulfilment: { type: "pickup", servicePointId: w.pointA.id },
        payment: { method: "cash_on_pickup" },
        contact: buyer,
      },
    }),
  );
  await soft(
    "card order",
    t.request("POST", "/v1/orders", {
      body: {
        items: [{ productId: w.egg.id, quantity: 4 }],
        fulfilment: { type: "delivery", address: "衡阳市雁峰区先锋路 8 号 3 栋" },
        payment: { method: "card" },
        contact: buyer,
      },
    }),
  );
  return { w, token, villagers: [villagerA, villagerA2, villagerB], problems };
}
