import { expect } from "vitest";
import type { TestApp } from "./helpers";

export const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

/** Takes produce in at a service point (it becomes that point's stock). Returns the lot id. */
export async function intake(
  t: TestApp,
  token: string,
  input: {
    consignorId: string;
    productId: string;
    servicePointId: string;
    quantity: number;
    bestBefore: string;
  },
) {
  const res = await t.request("POST", "/v1/lots", { token, body: { ...input, qc: { passed: true } } });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}

export interface PlacedOrder {
  id: string;
  accessToken: string;
  totalFen: number;
}

export async function pickupOrder(
  t: TestApp,
  input: {
    productId: string;
    quantity: number;
    servicePointId: string;
    method?: "cash_on_pickup" | "card";
    contact?: { name: string; phone: string };
  },
): Promise<PlacedOrder> {
  const res = await t.request("POST", "/v1/orders", {
    body: {
      items: [{ productId: input.productId, quantity: input.quantity }],
      fulfilment: { type: "pickup", servicePointId: input.servicePointId },
      payment: { method: input.method ?? "cash_on_pickup" },
      contact: input.contact ?? { name: "王阿姨", phone: "13700001111" },
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

/** The pickup code as only the buyer sees it: on their own order page, read with the order's access token. */
export async function buyerPickupCode(t: TestApp, order: PlacedOrder): Promise<string> {
  const res = await t.request("GET", `/v1/orders/${order.id}`, {
    headers: { authorization: `Bearer ${order.accessToken}` },
  });
  expect(res.status, res.text).toBe(200);
  expect(typeof res.json.pickupCode, "the buyer's order page shows the pickup code").toBe("string");
  return res.json.pickupCode as string;
}

export async function handOver(t: TestApp, agentToken: string, order: PlacedOrder, cash: boolean) {
  const res = await t.request("POST", `/v1/orders/${order.id}/hand-over`, {
    token: agentToken,
    body: {
      pickupCode: await buyerPickupCode(t, order),
      ...(cash ? { cashReceivedFen: order.totalFen } : {}),
    },
  });
  expect(res.status, res.text).toBe(200);
  expect(res.json.status).toBe("picked_up");
  return res.json;
}
