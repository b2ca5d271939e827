import { describe, expect, it } from "vitest";
import * as sets from "./closed-sets";
import {
  ASSISTED_ORDER_PAYMENT_METHODS,
  BUYER_PAYMENT_METHODS,
  CONSIGNOR_ENTRY_KINDS,
  isOneOf,
  LOT_EARNING_ENTRY_KINDS,
  ORDER_STATUSES,
  PAYMENT_METHODS,
} from "./closed-sets";
import {
  Collection,
  DeliveryRun,
  Lot,
  LotTrace,
  Order,
  ReceiveCollection,
  StockMovementKind,
} from "./contract";

const tuples = (Object.entries(sets) as [string, unknown][]).filter(
  (entry): entry is [string, readonly string[]] => Array.isArray(entry[1]),
);

describe("closed sets", () => {
  it("hold each value once", () => {
    expect(tuples.length).toBeGreaterThan(20);
    for (const [name, values] of tuples) {
      expect(new Set(values).size, name).toBe(values.length);
      expect(values.length, name).toBeGreaterThan(0);
    }
  });

  it("keep the subsets inside their set", () => {
    for (const m of BUYER_PAYMENT_METHODS) expect(PAYMENT_METHODS).toContain(m);
    for (const m of ASSISTED_ORDER_PAYMENT_METHODS) expect(PAYMENT_METHODS).toContain(m);
    for (const k of LOT_EARNING_ENTRY_KINDS) expect(CONSIGNOR_ENTRY_KINDS).toContain(k);
    // A buyer never pays from a villager's earnings.
    expect(BUYER_PAYMENT_METHODS).not.toContain("consignor_balance");
  });

  it("are the very values the contract accepts and answers", () => {
    expect(Order.shape.status.options).toEqual([...ORDER_STATUSES]);
    expect(Order.shape.payment.shape.method.options).toEqual([...PAYMENT_METHODS]);
    expect(Lot.shape.status.options).toEqual([...sets.LOT_STATUSES]);
    expect(Lot.shape.unit.options).toEqual(["piece", "gram", "ml", "bag"]);
    expect(StockMovementKind.options).toEqual([...sets.STOCK_MOVEMENT_KINDS]);
    expect(Collection.shape.status.options).toEqual([...sets.COLLECTION_STATUSES]);
    const receivedLine = ReceiveCollection.shape.lines.element;
    expect(receivedLine.shape.discrepancyKind.unwrap().options).toEqual([...sets.DISCREPANCY_KINDS]);
    expect(DeliveryRun.shape.status.options).toEqual([...sets.DELIVERY_RUN_STATUSES]);
    expect(LotTrace.shape.orders.element.shape.status.options).toEqual([...ORDER_STATUSES]);
  });

  it("isOneOf narrows only members", () => {
    expect(isOneOf(ORDER_STATUSES, "paid")).toBe(true);
    expect(isOneOf(ORDER_STATUSES, "PAID")).toBe(false);
    expect(isOneOf(ORDER_STATUSES, "")).toBe(false);
    expect(isOneOf(ORDER_STATUSES, null)).toBe(false);
    expect(isOneOf(ORDER_STATUSES, 3)).toBe(false);
  });
});
