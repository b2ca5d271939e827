import type { Executor } from "@coop/db";
import { listOrders } from "../orders/order-views";

/**
 * A signed-in buyer's orders: every order whose contact phone is the session's phone, newest first (order
 * ids are time-ordered), whichever device placed it and whether it was placed before the sign-in. Keyset
 * paged by id on orders (contact_phone, id). No pickup code: it is derived from each order's access token,
 * which the database does not hold (decision 0017); the buyer has it in the order's text message.
 */
export function buyerOrders(db: Executor, input: { phone: string; cursor?: string; limit: number }) {
  return listOrders(db, { phone: input.phone, beforeId: input.cursor, limit: input.limit });
}
