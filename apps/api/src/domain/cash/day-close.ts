import type { Executor } from "@coop/db";
import { cashHandIns, consignors, orders, payments, payouts, staffUsers } from "@coop/db/schema";
import { chinaDayRange } from "@coop/shared";
import type { CashDay, CashHandIn } from "@coop/shared/contract";
import { and, asc, eq, gte, lt } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { ApiError } from "../../lib/errors";

const confirmer = alias(staffUsers, "confirmer");

/** The hand-ins of one agent, optionally of one day, projected for the API. */
export async function listHandIns(
  db: Executor,
  where: { agentId?: string; day?: string; id?: string; unconfirmed?: boolean },
): Promise<CashHandIn[]> {
  const rows = await db
    .select({ h: cashHandIns, agentName: staffUsers.displayName, confirmerName: confirmer.displayName })
    .from(cashHandIns)
    .innerJoin(staffUsers, eq(staffUsers.id, cashHandIns.agentUserId))
    .leftJoin(confirmer, eq(confirmer.id, cashHandIns.confirmedByUserId))
    .where(
      and(
        where.agentId ? eq(cashHandIns.agentUserId, where.agentId) : undefined,
        where.day ? eq(cashHandIns.chinaDay, where.day) : undefined,
        where.id ? eq(cashHandIns.id, where.id) : undefined,
      ),
    )
    .orderBy(asc(cashHandIns.submittedAt), asc(cashHandIns.id));
  return rows
    .filter((r) => !where.unconfirmed || r.h.confirmedAt === null)
    .map(({ h, agentName, confirmerName }) => ({
      id: h.id,
      agentId: h.agentUserId,
      agentName,
      servicePointId: h.servicePointId,
      day: h.chinaDay,
      expectedFen: h.expectedFen,
      countedFen: h.countedFen,
      differenceFen: h.differenceFen,
      reason: h.reason,
      submittedAt: h.submittedAt.toISOString(),
      confirmed:
        h.confirmedAt && h.confirmedCountedFen !== null
          ? {
              byName: confirmerName ?? "",
              at: h.confirmedAt.toISOString(),
              countedFen: h.confirmedCountedFen,
              note: h.confirmNote,
            }
          : null,
    }));
}

/**
 * One agent's cash for one China day, summed from the rows themselves — the cash payments they took at
 * hand-overs and the cash payouts they made — never from a stored running total, so it cannot drift.
 */
export async function cashDay(db: Executor, agentId: string, day: string): Promise<CashDay> {
  const [agent] = await db
    .select({ id: staffUsers.id, name: staffUsers.displayName, servicePointId: staffUsers.servicePointId })
    .from(staffUsers)
    .where(eq(staffUsers.id, agentId));
  if (!agent) throw new ApiError("NOT_FOUND", "There is no such staff member.");
  const { start, end } = chinaDayRange(day);
  const takings = await db
    .select({
      paymentId: payments.id,
      orderId: payments.orderId,
      contactName: orders.contactName,
      amountFen: payments.amountFen,
      at: payments.createdAt,
    })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(
      and(
        eq(payments.receivedByUserId, agentId),
        eq(payments.provider, "cash"),
        gte(payments.createdAt, start),
        lt(payments.createdAt, end),
      ),
    )
    .orderBy(asc(payments.createdAt), asc(payments.id));
  const paidOut = await db
    .select({
      payoutId: payouts.id,
      consignorName: consignors.name,
      amountFen: payouts.amountFen,
      at: payouts.createdAt,
    })
    .from(payouts)
    .innerJoin(consignors, eq(consignors.id, payouts.consignorId))
    .where(
      and(
        eq(payouts.paidByUserId, agentId),
        eq(payouts.method, "cash"),
        gte(payouts.createdAt, start),
        lt(payouts.createdAt, end),
      ),
    )
    .orderBy(asc(payouts.createdAt), asc(payouts.id));
  const handIns = await listHandIns(db, { agentId, day });
  const takenFen = sum(takings.map((t) => t.amountFen));
  const paidOutFen = sum(paidOut.map((p) => p.amountFen));
  const handedInFen = sum(handIns.map((h) => h.expectedFen));
  return {
    agentId,
    agentName: agent.name,
    servicePointId: agent.servicePointId,
    day,
    takenFen,
    paidOutFen,
    netFen: takenFen - paidOutFen,
    handedInFen,
    toHandInFen: takenFen - paidOutFen - handedInFen,
    takings: takings.map((t) => ({ ...t, at: t.at.toISOString() })),
    payouts: paidOut.map((p) => ({ ...p, at: p.at.toISOString() })),
    handIns,
  };
}

function sum(values: number[]): number {
  let total = 0;
  for (const v of values) {
    total += v;
    if (!Number.isSafeInteger(total)) throw new RangeError("cash total out of range");
  }
  return total;
}
