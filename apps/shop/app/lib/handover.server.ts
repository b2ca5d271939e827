import type { ApiClient } from "./api.server";
import { HANDOVER_STATUSES, ordersWithCode } from "./orders";
import type { Order } from "./orders-api.server";

/** Pages of 100 read per status when looking for a code; a busy point has far fewer waiting orders. */
const MAX_PAGES = 5;

/** Every order in one status this staff member may see (an agent: their point's), up to MAX_PAGES pages. */
export async function ordersIn(api: ApiClient, token: string, status: Order["status"]): Promise<Order[]> {
  const out: Order[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await api.listOrders(token, { status, cursor, limit: 100 });
    out.push(...answer.items);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return out;
}

/**
 * The orders waiting at the agent's point whose pickup code is `code`. The API has no search by code
 * (GET /v1/orders takes status, point and phone), so the point's waiting orders are read and matched
 * here: ready-for-pickup first, then those whose goods may already be on the point's own shelf.
 */
export async function findByPickupCode(api: ApiClient, token: string, code: string): Promise<Order[]> {
  for (const status of HANDOVER_STATUSES) {
    const found = ordersWithCode(await ordersIn(api, token, status), code);
    if (found.length > 0) return found;
  }
  return [];
}
