import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import type { ApiClient, StaffUser } from "../lib/api.server";
import { staffSessions } from "../lib/session.server";
import { loader as productsLoader } from "./staff.admin.products._index";
import { action as receiveAction } from "./staff.collections.$id";
import { action as intakeAction } from "./staff.villagers.$id.intake";
import { action as payoutAction } from "./staff.villagers.$id.payout";

const agent: StaffUser = {
  id: "usr_agent",
  login: "agent-hs01",
  displayName: "刘梅",
  role: "agent",
  servicePointId: "loc_hs01",
};
const warehouse: StaffUser = {
  ...agent,
  id: "usr_wh",
  login: "warehouse",
  role: "warehouse",
  servicePointId: null,
};

const villager = {
  id: "csg_1",
  name: "刘桂英",
  phone: "13812345678",
  servicePointId: "loc_hs01",
  village: "竹山村",
  showOnProductPages: false,
  balanceFen: 5000,
  createdAt: "2026-01-01T00:00:00.000Z",
};

const product = (over: Partial<{ unit: "piece" | "gram"; perishable: boolean }> = {}) => ({
  id: "prd_1",
  sku: "X",
  name: { zh: "货", en: "Goods" },
  description: { zh: "", en: "" },
  kind: "produce" as const,
  unit: over.unit ?? ("piece" as const),
  priceFen: 200,
  perishable: over.perishable ?? false,
  available: 0,
  producers: [],
});

async function cookie() {
  const session = await staffSessions.getSession();
  session.set("token", "tok");
  return (await staffSessions.commitSession(session)).split(";")[0]!;
}

/** A POST as a logged-in staff member, to an action with a fake API. */
async function post(
  action: (args: {
    request: Request;
    context: AppLoadContext;
    params: Record<string, string>;
  }) => Promise<unknown>,
  url: string,
  body: FormData | URLSearchParams,
  api: Partial<ApiClient>,
  params: Record<string, string>,
  user: StaffUser = agent,
) {
  const request = new Request(`http://shop.test${url}`, {
    method: "POST",
    body,
    headers: { cookie: await cookie() },
  });
  const context = { api: { me: async () => user, ...api } as ApiClient };
  const result = await action({ request, context, params }).catch((thrown: unknown) => thrown);
  if (result instanceof Response)
    return { status: result.status, location: result.headers.get("location"), body: null };
  const value = result as { data: Record<string, unknown>; init: ResponseInit | null };
  return { status: value.init?.status, location: null, body: value.data };
}

function intakeForm(fields: Record<string, string>) {
  const form = new FormData();
  form.set("idempotencyKey", "shop-key-123456");
  form.set("productId", "prd_1");
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  return form;
}

describe("taking in produce", () => {
  it("sends 2.5 斤 as 1250 grams, at the agent's point, with the form's idempotency key", async () => {
    const calls: unknown[] = [];
    const result = await post(
      intakeAction,
      "/staff/villagers/csg_1/intake",
      intakeForm({ quantity: "2.5", inputUnit: "jin", grade: "B", qc: "pass" }),
      {
        getConsignor: async () => villager,
        getProduct: async () => product({ unit: "gram" }),
        createLot: async (token, input, key) => {
          calls.push({ token, input, key });
          return { id: "lot_1", lotNo: "HS01-20261123-0001", status: "in_stock" };
        },
      },
      { id: "csg_1" },
    );
    expect(result.location).toBe("/staff/lots/lot_1/receipt");
    expect(calls).toEqual([
      {
        token: "tok",
        key: "shop-key-123456",
        input: {
          consignorId: "csg_1",
          productId: "prd_1",
          servicePointId: "loc_hs01",
          quantity: 1250,
          grade: "B",
          qc: { passed: true },
        },
      },
    ]);
  });

  it("asks for a best-before date on perishables and a reason on a failed check, sending nothing", async () => {
    let called = false;
    const result = await post(
      intakeAction,
      "/staff/villagers/csg_1/intake",
      intakeForm({ quantity: "30", inputUnit: "piece", qc: "fail" }),
      {
        getConsignor: async () => villager,
        getProduct: async () => product({ perishable: true }),
        createLot: async () => {
          called = true;
          return { id: "lot_1", lotNo: "x", status: "in_stock" };
        },
      },
      { id: "csg_1" },
    );
    expect(called).toBe(false);
    expect(result.status).toBe(400);
    expect(result.body?.fields).toEqual({ bestBefore: "required", qcReason: "required" });
    // A corrected form is a new request: it gets a new key.
    expect(result.body?.idempotencyKey).not.toBe("shop-key-123456");
    expect(result.body?.typed).toMatchObject({ quantity: "30", passed: false });
  });

  it("refuses half an egg", async () => {
    const result = await post(
      intakeAction,
      "/staff/villagers/csg_1/intake",
      intakeForm({ quantity: "2.5", inputUnit: "piece", qc: "pass" }),
      { getConsignor: async () => villager, getProduct: async () => product() },
      { id: "csg_1" },
    );
    expect(result.body?.fields).toEqual({ quantity: "quantity" });
  });

  it("is not for warehouse staff", async () => {
    const result = await post(
      intakeAction,
      "/staff/villagers/csg_1/intake",
      intakeForm({}),
      {},
      { id: "csg_1" },
      warehouse,
    );
    expect(result.status).toBe(403);
  });
});

