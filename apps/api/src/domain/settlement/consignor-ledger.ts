import type { Executor } from "@coop/db";
import { type ConsignorEntryKind, consignorEntries, consignors } from "@coop/db/schema";
import { newId } from "@coop/shared";
import { and, eq, gte, sql } from "drizzle-orm";
import { ApiError } from "../../lib/errors";

export interface EntryInput {
  consignorId: string;
  kind: ConsignorEntryKind;
  amountFen: number;
  grossFen?: number | null;
  commissionFen?: number | null;
  quantity?: number | null;
  lotId?: string | null;
  orderId?: string | null;
  orderLineId?: string | null;
  payoutId?: string | null;
  note?: string | null;
  actorUserId?: string | null;
}

/**
 * Writes one line of a villager's money ledger and moves their running balance by the same amount, in the
 * caller's transaction. With `requireBalance`, a debit that would take the balance below zero is refused
 * (one conditional UPDATE, so two payouts at once cannot both pass).
 */
export async function postConsignorEntry(
  tx: Executor,
  entry: EntryInput,
  options: { requireBalance?: boolean } = {},
): Promise<{ id: string; balanceAfterFen: number }> {
  const updated = await tx
    .update(consignors)
    .set({ balanceFen: sql`${consignors.balanceFen} + ${entry.amountFen}` })
    .where(
      and(
        eq(consignors.id, entry.consignorId),
        options.requireBalance ? gte(sql`${consignors.balanceFen} + ${entry.amountFen}`, 0) : undefined,
      ),
    )
    .returning({ balanceFen: consignors.balanceFen });
  if (updated.length === 0) {
    throw new ApiError("INSUFFICIENT_BALANCE", "This is more than the villager's balance.");
  }
  const id = newId("consignorEntry");
  await tx.insert(consignorEntries).values({
    id,
    consignorId: entry.consignorId,
    kind: entry.kind,
    amountFen: entry.amountFen,
    grossFen: entry.grossFen ?? null,
    commissionFen: entry.commissionFen ?? null,
    quantity: entry.quantity ?? null,
    lotId: entry.lotId ?? null,
    orderId: entry.orderId ?? null,
    orderLineId: entry.orderLineId ?? null,
    payoutId: entry.payoutId ?? null,
    note: entry.note ?? null,
    actorUserId: entry.actorUserId ?? null,
  });
  return { id, balanceAfterFen: Number(updated[0]!.balanceFen) };
}
