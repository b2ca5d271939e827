import type { StaffRole } from "./closed-sets";

/**
 * The service-point scope rule, defined once: who may act at which point, on which lot and on which order.
 * A commerce agent works for ONE service point (DOMAIN.md); warehouse staff work at the warehouse and on goods
 * away from service points; admins do anything. The API's guards enforce it (assertServicePointAccess,
 * loadLotFor, loadOrderFor, assisted orders) and the shop asks the same functions which buttons to show.
 * Pure functions of the actor's role and point and the target's point: no database, no HTTP.
 */
export interface ScopeActor {
  role: StaffRole;
  /** The agent's own service point; null for warehouse staff and admins. */
  servicePointId: string | null;
}

/**
 * May this person act on something that belongs to the service point `pointId` (its cash, villagers, intake,
 * orders picked up there)? Warehouse staff only where the caller says the warehouse may (`allowWarehouse`).
 */
export function mayActAtPoint(
  actor: ScopeActor,
  pointId: string | null | undefined,
  options: { allowWarehouse?: boolean } = {},
): boolean {
  if (actor.role === "admin") return true;
  if (actor.role === "warehouse") return options.allowWarehouse === true;
  return actor.servicePointId !== null && pointId != null && actor.servicePointId === pointId;
}

/** An order's point: where it is picked up (null for a home delivery). Warehouse staff see and work every order. */
export function mayAccessOrder(actor: ScopeActor, order: { pickupLocationId: string | null }): boolean {
  return mayActAtPoint(actor, order.pickupLocationId, { allowWarehouse: true });
}

export type LotAccess = "read" | "operate";

export interface LotPlace {
  /** Where the lot is now. */
  locationId: string;
  /** Where it was taken in (a split-off lot keeps its family's origin). */
  originLocationId: string | null;
  /** Whether the place it is now is a service point (not the warehouse, a store or transit). */
  atServicePoint: boolean;
}

/**
 * May this person see ("read") or work on ("operate": count, spoil, return, photograph, block) this lot?
 * An agent sees the lots taken in at their point or now there, and works on those now at their point;
 * warehouse staff see every lot and work on lots away from service points; admins do anything.
 */
export function mayAccessLot(actor: ScopeActor, lot: LotPlace, access: LotAccess): boolean {
  if (actor.role === "admin") return true;
  if (actor.role === "warehouse") return access === "read" || !lot.atServicePoint;
  if (actor.servicePointId === null) return false;
  if (access === "read")
    return lot.originLocationId === actor.servicePointId || lot.locationId === actor.servicePointId;
  return lot.locationId === actor.servicePointId;
}

/**
 * May this person set the low-stock warning level of a product at a place? An agent at their own point (they
 * see its shelves), warehouse staff and admins anywhere.
 */
export function maySetStockThreshold(actor: ScopeActor, locationId: string): boolean {
  return mayActAtPoint(actor, locationId, { allowWarehouse: true });
}
