import { describe, expect, it } from "vitest";
import { type LotPlace, mayAccessLot, mayAccessOrder, mayActAtPoint, type ScopeActor } from "./scope";

const admin: ScopeActor = { role: "admin", servicePointId: null };
const warehouse: ScopeActor = { role: "warehouse", servicePointId: null };
const agentA: ScopeActor = { role: "agent", servicePointId: "sp_a" };
const agentNoPoint: ScopeActor = { role: "agent", servicePointId: null };

describe("service-point scope", () => {
  it("lets an agent act only at their own point", () => {
    expect(mayActAtPoint(agentA, "sp_a")).toBe(true);
    expect(mayActAtPoint(agentA, "sp_b")).toBe(false);
    expect(mayActAtPoint(agentA, null)).toBe(false);
    expect(mayActAtPoint(agentNoPoint, null)).toBe(false);
  });

  it("lets the warehouse act at a point only where allowed, and an admin anywhere", () => {
    expect(mayActAtPoint(warehouse, "sp_a")).toBe(false);
    expect(mayActAtPoint(warehouse, "sp_a", { allowWarehouse: true })).toBe(true);
    expect(mayActAtPoint(admin, "sp_b")).toBe(true);
  });

  it("scopes orders by their pickup point; home deliveries are the warehouse's", () => {
    expect(mayAccessOrder(agentA, { pickupLocationId: "sp_a" })).toBe(true);
    expect(mayAccessOrder(agentA, { pickupLocationId: "sp_b" })).toBe(false);
    expect(mayAccessOrder(agentA, { pickupLocationId: null })).toBe(false);
    expect(mayAccessOrder(warehouse, { pickupLocationId: "sp_b" })).toBe(true);
    expect(mayAccessOrder(admin, { pickupLocationId: null })).toBe(true);
  });

  const atPointA: LotPlace = { locationId: "sp_a", originLocationId: "sp_a", atServicePoint: true };
  const fromAAtWarehouse: LotPlace = { locationId: "wh", originLocationId: "sp_a", atServicePoint: false };
  const atPointB: LotPlace = { locationId: "sp_b", originLocationId: "sp_b", atServicePoint: true };

  it("lets an agent see lots taken in or now at their point, and work on those now there", () => {
    expect(mayAccessLot(agentA, atPointA, "operate")).toBe(true);
    expect(mayAccessLot(agentA, fromAAtWarehouse, "read")).toBe(true);
    expect(mayAccessLot(agentA, fromAAtWarehouse, "operate")).toBe(false);
    expect(mayAccessLot(agentA, atPointB, "read")).toBe(false);
    expect(mayAccessLot(agentNoPoint, { ...atPointB, originLocationId: null }, "read")).toBe(false);
  });

  it("lets the warehouse see every lot and work on lots away from service points", () => {
    expect(mayAccessLot(warehouse, atPointB, "read")).toBe(true);
    expect(mayAccessLot(warehouse, atPointB, "operate")).toBe(false);
    expect(mayAccessLot(warehouse, fromAAtWarehouse, "operate")).toBe(true);
    expect(mayAccessLot(admin, atPointB, "operate")).toBe(true);
  });
});
