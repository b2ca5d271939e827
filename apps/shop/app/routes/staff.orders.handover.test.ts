import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { type ApiClient, ApiError, type StaffUser } from "../lib/api.server";
import type { Order, PickupMatch } from "../lib/orders-api.server";
import { staffSessions } from "../lib/session.server";
import { action as orderPageAction } from "./staff.orders.$id";
import { action } from "./staff.orders.handover";

function order(over: Partial<Order> = {}): Order {
  return {
    id: "ord_1",
    status: "ready_for_pickup",
    subtotalFen: 2700,
    deliveryFeeFen: 0,
    totalFen: 2700,
    items: [],
    payment: { method: "cash_on_pickup", status: "unpaid", paidFen: 0, refundedFen: 0 },
    fulfilment: {
      type: "pickup",
      servicePointId: "loc_hs01",
      servicePointName: { zh: "竹山村商务服务点", en: "Zhushan" },
      address: null,
      trackingNumber: null,
    },
    contact: { name: "王小明", phone: "13912345678" },
    pickupCode: null,
    pickupLocked: false,
    onBehalfOfConsignorId: null,
    history: [],
    expiresAt: null,
    createdAt: "2026-11-23T00:00:00.000Z",
    ...over,
  };
}

const match = (over: Partial<PickupMatch> = {}): PickupMatch => ({
  orderId: "ord_1",
  status: "ready_for_pickup",
  canHandOver: true,
  locked: false,
  buyerName: "王**",
  phoneTail: "5678",
  totalFen: 2700,
  paymentMethod: "cash_on_pickup",
  itemCount: 1,
  placedForVillager: false,
  createdAt: "2026-11-23T00:00:00.000Z",
  ...over,
});

const agent: StaffUser = {
  id: "usr_agent",
  login: "agent-hs01",
  displayName: "刘梅",
  role: "agent",
  servicePointId: "loc_hs01",
};

async function staffCookie() {
  const session = await staffSessions.getSession();
  session.set("token", "tok");
  return (await staffSessions.commitSession(session)).split(";")[0]!;
}

/** Runs the hand-over action with a form and a fake API; returns the page's answer. */
async function post(fields: Record<string, string>, api: Partial<ApiClient>) {
  const request = new Request("http://shop.test/staff/orders/handover", {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { cookie: await staffCookie() },
  });
  const context = { api: { me: async () => agent, ...api } as ApiClient } as unknown as AppLoadContext;
  const result = (await action({ request, context, params: {} })) as unknown as {
    data: Record<string, any>;
    init: ResponseInit | null;
  };
  return { status: result.init?.status ?? 200, body: result.data };
}

const wrongCode = (attemptsLeft: number) =>
  new ApiError(400, "PICKUP_CODE_WRONG", "The code is not right.", "req", [], {
    attemptsLeft,
    reason: "wrong_code",
  });

