import type { Executor } from "@coop/db";
import { notifications } from "@coop/db/schema";
import { newId } from "@coop/shared";

export type NotificationTemplate =
  | "order_placed"
  | "order_paid"
  | "order_ready_for_pickup"
  | "order_shipped"
  | "order_picked_up"
  | "order_cancelled"
  | "order_refunded"
  /** Part of a paid order did not arrive and its money went back; data.amountFen says how much. */
  | "order_part_refunded"
  | "pickup_verification"
  | "villager_sale"
  /** A food-safety recall: the order was cancelled or refunded, or (already collected) do not eat it. */
  | "lot_recall";

/** Queues an SMS in the outbox, in the caller's transaction: it is sent only if the change commits. */
export async function queueSms(
  tx: Executor,
  input: { to: string; template: NotificationTemplate; data: Record<string, unknown>; orderId?: string },
) {
  await tx.insert(notifications).values({
    id: newId("notification"),
    channel: "sms",
    recipient: input.to,
    template: input.template,
    data: input.data,
    orderId: input.orderId ?? null,
  });
}
