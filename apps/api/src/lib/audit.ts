import type { Executor } from "@coop/db";
import { auditLog } from "@coop/db/schema";
import { newId } from "@coop/shared";

/** One line in the append-only audit log for a staff action that changed data. */
export async function audit(
  db: Executor,
  entry: {
    actorUserId: string | null;
    action: string;
    entityType: string;
    entityId: string;
    data?: unknown;
    requestId?: string;
  },
) {
  await db.insert(auditLog).values({
    id: newId("audit"),
    actorUserId: entry.actorUserId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    data: entry.data ?? null,
    requestId: entry.requestId ?? null,
  });
}
