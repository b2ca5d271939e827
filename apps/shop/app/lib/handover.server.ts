import type { ApiClient } from "./api.server";
import type { Order } from "./orders-api.server";

/** Pages of 100 shown in the "waiting here" list; finding by code asks the API (POST /v1/pickups/lookup). */
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
