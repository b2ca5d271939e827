import type { LocalizedText } from "@coop/shared/contract";
import { createCookie } from "@remix-run/node";
import { env } from "../env.server";
import type { ApiClient } from "./api.server";
import { decodePlace, encodePlace, type PickupPoint, type Place, placeView, stillOffered } from "./place";

/**
 * Names of every place by id, for lists that only carry ids: all places (warehouse included) where the
 * API lets this user list them, else the public service points. Never fails a page: unknown ids show as they are.
 */
export async function placeNames(api: ApiClient, token: string): Promise<Record<string, LocalizedText>> {
  const names: Record<string, LocalizedText> = {};
  const locations = await api.listLocations(token).catch(() => null);
  if (locations) {
    for (const place of locations) names[place.id] = place.name;
    return names;
  }
  const points = await api.listServicePoints().catch(() => []);
  for (const point of points) names[point.id] = point.name;
  return names;
}

/** The buyer's remembered place (see lib/place.ts): a year long, readable by the server only. */
export const placeCookie = createCookie("coop_place", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  secure: env.NODE_ENV === "production",
  secrets: [env.SESSION_SECRET],
  maxAge: 60 * 60 * 24 * 365,
});

export async function readPlace(request: Request): Promise<Place | null> {
  return decodePlace(await placeCookie.parse(request.headers.get("Cookie")).catch(() => null));
}

export function savePlace(place: Place): Promise<string> {
  return placeCookie.serialize(encodePlace(place));
}

/**
 * The open pickup points and the buyer's place among them, for a page that counts availability: a
 * remembered point that has closed counts as none chosen (the chooser asks again). The list is not what
 * the page is about: when it cannot be had, the page counts for delivery and offers no points.
 */
export async function buyerPlace(api: ApiClient, request: Request) {
  const [remembered, points] = await Promise.all([
    readPlace(request),
    Promise.resolve()
      .then(() => api.listServicePoints())
      .catch(() => []),
  ]);
  const pickupPoints: PickupPoint[] = points.map((p) => ({
    id: p.id,
    name: p.name,
    village: p.village,
    address: p.address,
    openingHours: p.openingHours,
  }));
  const place = stillOffered(remembered, pickupPoints);
  return { place, points: pickupPoints, view: placeView(place, pickupPoints) };
}
