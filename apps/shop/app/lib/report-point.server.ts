import { redirect } from "@remix-run/node";
import type { getApi } from "./context.server";

/**
 * Which service point an admin's report is narrowed to. A co-op has thousands of points, too many for a
 * list to choose from on a phone: the admin types part of a point's code, name or village (`point`) and the
 * first match opens (a redirect to the same report with its `pointId`); with no match the report stays
 * co-op wide and says so. An agent's reports are always their own point's (the API sees to it).
 */
export async function reportPointOf(
  request: Request,
  api: ReturnType<typeof getApi>,
  token: string,
  role: string,
): Promise<{ pointId: string | undefined; notFound: string | null }> {
  if (role !== "admin") return { pointId: undefined, notFound: null };
  const url = new URL(request.url);
  const typed = url.searchParams.get("point")?.trim() ?? "";
  if (typed) {
    const [first] = await api.searchPlaces(token, { q: typed.slice(0, 60), kind: "service_point" });
    url.searchParams.delete("point");
    if (first) {
      url.searchParams.set("pointId", first.id);
      throw redirect(`${url.pathname}?${url.searchParams}`);
    }
    return { pointId: undefined, notFound: typed };
  }
  return { pointId: url.searchParams.get("pointId") || undefined, notFound: null };
}