describe("paying a villager out", () => {
  const form = (fields: Record<string, string>) =>
    new URLSearchParams({ idempotencyKey: "shop-pay-123456", method: "cash", ...fields });

  it("shows a confirmation first and moves no money", async () => {
    let called = false;
    const api = {
      getConsignor: async () => villager,
      createPayout: async () => {
        called = true;
        throw new Error("not yet");
      },
    };
    const result = await post(payoutAction, "/staff/villagers/csg_1/payout", form({ amount: "12.5" }), api, {
      id: "csg_1",
    });
    expect(called).toBe(false);
    expect(result.body).toMatchObject({
      step: "confirm",
      amountFen: 1250,
      method: "cash",
      idempotencyKey: "shop-pay-123456",
    });
  });

  it("pays in fen with the same key once confirmed, then shows the signed receipt", async () => {
    const calls: unknown[] = [];
    const result = await post(
      payoutAction,
      "/staff/villagers/csg_1/payout",
      form({ amount: "12.50", intent: "confirm" }),
      {
        getConsignor: async () => villager,
        createPayout: async (_token, input, key) => {
          calls.push({ input, key });
          return {
            id: "pout_1",
            consignorId: "csg_1",
            consignorName: "刘桂英",
            consignorPhone: "13812345678",
            servicePointId: "loc_hs01",
            amountFen: 1250,
            method: "cash",
            balanceAfterFen: 3750,
            paidByName: "刘梅",
            note: null,
            createdAt: "2026-11-23T06:00:00.000Z",
          };
        },
      },
      { id: "csg_1" },
    );
    expect(calls).toEqual([
      { input: { consignorId: "csg_1", amountFen: 1250, method: "cash" }, key: "shop-pay-123456" },
    ]);
    expect(result.location).toBe("/staff/payouts/pout_1");
  });

  it("will not pay more than the balance", async () => {
    const result = await post(
      payoutAction,
      "/staff/villagers/csg_1/payout",
      form({ amount: "50.01" }),
      { getConsignor: async () => villager },
      { id: "csg_1" },
    );
    expect(result.body?.fields).toEqual({ amount: "overBalance" });
  });
});

describe("receiving a collection", () => {
  const collection = {
    id: "col_1",
    status: "in_transit" as const,
    fromLocationId: "loc_hs01",
    toLocationId: "loc_wh",
    createdAt: "2026-11-23T06:00:00.000Z",
    receivedAt: null,
    lines: [
      {
        lotId: "lot_1",
        lotNo: "HS01-20261123-0001",
        productName: { zh: "土鸡蛋", en: "Free-range eggs" },
        unit: "piece" as const,
        quantitySent: 30,
        quantityReceived: null,
        discrepancyKind: null,
        note: null,
      },
    ],
  };

  it("needs a reason when the count differs, then records it per lot", async () => {
    const calls: unknown[] = [];
    const api = {
      getCollection: async () => collection,
      receiveCollection: async (_token: string, id: string, input: unknown) => {
        calls.push({ id, input });
        return { ...collection, status: "received" as const };
      },
    };
    const without = await post(
      receiveAction,
      "/staff/collections/col_1",
      new URLSearchParams({ "received.lot_1": "28", "kind.lot_1": "" }),
      api,
      { id: "col_1" },
      warehouse,
    );
    expect(without.body?.fields).toEqual({ "kind.lot_1": "discrepancyKind" });
    expect(calls).toEqual([]);

    const withReason = await post(
      receiveAction,
      "/staff/collections/col_1",
      new URLSearchParams({ "received.lot_1": "28", "kind.lot_1": "broken", "note.lot_1": "2 枚破" }),
      api,
      { id: "col_1" },
      warehouse,
    );
    expect(withReason.location).toBe("/staff/collections/col_1?received=1");
    expect(calls).toEqual([
      {
        id: "col_1",
        input: {
          lines: [{ lotId: "lot_1", receivedQuantity: 28, discrepancyKind: "broken", note: "2 枚破" }],
        },
      },
    ]);
  });

  it("is refused to agents", async () => {
    const result = await post(
      receiveAction,
      "/staff/collections/col_1",
      new URLSearchParams(),
      {},
      { id: "col_1" },
      agent,
    );
    expect(result.status).toBe(403);
  });
});

describe("admin screens", () => {
  it("are refused to agents", async () => {
    const request = new Request("http://shop.test/staff/admin/products", {
      headers: { cookie: await cookie() },
    });
    const context = { api: { me: async () => agent } as unknown as ApiClient };
    const thrown = await productsLoader({ request, context, params: {} }).catch((error: unknown) => error);
    expect((thrown as { init: ResponseInit }).init.status).toBe(403);
  });
});
