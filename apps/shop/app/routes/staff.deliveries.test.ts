import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import type { ApiClient, StaffUser } from "../lib/api.server";
import { readReceiveForm } from "../lib/deliveries";
import { staffSessions } from "../lib/session.server";
import { action as runAction } from "./staff.deliveries.$id._index";

const agent: StaffUser = {
  id: "usr_agent",
  login: "agent-hs01",
  displayName: "刘梅",
  role: "agent",
  servicePointId: "loc_hs01",
};

const run = {
  id: "dlv_1",
  status: "in_transit" as const,
  fromLocationId: "loc_wh",
  toLocationId: "loc_hs01",
  toName: { zh: "竹山村服务点", en: "Zhushan point" },
  createdAt: "2026-01-01T00:00:00.000Z",
  dispatchedAt: "2026-01-01T01:00:00.000Z",
  receivedAt: null,
  lines: [
    {
      id: "dll_eggs",
      orderId: "ord_1",
      orderLineId: "oln_1",
      productId: "prd_egg",
      productName: { zh: "土鸡蛋", en: "Eggs" },
      unit: "piece" as const,
      goods: "reserved" as const,
      quantity: 30,
      quantityReceived: null,
      discrepancyKind: null,
      note: null,
      resolution: null,
      resendOfLineId: null,
      lots: [],
    },
    {
      id: "dll_pickles",
      orderId: "ord_2",
      orderLineId: "oln_2",
      productId: "prd_pickle",
      productName: { zh: "坛子菜", en: "Pickles" },
      unit: "gram" as const,
      goods: "sold" as const,
      quantity: 1000,
      quantityReceived: null,
      discrepancyKind: null,
      note: null,
      resolution: null,
      resendOfLineId: null,
      lots: [],
    },
  ],
  pickList: [],
  manifest: [],
};

async function post(body: URLSearchParams, api: Partial<ApiClient>) {
  const session = await staffSessions.getSession();
  session.set("token", "tok");
  const cookie = (await staffSessions.commitSession(session)).split(";")[0]!;
  const request = new Request("http://shop.test/staff/deliveries/dlv_1", {
    method: "POST",
    body,
    headers: { cookie },
  });
  const context = { api: { me: async () => agent, getDeliveryRun: async () => run, ...api } as ApiClient };
  const result = await runAction({
    request,
    context: context as AppLoadContext,
    params: { id: "dlv_1" },
  }).catch((thrown: unknown) => thrown);
  if (result instanceof Response)
    return { status: result.status, location: result.headers.get("location"), body: null };
  const value = result as { data: Record<string, unknown>; init: ResponseInit | null };
  return { status: value.init?.status, location: null, body: value.data };
}

describe("receiving a delivery run at the service point", () => {
  it("asks why when a count is short, and sends nothing", async () => {
    let called = false;
    const res = await post(
      new URLSearchParams({
        intent: "receive",
        idempotencyKey: "key-12345678",
        "received.dll_eggs": "27",
        "received.dll_pickles": "2",
        "unit.dll_pickles": "jin",
      }),
      {
        receiveDeliveryRun: async () => {
          called = true;
          return { ...run, readyOrderIds: [] } as never;
        },
      },
    );
    expect(res.status).toBe(400);
    expect(res.body?.fields).toEqual({ "kind.dll_eggs": "discrepancyKind" });
    expect(res.body?.typed).toMatchObject({ dll_eggs: "27" });
    expect(called).toBe(false);
  });

  it("sends the counts in base units with the reason and key, then shows how many orders are ready", async () => {
    const sent: unknown[] = [];
    const res = await post(
      new URLSearchParams({
        intent: "receive",
        idempotencyKey: "key-12345678",
        "received.dll_eggs": "27",
        "kind.dll_eggs": "broken",
        "note.dll_eggs": "袋子破了",
        "received.dll_pickles": "2",
        "unit.dll_pickles": "jin",
      }),
      {
        receiveDeliveryRun: async (_token, id, input, key) => {
          sent.push({ id, input, key });
          return { ...run, readyOrderIds: ["ord_2"] } as never;
        },
      },
    );
    expect(res.status).toBe(302);
    expect(res.location).toBe("/staff/deliveries/dlv_1?received=1&ready=1");
    expect(sent).toEqual([
      {
        id: "dlv_1",
        key: "key-12345678",
        input: {
          lines: [
            { lineId: "dll_eggs", receivedQuantity: 27, discrepancyKind: "broken", note: "袋子破了" },
            { lineId: "dll_pickles", receivedQuantity: 1000 },
          ],
        },
      },
    ]);
  });

  it("refuses a count above what was sent", () => {
    const form = new FormData();
    form.set("received.dll_eggs", "31");
    const read = readReceiveForm(form, [run.lines[0]!]);
    expect(read.ok).toBe(false);
    expect(read.fields).toEqual({ "received.dll_eggs": "quantity" });
  });
});

describe("refunding the missing part of a paid order's short line", () => {
  const warehouse: StaffUser = { ...agent, id: "usr_wh", role: "warehouse", servicePointId: null };

  it("sends the line and the key, then says how much went back", async () => {
    const sent: unknown[] = [];
    const res = await post(
      new URLSearchParams({ intent: "refund", lineId: "dll_pickles", idempotencyKey: "key-refund-1" }),
      {
        me: async () => warehouse,
        refundDeliveryLine: async (_token, id, lineId, key) => {
          sent.push({ id, lineId, key });
          return { ...run, refundedFen: 600, refundSent: true } as never;
        },
      },
    );
    expect(res.status).toBe(302);
    expect(res.location).toBe("/staff/deliveries/dlv_1?refunded=600&sent=1");
    expect(sent).toEqual([{ id: "dlv_1", lineId: "dll_pickles", key: "key-refund-1" }]);
  });

  it("is not for the point's agent", async () => {
    let called = false;
    const res = await post(
      new URLSearchParams({ intent: "refund", lineId: "dll_pickles", idempotencyKey: "key-refund-2" }),
      {
        refundDeliveryLine: async () => {
          called = true;
          return { ...run, refundedFen: 600, refundSent: true } as never;
        },
      },
    );
    expect(res.status).not.toBe(302);
    expect(called).toBe(false);
  });
});
