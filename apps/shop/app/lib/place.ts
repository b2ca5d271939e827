import type { LocalizedText } from "@coop/shared/contract";

/**
 * Where the buyer collects, chosen once and remembered (cookie coop_place): a service point, or home
 * delivery. The catalog, the cart and checkout count and default to it.
 */
export type Place = { type: "pickup"; servicePointId: string } | { type: "delivery" };

/** A service point as the chooser shows it. */
export interface PickupPoint {
  id: string;
  name: LocalizedText;
  village: string;
  address: string | null;
  openingHours: string | null;
}

/** The cookie's value → a place; anything else (old, forged, empty) → none chosen. */
export function decodePlace(value: unknown): Place | null {
  if (value === "delivery") return { type: "delivery" };
  if (typeof value === "string" && /^pickup:[A-Za-z0-9_]{1,64}$/.test(value)) {
    return { type: "pickup", servicePointId: value.slice("pickup:".length) };
  }
  return null;
}

export function encodePlace(place: Place): string {
  return place.type === "delivery" ? "delivery" : `pickup:${place.servicePointId}`;
}

/** What the buyer sent from the chooser: a point's id, or "delivery". */
export function placeFromForm(choice: string): Place | null {
  if (choice === "delivery") return { type: "delivery" };
  return /^[A-Za-z0-9_]{1,64}$/.test(choice) ? { type: "pickup", servicePointId: choice } : null;
}

/** The remembered place, if it is still offered: a point that has closed counts as none chosen. */
export function stillOffered(place: Place | null, points: readonly PickupPoint[]): Place | null {
  if (place?.type !== "pickup") return place;
  return points.some((p) => p.id === place.servicePointId) ? place : null;
}

/** The open points grouped by village, villages and points in Chinese collation order. */
export function pointsByVillage(
  points: readonly PickupPoint[],
): Array<{ village: string; points: PickupPoint[] }> {
  const groups = new Map<string, PickupPoint[]>();
  for (const point of points) {
    const group = groups.get(point.village) ?? [];
    group.push(point);
    groups.set(point.village, group);
  }
  const collator = new Intl.Collator("zh-CN");
  return [...groups.entries()]
    .sort(([a], [b]) => collator.compare(a, b))
    .map(([village, list]) => ({
      village,
      points: list.sort((a, b) => collator.compare(a.name.zh, b.name.zh)),
    }));
}

/** The catalog's query for a place: a point's id, or nothing for delivery / none chosen. */
export function catalogPlace(place: Place | null): string | undefined {
  return place?.type === "pickup" ? place.servicePointId : undefined;
}

/** A place for the page: its kind and, for a point, its names. */
export type PlaceView = { type: "pickup"; id: string; name: LocalizedText } | { type: "delivery" } | null;

export function placeView(place: Place | null, points: readonly PickupPoint[]): PlaceView {
  if (!place) return null;
  if (place.type === "delivery") return { type: "delivery" };
  const point = points.find((p) => p.id === place.servicePointId);
  return point ? { type: "pickup", id: point.id, name: point.name } : null;
}

/** This page's address without the one-time "saved" notice, for the chooser to come back to. */
export function returnPath(location: { pathname: string; search: string }): string {
  const params = new URLSearchParams(location.search);
  params.delete("placeSaved");
  const search = params.toString();
  return search ? `${location.pathname}?${search}` : location.pathname;
}