describe("the hand-over screen's action", () => {
  it("finds the order by the typed code through the API's lookup, never from a list", async () => {
    const asked: string[] = [];
    const res = await post(
      { intent: "lookup", code: "012 345" },
      {
        lookupPickup: async (_token, code) => {
          asked.push(code);
          return { matches: [match()] };
        },
        getOrder: async () => order(),
        listOrders: async () => {
          throw new Error("the code is never matched against a list");
        },
      },
    );
    expect(asked).toEqual(["012345"]);
    expect(res.body).toMatchObject({ step: "order", via: "code", order: { id: "ord_1" } });
    expect(res.body.typed.code).toBe("012345");
  });

  it("several orders share the code: the agent chooses by masked name and phone tail", async () => {
    const res = await post(
      { intent: "lookup", code: "012345" },
      { lookupPickup: async () => ({ matches: [match(), match({ orderId: "ord_2", buyerName: "李*" })] }) },
    );
    expect(res.body.step).toBe("several");
    expect(res.body.matches.map((m: PickupMatch) => m.buyerName)).toEqual(["王**", "李*"]);
  });

  it("a code matching nothing, a collected one and too many misses are each said plainly", async () => {
    const fail = (error: ApiError) =>
      post({ intent: "lookup", code: "999999" }, { lookupPickup: async () => Promise.reject(error) });
    const none = await fail(new ApiError(404, "NOT_FOUND", "No order.", "req"));
    expect(none.status).toBe(404);
    expect(none.body).toMatchObject({
      step: "enter",
      problem: "codeNotFound",
      fields: { code: "noSuchCode" },
    });
    const collected = await fail(new ApiError(409, "ALREADY_PICKED_UP", "已取货", "req"));
    expect(collected.body).toMatchObject({ step: "enter", problem: "alreadyCollected" });
    const limited = await fail(new ApiError(429, "RATE_LIMITED", "Too many.", "req"));
    expect(limited.body).toMatchObject({ step: "enter", problem: "tooManyMisses" });
  });

  it("hands over with the code the agent typed, and the cash", async () => {
    const calls: unknown[] = [];
    const api = {
      getOrder: async () => order(),
      handOver: async (_token: string, _id: string, _key: string, input: unknown) => {
        calls.push(input);
        return { ...order({ status: "picked_up" }), changeFen: 7300 };
      },
    };
    const short = await post({ intent: "handOver", orderId: "ord_1", code: "012345", cash: "20" }, api);
    expect(short.body.fields).toEqual({ cash: "cashShort" });
    expect(calls).toEqual([]);
    const done = await post({ intent: "handOver", orderId: "ord_1", code: "012345", cash: "100" }, api);
    expect(calls).toEqual([{ pickupCode: "012345", cashReceivedFen: 10_000 }]);
    expect(done.body.done).toMatchObject({ changeFen: 7300, cashFen: 10_000, totalFen: 2700 });
  });

  it("never hands over without a code: an order from the list with no code typed is refused here", async () => {
    let called = false;
    const res = await post(
      { intent: "handOver", orderId: "ord_1", via: "list", cash: "30" },
      {
        getOrder: async () => order({ pickupCode: "012345" }),
        handOver: async () => {
          called = true;
          return { ...order({ status: "picked_up" }), changeFen: 0 };
        },
      },
    );
    expect(called).toBe(false);
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual({ code: "sixDigits" });
  });

  it("a wrong code is said next to the code, with the tries left before the lock", async () => {
    const res = await post(
      { intent: "handOver", orderId: "ord_1", via: "list", code: "999999", cash: "30" },
      { getOrder: async () => order(), handOver: async () => Promise.reject(wrongCode(3)) },
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ step: "order", fields: { code: "wrongCode" }, attemptsLeft: 3 });
  });

  it("a locked order says to call an admin; a collected one says 已取货", async () => {
    const locked = await post(
      { intent: "handOver", orderId: "ord_1", code: "012345", cash: "30" },
      {
        getOrder: async () => order(),
        handOver: async () => Promise.reject(new ApiError(409, "PICKUP_LOCKED", "Locked.", "req")),
      },
    );
    expect(locked.status).toBe(409);
    expect(locked.body.problem).toBe("pickupLocked");
    const collected = await post(
      { intent: "handOver", orderId: "ord_1", code: "012345", cash: "30" },
      {
        getOrder: async () => order(),
        handOver: async () => Promise.reject(new ApiError(409, "ALREADY_PICKED_UP", "已取货", "req")),
      },
    );
    expect(collected.body.problem).toBe("alreadyCollected");
  });

  it("an order placed for a villager: SMS code to their phone, or an ID check", async () => {
    const calls: unknown[] = [];
    const villagers = {
      getOrder: async () =>
        order({
          onBehalfOfConsignorId: "csg_1",
          payment: { method: "consignor_balance", status: "succeeded", paidFen: 2700, refundedFen: 0 },
        }),
      sendPickupSms: async (_t: string, _id: string, _k: string, phone: string) => {
        calls.push({ sms: phone });
        return { sentTo: "137****1111", expiresAt: "2026-11-23T00:10:00.000Z" };
      },
      handOver: async (_t: string, _id: string, _k: string, input: unknown) => {
        calls.push(input);
        return { ...order({ status: "picked_up" }), changeFen: 0 };
      },
    };
    const sent = await post(
      { intent: "sendSms", orderId: "ord_1", via: "list", proof: "sms", smsPhone: "137 0000 1111" },
      villagers,
    );
    expect(sent.body).toMatchObject({ step: "order", smsSentTo: "137****1111" });
    await post(
      {
        intent: "handOver",
        orderId: "ord_1",
        via: "list",
        proof: "sms",
        smsPhone: "13700001111",
        smsCode: "654321",
      },
      villagers,
    );
    await post(
      {
        intent: "handOver",
        orderId: "ord_1",
        via: "list",
        proof: "id",
        idType: "resident_id",
        idLast4: "123x",
      },
      villagers,
    );
    expect(calls).toEqual([
      { sms: "13700001111" },
      { villagerSms: { phone: "13700001111", smsCode: "654321" } },
      { idCheck: { idType: "resident_id", last4: "123X" } },
    ]);
    const badId = await post(
      {
        intent: "handOver",
        orderId: "ord_1",
        via: "list",
        proof: "id",
        idType: "resident_id",
        idLast4: "12",
      },
      villagers,
    );
    expect(badId.body.fields).toEqual({ idLast4: "idLast4" });
  });
});

describe("unlocking a locked order from its page", () => {
  async function unlock(user: StaffUser, over: Partial<Order>, reason: string) {
    const calls: unknown[] = [];
    const request = new Request("http://shop.test/staff/orders/ord_1", {
      method: "POST",
      body: new URLSearchParams({ intent: "unlockPickup", reason }),
      headers: { cookie: await staffCookie() },
    });
    const api = {
      me: async () => user,
      getOrder: async () => order(over),
      unlockPickup: async (_t: string, id: string, _k: string, why: string) => {
        calls.push({ id, why });
        return order({ pickupLocked: false });
      },
    };
    const context = { api: api as unknown as ApiClient } as unknown as AppLoadContext;
    const result = await orderPageAction({ request, context, params: { id: "ord_1" } }).catch(
      (e: unknown) => e,
    );
    return {
      result: result as Response | { data: Record<string, unknown>; init: ResponseInit | null },
      calls,
    };
  }
  const admin: StaffUser = { ...agent, id: "usr_admin", role: "admin", servicePointId: null };

  it("an admin unlocks with a reason; an agent cannot", async () => {
    const done = await unlock(admin, { pickupLocked: true }, "checked with the buyer by phone");
    expect(done.calls).toEqual([{ id: "ord_1", why: "checked with the buyer by phone" }]);
    expect((done.result as Response).headers.get("location")).toBe("/staff/orders/ord_1?done=unlocked");
    const byAgent = await unlock(agent, { pickupLocked: true }, "please");
    expect(byAgent.calls).toEqual([]);
    expect((byAgent.result as { init: ResponseInit }).init.status).toBe(409);
    const noReason = await unlock(admin, { pickupLocked: true }, " ");
    expect(noReason.calls).toEqual([]);
    expect((noReason.result as unknown as { data: { fields: unknown } }).data.fields).toEqual({
      reason: "required",
    });
  });
});
