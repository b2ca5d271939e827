import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import type { ApiClient, StaffUser } from "../lib/api.server";
import { staffSessions } from "../lib/session.server";
import { loader as productsLoader } from "./staff.admin.products._index";
import { action as receiveAction } from "./staff.collections.$id";
import { loader as intakeLoader } from "./staff.intake";
import { action as syncAction } from "./staff.sync.intake";
import { loader as oldIntakeLoader } from "./staff.villagers.$id.intake";
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

/** A JSON command from the phone's sender to the sync route, as a logged-in agent (or with no session). */
async function sync(body: unknown, apiFetch: typeof fetch, loggedIn = true) {
  const request = new Request("http://shop.test/staff/sync/intake", {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...(loggedIn ? { cookie: await cookie() } : {}) },
  });
  const response = await syncAction({ request, context: { apiFetch }, params: {} });
  return (await response.json()) as { status: number; body: unknown; retryAfter: number | null };
}

describe("taking in produce", () => {
  it("has one way in: a villager's 收货 opens the offline intake flow with that villager", async () => {
    const request = new Request("http://shop.test/staff/villagers/csg_1/intake", {
      headers: { cookie: await cookie() },
    });
    const context = { api: { me: async () => agent } as unknown as ApiClient };
    const result = (await oldIntakeLoader({ request, context, params: { id: "csg_1" } })) as Response;
    expect(result.status).toBe(302);
    expect(result.headers.get("location")).toBe("/staff/intake?villager=csg_1");
  });

  it("is not for warehouse staff", async () => {
    const request = new Request("http://shop.test/staff/intake", { headers: { cookie: await cookie() } });
    const context = { api: { me: async () => warehouse } as unknown as ApiClient };
    const thrown = await intakeLoader({ request, context, params: {} }).catch((error: unknown) => error);
    expect((thrown as { init: ResponseInit }).init.status).toBe(403);
  });

  it("sends the phone's lot to the API with the session's token and the command id as Idempotency-Key", async () => {
    const calls: Array<{ url: string; headers: Headers; body: unknown }> = [];
    const apiFetch = (async (url: URL, init: RequestInit) => {
      calls.push({
        url: String(url),
        headers: new Headers(init.headers),
        body: JSON.parse(String(init.body)),
      });
      return Response.json({ id: "lot_1", lotNo: "HS01-20261202-B001", status: "in_stock" }, { status: 201 });
    }) as unknown as typeof fetch;
    const lot = {
      consignorId: "csg_1",
      productId: "prd_1",
      servicePointId: "loc_hs01",
      quantity: 1250,
      grade: "B",
      qc: { passed: true },
      intakeDeviceId: "dev_1",
      lotNo: "HS01-20261202-B001",
    };
    const answer = await sync({ op: "createLot", key: "cmd-1234-5678", body: lot }, apiFetch);
    expect(answer).toEqual({
      status: 201,
      body: { id: "lot_1", lotNo: "HS01-20261202-B001", status: "in_stock" },
      retryAfter: null,
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toMatch(/\/v1\/lots$/);
    expect(calls[0]?.headers.get("authorization")).toBe("Bearer tok");
    expect(calls[0]?.headers.get("idempotency-key")).toBe("cmd-1234-5678");
    expect(calls[0]?.body).toEqual(lot);
  });

  it("passes the API's refusal and its Retry-After on as they are, for the phone to decide", async () => {
    const apiFetch = (async () =>
      Response.json(
        { error: { code: "RATE_LIMITED", message: "slow down", requestId: "r" } },
        { status: 429, headers: { "retry-after": "30" } },
      )) as unknown as typeof fetch;
    const answer = await sync({ op: "registerVillager", key: "cmd-abcdefgh", body: { name: "x" } }, apiFetch);
    expect(answer).toMatchObject({ status: 429, retryAfter: 30, body: { error: { code: "RATE_LIMITED" } } });
  });

  it("answers 401 without calling the API when the login is gone, and 503 when the API does not answer", async () => {
    let called = 0;
    const down = (async () => {
      called += 1;
      throw new TypeError("connect ECONNREFUSED");
    }) as unknown as typeof fetch;
    const command = { op: "createLot", key: "cmd-abcdefgh", body: {} };
    expect((await sync(command, down, false)).status).toBe(401);
    expect(called).toBe(0);
    expect((await sync(command, down)).status).toBe(503);
    expect(called).toBe(1);
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
