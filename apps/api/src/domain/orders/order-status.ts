import type { Executor } from "@coop/db";
import { type OrderStatus, orderStatusHistory, orders } from "@coop/db/schema";
import { newId } from "@coop/shared";
import { and, eq, inArray } from "drizzle-orm";
import { ApiError } from "../../lib/errors";

/**
 * Moves an order from one of the `from` states to `to`, with a history line, in the caller's transaction.
 * The state check is part of the UPDATE, so two concurrent transitions cannot both succeed.
 */
export async function transition(
  tx: Executor,
  orderId: string,
  from: OrderStatus[],
  to: OrderStatus,
  info: { actorUserId?: string | null | undefined; note?: string | null } = {},
): Promise<OrderStatus> {
  const [current] = await tx.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
  if (!current) throw new ApiError("NOT_FOUND", "There is no such order.");
  const updated = await tx
    .update(orders)
    .set({ status: to })
    .where(and(eq(orders.id, orderId), inArray(orders.status, from)))
    .returning({ id: orders.id });
  if (updated.length === 0) {
    throw new ApiError("INVALID_STATE", `The order is ${current.status}; it cannot become ${to} now.`, {
      details: { status: current.status },
    });
  }
  await tx.insert(orderStatusHistory).values({
    id: newId("orderStatusChange"),
    orderId,
    fromStatus: current.status,
    toStatus: to,
    actorUserId: info.actorUserId ?? null,
    note: info.note ?? null,
  });
  return current.status;
}

export async function recordInitialStatus(
  tx: Executor,
  orderId: string,
  status: OrderStatus,
  info: { actorUserId?: string | null | undefined; note?: string | null } = {},
) {
  await tx.insert(orderStatusHistory).values({
    id: newId("orderStatusChange"),
    orderId,
    fromStatus: null,
    toStatus: status,
    actorUserId: info.actorUserId ?? null,
    note: info.note ?? null,
  });
}
