import type { Executor } from "@coop/db";
import { cashHandIns, staffUsers } from "@coop/db/schema";
import { chinaDate, newId } from "@coop/shared";
import { eq } from "drizzle-orm";
import { audit } from "../../lib/audit";
import type { StaffPrincipal } from "../../lib/context";
import { ApiError } from "../../lib/errors";
import { cashDay, listHandIns } from "./day-close";

/**
 * The agent hands in a day's cash. What is expected is computed here, inside the transaction, from the rows
 * (and kept on the hand-in); a difference needs a reason. Hand-ins of one agent queue on their staff row, so
 * two submissions at once cannot both claim the same cash. A later hand-in of the same day covers only what
 * came in after the earlier ones.
 */
export async function submitHandIn(
  db: Executor,
  input: {
    staff: StaffPrincipal;
    day: string;
    countedFen: number;
    expectedFen?: number | undefined;
    reason?: string | undefined;
    now?: Date;
    requestId?: string | undefined;
  },
) {
  const { staff } = input;
  if (!staff.servicePointId)
    throw new ApiError("FORBIDDEN", "Only an agent of a service point hands in cash.");
  if (input.day > chinaDate(input.now ?? new Date())) {
    throw new ApiError("VALIDATION_FAILED", "That day has not come yet.", {
      fields: [{ path: "day", message: "not after today (China time)" }],
    });
  }
  return db.transaction(async (tx) => {
    await tx.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.id, staff.id)).for("update");
    const close = await cashDay(tx, staff.id, input.day);
    const expectedFen = close.toHandInFen;
    if (input.expectedFen !== undefined && input.expectedFen !== expectedFen) {
      throw new ApiError("CONFLICT", "The cash of the day changed since the screen was opened. Look again.", {
        details: { expectedFen },
      });
    }
    if (expectedFen === 0 && close.handIns.length > 0) {
      throw new ApiError("INVALID_STATE", "This day's cash is already handed in.");
    }
    const differenceFen = input.countedFen - expectedFen;
    const reason = input.reason?.trim() || null;
    if (differenceFen !== 0 && !reason) {
      throw new ApiError("VALIDATION_FAILED", "The counted cash differs from what is expected: say why.", {
        fields: [{ path: "reason", message: "required when the amounts differ" }],
      });
    }
    const id = newId("cashHandIn");
    await tx.insert(cashHandIns).values({
      id,
      agentUserId: staff.id,
      servicePointId: staff.servicePointId!,
      chinaDay: input.day,
      expectedFen,
      countedFen: input.countedFen,
      differenceFen,
      reason,
      ...(input.now ? { submittedAt: input.now } : {}),
    });
    await audit(tx, {
      actorUserId: staff.id,
      requestId: input.requestId,
      action: "cash.handin.submit",
      entityType: "cash_handin",
      entityId: id,
      data: { day: input.day, expectedFen, countedFen: input.countedFen, differenceFen, reason },
    });
    return (await listHandIns(tx, { id }))[0]!;
  });
}

/** An admin confirms a hand-in with the amount they counted; a recount that differs needs a note. */
export async function confirmHandIn(
  db: Executor,
  input: {
    id: string;
    staff: StaffPrincipal;
    countedFen: number;
    note?: string | undefined;
    requestId?: string | undefined;
  },
) {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(cashHandIns).where(eq(cashHandIns.id, input.id)).for("update");
    if (!row) throw new ApiError("NOT_FOUND", "There is no such hand-in.");
    if (row.confirmedAt) throw new ApiError("INVALID_STATE", "This hand-in is already confirmed.");
    const note = input.note?.trim() || null;
    if (input.countedFen !== row.countedFen && !note) {
      throw new ApiError("VALIDATION_FAILED", "Your count differs from the agent's: say why.", {
        fields: [{ path: "note", message: "required when the counts differ" }],
      });
    }
    await tx
      .update(cashHandIns)
      .set({
        confirmedByUserId: input.staff.id,
        confirmedAt: new Date(),
        confirmedCountedFen: input.countedFen,
        confirmNote: note,
      })
      .where(eq(cashHandIns.id, row.id));
    await audit(tx, {
      actorUserId: input.staff.id,
      requestId: input.requestId,
      action: "cash.handin.confirm",
      entityType: "cash_handin",
      entityId: row.id,
      data: { agentCountedFen: row.countedFen, countedFen: input.countedFen, note },
    });
    return (await listHandIns(tx, { id: row.id }))[0]!;
  });
}
