import type { LocalizedText } from "@coop/shared/contract";
import type { ApiClient } from "./api.server";

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
