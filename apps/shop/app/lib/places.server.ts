import type { LocalizedText } from "@coop/shared/contract";
import { createCookie } from "@remix-run/node";
import { env } from "../env.server";
import { type ApiClient, ApiError } from "./api.server";
import {
  catalogPlace,
  decodePlace,
  encodePlace,
  type PickupPoint,
  type Place,
  placeView,
  stillOffered,
} from "./place";

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

/** The open pickup points as the chooser shows them; none when the list cannot be had (never fails a page). */
async function openPoints(api: ApiClient): Promise<PickupPoint[]> {
  const points = await Promise.resolve()
    .then(() => api.listServicePoints())
    .catch(() => []);
  return points.map((p) => ({
    id: p.id,
    name: p.name,
    village: p.village,
    address: p.address,
    openingHours: p.openingHours,
  }));
}

/** The API refused the pickup point asked for (closed or unknown): count again without it. */
function refusedPoint(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status === 400 &&
    error.fields.some((field) => field.path === "servicePointId")
  );
}

/**
 * The open pickup points and the buyer's place among them, for a page that counts availability: a
 * remembered point that has closed counts as none chosen (the chooser asks again). The list is not what
 * the page is about: when it cannot be had, the page counts for delivery and offers no points.
 */
export async function buyerPlace(api: ApiClient, request: Request) {
  const [remembered, points] = await Promise.all([readPlace(request), openPoints(api)]);
  const place = stillOffered(remembered, points);
  return { place, points, view: placeView(place, points) };
}

/**
 * What a page counts (`load`), for the buyer's place, fetched side by side with the open points: the
 * remembered point is asked for at once, and only when it turns out closed (not among the open points, or
 * refused by the API) is the page counted again, for delivery. One round trip on the usual path.
 */
export async function countedForPlace<T>(
  api: ApiClient,
  request: Request,
  load: (servicePointId: string | undefined) => Promise<T>,
) {
  const remembered = await readPlace(request);
  const [points, first] = await Promise.all([
    openPoints(api),
    load(catalogPlace(remembered)).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
  ]);
  let place = stillOffered(remembered, points);
  if (!first.ok) {
    if (!refusedPoint(first.error)) throw first.error;
    place = null;
  }
  const value = first.ok && place === remembered ? first.value : await load(catalogPlace(place));
  return { value, place, points, view: placeView(place, points) };
}
