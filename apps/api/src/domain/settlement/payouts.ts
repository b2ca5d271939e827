import type { Executor } from "@coop/db";
import { consignors, payouts, staffUsers } from "@coop/db/schema";
import { newId } from "@coop/shared";
import { eq } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { queuePayoutSms } from "../notifications/villager-sms";
import { requestRating } from "../ratings/request-rating";
import { postConsignorEntry } from "./consignor-ledger";

/**
 * Pays a villager out of their balance, in cash at their service point (they sign the printed receipt) or by
 * transfer. Never more than the balance: the balance check and the debit are one conditional UPDATE.
 */
export async function createPayout(
  db: Executor,
  input: {
    consignor: { id: string; servicePointId: string };
    amountFen: number;
    method: "cash" | "transfer";
    note?: string | undefined;
    actorUserId: string;
    requestId?: string;
  },
) {
  return db.transaction(async (tx) => {
    const id = newId("payout");
    // The payout row is written first with a placeholder so the ledger line can reference it.
    await tx.insert(payouts).values({
      id,
      consignorId: input.consignor.id,
      servicePointId: input.consignor.servicePointId,
      amountFen: input.amountFen,
      method: input.method,
      balanceAfterFen: 0,
      paidByUserId: input.actorUserId,
      note: input.note ?? null,
    });
    const { balanceAfterFen } = await postConsignorEntry(
      tx,
      {
        consignorId: input.consignor.id,
        kind: "payout",
        amountFen: -input.amountFen,
        payoutId: id,
        note: input.note ?? (input.method === "cash" ? "现金结算 / cash" : "转账 / transfer"),
        actorUserId: input.actorUserId,
      },
      { requireBalance: true },
    );
    await tx.update(payouts).set({ balanceAfterFen }).where(eq(payouts.id, id));
    const [villager] = await tx
      .select({ phone: consignors.phone, coopId: consignors.coopId })
      .from(consignors)
      .where(eq(consignors.id, input.consignor.id));
    await queuePayoutSms(tx, {
      phone: villager!.phone,
      payoutId: id,
      amountFen: input.amountFen,
      method: input.method,
      balanceAfterFen,
    });
    // The villager rates the payout from their own phone, never on the agent's (decision 0046).
    await requestRating(tx, {
      kind: "payout",
      subjectId: id,
      coopId: villager!.coopId,
      servicePointId: input.consignor.servicePointId,
      phone: villager!.phone,
    });
    await audit(tx, {
      actorUserId: input.actorUserId,
      requestId: input.requestId,
      action: "payout.create",
      entityType: "payout",
      entityId: id,
      data: { consignorId: input.consignor.id, amountFen: input.amountFen, method: input.method },
    });
    return id;
  });
}

export async function getPayout(db: Executor, id: string) {
  const [row] = await db
    .select({
      payout: payouts,
      consignorName: consignors.name,
      consignorPhone: consignors.phone,
      paidByName: staffUsers.displayName,
    })
    .from(payouts)
    .innerJoin(consignors, eq(consignors.id, payouts.consignorId))
    .innerJoin(staffUsers, eq(staffUsers.id, payouts.paidByUserId))
    .where(eq(payouts.id, id));
  if (!row) throw new ApiError("NOT_FOUND", "There is no such payout.");
  const p = row.payout;
  return {
    id: p.id,
    consignorId: p.consignorId,
    consignorName: row.consignorName,
    consignorPhone: row.consignorPhone,
    servicePointId: p.servicePointId,
    amountFen: p.amountFen,
    method: p.method,
    balanceAfterFen: p.balanceAfterFen,
    paidByName: row.paidByName,
    note: p.note,
    createdAt: p.createdAt.toISOString(),
  };
}
