import type { LoaderFunctionArgs } from "@remix-run/node";
import { ApiError, ApiUnavailableError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import type { CachedProduct, CachedVillager } from "../lib/offline/db";
import { requireRole } from "../lib/staff.server";

/**
 * What the agent's phone keeps for intake with no network (docs/decisions/0022): the produce on sale (with
 * whether it is perishable, for the best-before date) and the point's villagers. `?q=` searches villagers
 * online instead; the phone keeps what it finds. JSON only: 401 when the login is gone, 503 when the API is.
 */

const json = (body: unknown, status = 200) =>
  Response.json(body, { status, headers: { "Cache-Control": "private, no-store" } });

/** Safety stop for the paged reads below (200 villagers a page: 10,000 villagers at one point). */
const MAX_PAGES = 50;

export async function loader({ request, context }: LoaderFunctionArgs) {
  let staff: Awaited<ReturnType<typeof requireRole>>;
  try {
    staff = await requireRole(request, context, ["agent"]);
  } catch (thrown) {
    if (thrown instanceof Response && thrown.status >= 300 && thrown.status < 400) return json({}, 401);
    throw thrown;
  }
  const { user, token } = staff;
  const servicePointId = user.servicePointId;
  if (!servicePointId) return json({}, 403);
  const api = getApi(context, request);
  const q = new URL(request.url).searchParams.get("q")?.trim().slice(0, 40) ?? "";

  try {
    if (q) {
      const found = await api.searchConsignors(token, { q, servicePointId });
      return json({ villagers: found.items.map(toCachedVillager) });
    }
    const [products, villagers] = await Promise.all([
      produceOnSale(api),
      pointVillagers(api, token, servicePointId),
    ]);
    return json({ servicePointId, products, villagers, refreshedAt: new Date().toISOString() });
  } catch (error) {
    if (error instanceof ApiUnavailableError) return json({}, 503);
    if (error instanceof ApiError && error.status === 401) return json({}, 401);
    throw error;
  }
}

type Api = ReturnType<typeof getApi>;

async function produceOnSale(api: Api): Promise<CachedProduct[]> {
  const page = await api.listProducts({ kind: "produce", limit: 100 });
  // The catalog list does not say what is perishable; the detail does (a best-before date is then required).
  const details = await Promise.all(page.items.map((item) => api.getProduct(item.id)));
  return page.items.map((item, i) => ({
    id: item.id,
    name: item.name,
    unit: item.unit,
    priceFen: item.priceFen,
    perishable: details[i]?.perishable ?? false,
  }));
}

/** Every villager registered at the point, so any of them can be found with no network. */
async function pointVillagers(api: Api, token: string, servicePointId: string): Promise<CachedVillager[]> {
  const villagers: CachedVillager[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const roster = await api.consignorRoster(token, { servicePointId, ...(cursor ? { cursor } : {}) });
    villagers.push(...roster.items.map(toCachedVillager));
    if (!roster.nextCursor) break;
    cursor = roster.nextCursor;
  }
  return villagers;
}

function toCachedVillager(consignor: {
  id: string;
  name: string;
  phone: string;
  village: string | null;
  servicePointId: string;
}): CachedVillager {
  return {
    id: consignor.id,
    name: consignor.name,
    phone: consignor.phone,
    village: consignor.village,
    servicePointId: consignor.servicePointId,
  };
}
