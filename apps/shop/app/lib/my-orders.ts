/**
 * The orders a buyer placed on this phone: each order's id and its access token (the buyer's key to it at
 * the API). Kept in an httpOnly cookie (my-orders.server.ts), newest first, so the buyer can come back to
 * an order without an account.
 */
export interface RememberedOrder {
  id: string;
  token: string;
}

/** How many orders one phone remembers (about 110 bytes of cookie each). */
export const MAX_REMEMBERED_ORDERS = 20;

const ORDER_ID = /^[A-Za-z0-9_]{1,64}$/;
const ACCESS_TOKEN = /^oat_[A-Za-z0-9_-]{20,200}$/;

/** The list from a cookie's value; anything that is not an order id with a buyer token is dropped. */
export function decodeRememberedOrders(value: unknown): RememberedOrder[] {
  if (!Array.isArray(value)) return [];
  const out: RememberedOrder[] = [];
  for (const entry of value) {
    if (!Array.isArray(entry) || entry.length !== 2) continue;
    const [id, token] = entry as [unknown, unknown];
    if (typeof id !== "string" || !ORDER_ID.test(id) || typeof token !== "string") continue;
    if (!ACCESS_TOKEN.test(token) || out.some((order) => order.id === id)) continue;
    out.push({ id, token });
    if (out.length === MAX_REMEMBERED_ORDERS) break;
  }
  return out;
}

export function encodeRememberedOrders(orders: readonly RememberedOrder[]): Array<[string, string]> {
  return orders.map((order) => [order.id, order.token]);
}

/** Puts an order first (once), dropping the oldest beyond the limit. */
export function rememberOrder(orders: readonly RememberedOrder[], order: RememberedOrder): RememberedOrder[] {
  return [order, ...orders.filter((known) => known.id !== order.id)].slice(0, MAX_REMEMBERED_ORDERS);
}

export function forgetOrders(orders: readonly RememberedOrder[], ids: readonly string[]): RememberedOrder[] {
  return orders.filter((order) => !ids.includes(order.id));
}

export function tokenFor(orders: readonly RememberedOrder[], id: string): string | null {
  return orders.find((order) => order.id === id)?.token ?? null;
}
