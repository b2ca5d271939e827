import type { Database } from "@coop/db";
import { serviceCommitments } from "@coop/db/schema";
import { COMMITMENT_KINDS, type CommitmentKind } from "@coop/shared";
import type { CommitmentSettings } from "@coop/shared/contract";
import { sql } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { commitmentDays } from "./commitments-report";

export async function commitmentSettings(db: Database, coopId: string): Promise<CommitmentSettings> {
  const days = await commitmentDays(db, coopId);
  return { items: COMMITMENT_KINDS.map((kind) => ({ kind, ...days[kind] })) };
}

/**
 * The admin sets how many working days a kind of work may take. The same value again changes nothing
 * (safe to retry); every change is audited with the value before it.
 */
export async function setCommitment(
  db: Database,
  input: {
    coopId: string;
    kind: CommitmentKind;
    workingDays: number;
    actorUserId: string;
    requestId: string;
  },
): Promise<CommitmentSettings> {
  await db.transaction(async (tx) => {
    const before = (await commitmentDays(tx, input.coopId))[input.kind];
    if (!before.isDefault && before.workingDays === input.workingDays) return;
    await tx
      .insert(serviceCommitments)
      .values({
        coopId: input.coopId,
        kind: input.kind,
        workingDays: input.workingDays,
        updatedByUserId: input.actorUserId,
      })
      .onConflictDoUpdate({
        target: [serviceCommitments.coopId, serviceCommitments.kind],
        set: { workingDays: input.workingDays, updatedByUserId: input.actorUserId, updatedAt: sql`now()` },
      });
    await audit(tx, {
      actorUserId: input.actorUserId,
      action: "commitment.set",
      entityType: "service_commitment",
      entityId: input.kind,
      data: { from: before.workingDays, to: input.workingDays },
      requestId: input.requestId,
    });
  });
  return commitmentSettings(db, input.coopId);
}
