import type { Executor } from "@coop/db";
import { notifications } from "@coop/db/schema";
import { and, eq, isNull, sql } from "drizzle-orm";
import { queueSms } from "./queue-sms";

/**
 * The villager's own receipts (issue 9): an SMS at intake (taken in, or refused and handed back), at each sale
 * and at each payout, queued in the transaction of the change itself so none is sent for a change that rolled
 * back and none is missing for one that committed.
 */

/** At intake: lot_received with the signed link to the lot's public page, or lot_rejected. */
export async function queueIntakeSms(
  tx: Executor,
  input: {
    lot: { id: string; lotNo: string; quantity: number; qcPassed: boolean; qcReason: string | null };
    consignor: { phone: string };
    product: { nameZh: string; unit: string };
  },
) {
  const { lot, product } = input;
  const facts = {
    lotId: lot.id,
    lotNo: lot.lotNo,
    productName: product.nameZh,
    quantity: lot.quantity,
    unit: product.unit,
  };
  await queueSms(tx, {
    to: input.consignor.phone,
    template: lot.qcPassed ? "lot_received" : "lot_rejected",
    data: lot.qcPassed ? facts : { ...facts, reason: lot.qcReason },
  });
}

/** At a payout: how much was paid, how, and the balance left. */
export async function queuePayoutSms(
  tx: Executor,
  input: { phone: string; payoutId: string; amountFen: number; method: string; balanceAfterFen: number },
) {
  await queueSms(tx, {
    to: input.phone,
    template: "payout_made",
    data: {
      payoutId: input.payoutId,
      amountFen: input.amountFen,
      method: input.method,
      balanceAfterFen: input.balanceAfterFen,
    },
  });
}

export interface SoldItem {
  lotId: string;
  productId: string;
  productName: string;
  unit: string;
  quantity: number;
  earnedFen: number;
}

interface LotSoldData {
  orderId: string | null;
  consignorId: string;
  items: SoldItem[];
  earnedFen: number;
}

/**
 * At a sale: ONE lot_sold message per order and villager, however many lots and lines of theirs the order
 * drew from. A later part of the same order joins the message while it still waits in the outbox, untouched
 * by any sender (not claimed, never attempted); once a sender has it, a new message is queued instead.
 */
export async function queueSaleSms(
  tx: Executor,
  input: { phone: string; consignorId: string; orderId: string | null; item: SoldItem },
) {
  const { item } = input;
  if (input.orderId) {
    // FOR UPDATE waits for a claim running right now and then re-reads the row, so a message being claimed
    // is never changed under its sender.
    const [waiting] = await tx
      .select({ id: notifications.id, data: notifications.data })
      .from(notifications)
      .where(
        and(
          eq(notifications.template, "lot_sold"),
          eq(notifications.orderId, input.orderId),
          eq(notifications.recipient, input.phone),
          eq(notifications.status, "pending"),
          isNull(notifications.claimedUntil),
          isNull(notifications.sendAttemptedAt),
          sql`${notifications.data}->>'consignorId' = ${input.consignorId}`,
        ),
      )
      .limit(1)
      .for("update");
    if (waiting) {
      const data = waiting.data as LotSoldData;
      const same = data.items.find((i) => i.productId === item.productId);
      const items = same
        ? data.items.map((i) =>
            i === same
              ? { ...i, quantity: i.quantity + item.quantity, earnedFen: i.earnedFen + item.earnedFen }
              : i,
          )
        : [...data.items, item];
      const merged: LotSoldData = { ...data, items, earnedFen: data.earnedFen + item.earnedFen };
      await tx.update(notifications).set({ data: merged }).where(eq(notifications.id, waiting.id));
      return;
    }
  }
  const data: LotSoldData = {
    orderId: input.orderId,
    consignorId: input.consignorId,
    items: [item],
    earnedFen: item.earnedFen,
  };
  await queueSms(tx, {
    to: input.phone,
    template: "lot_sold",
    data: data as unknown as Record<string, unknown>,
    ...(input.orderId ? { orderId: input.orderId } : {}),
  });
}
