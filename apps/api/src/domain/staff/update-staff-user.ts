import { type Executor, hashPassword, MIN_PASSWORD_LENGTH } from "@coop/db";
import { locations, staffUsers } from "@coop/db/schema";
import type { StaffAccount, UpdateStaff } from "@coop/shared/contract";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { endUserSessions } from "../auth/sessions";

type Account = z.infer<typeof StaffAccount>;
type StaffRow = typeof staffUsers.$inferSelect;

export function projectAccount(row: StaffRow): Account {
  return {
    id: row.id,
    login: row.login,
    displayName: row.displayName,
    role: row.role,
    servicePointId: row.servicePointId,
    active: row.active,
    mustChangePassword: row.mustChangePassword,
  };
}

async function lockAccount(tx: Executor, coopId: string, id: string): Promise<StaffRow> {
  const [row] = await tx.select().from(staffUsers).where(eq(staffUsers.id, id)).for("update");
  if (row?.coopId !== coopId) throw new ApiError("NOT_FOUND", "There is no such staff account.");
  return row;
}

/**
 * The admin changes an account: its name; disables it (every session ends at once: its token answers 401
 * from the next request) or enables it; moves an agent to another service point (from the next request the
 * agent sees only the new point's villagers, lots and orders: the session's principal is read fresh each
 * time). An admin cannot disable their own account, so no co-op is left without a way in by a slip.
 */
export async function updateStaffUser(
  db: Executor,
  input: { coopId: string; actorUserId: string; requestId?: string; id: string; data: UpdateStaff },
): Promise<Account> {
  const { data } = input;
  return db.transaction(async (tx) => {
    const before = await lockAccount(tx, input.coopId, input.id);
    const changes: Partial<Pick<StaffRow, "displayName" | "active" | "servicePointId">> = {};
    if (data.displayName !== undefined && data.displayName !== before.displayName)
      changes.displayName = data.displayName;
    if (data.active !== undefined && data.active !== before.active) {
      if (!data.active && input.id === input.actorUserId) {
        throw new ApiError("INVALID_STATE", "You cannot disable your own account; ask another admin.", {
          fields: [{ path: "active", message: "your own account" }],
        });
      }
      changes.active = data.active;
    }
    if (data.servicePointCode !== undefined) {
      if (before.role !== "agent") {
        throw new ApiError("VALIDATION_FAILED", "Only a commerce agent works for a service point.", {
          fields: [{ path: "servicePointCode", message: "only agents have a service point" }],
        });
      }
      const [point] = await tx
        .select({ id: locations.id, kind: locations.kind })
        .from(locations)
        .where(eq(locations.code, data.servicePointCode))
        .limit(1);
      if (point?.kind !== "service_point") {
        throw new ApiError(
          "VALIDATION_FAILED",
          `There is no service point with code ${data.servicePointCode}.`,
          {
            fields: [{ path: "servicePointCode", message: "no such service point" }],
          },
        );
      }
      if (point.id !== before.servicePointId) changes.servicePointId = point.id;
    }
    if (Object.keys(changes).length === 0) return projectAccount(before);
    const [after] = await tx.update(staffUsers).set(changes).where(eq(staffUsers.id, input.id)).returning();
    const sessionsEnded = changes.active === false ? await endUserSessions(tx, input.id) : 0;
    await audit(tx, {
      actorUserId: input.actorUserId,
      action:
        changes.active === false
          ? "staff_user.disable"
          : changes.active === true
            ? "staff_user.enable"
            : changes.servicePointId
              ? "staff_user.move"
              : "staff_user.update",
      entityType: "staff_user",
      entityId: input.id,
      data: {
        before: Object.fromEntries(Object.keys(changes).map((k) => [k, before[k as keyof StaffRow]])),
        after: changes,
        sessionsEnded,
      },
      requestId: input.requestId,
    });
    return projectAccount(after!);
  });
}

/**
 * The admin gives the person a temporary password (told to them in person): the old one stops working and
 * every session of the account ends. The person can log in with it, but until they choose their own password
 * (POST /v1/auth/password) the API answers nothing else (403 PASSWORD_CHANGE_REQUIRED; decision 0034). The
 * password itself is never written to the audit log.
 */
export async function resetStaffPassword(
  db: Executor,
  input: { coopId: string; actorUserId: string; requestId?: string; id: string; password: string },
): Promise<Account> {
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new ApiError("VALIDATION_FAILED", `password: at least ${MIN_PASSWORD_LENGTH} characters`, {
      fields: [{ path: "password", message: `at least ${MIN_PASSWORD_LENGTH} characters` }],
    });
  }
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const before = await lockAccount(tx, input.coopId, input.id);
    // A password the admin knows is temporary: the person must choose their own before anything else.
    await tx
      .update(staffUsers)
      .set({ passwordHash, mustChangePassword: true })
      .where(eq(staffUsers.id, input.id));
    const sessionsEnded = await endUserSessions(tx, input.id);
    await audit(tx, {
      actorUserId: input.actorUserId,
      action: "staff_user.password_reset",
      entityType: "staff_user",
      entityId: input.id,
      data: { sessionsEnded },
      requestId: input.requestId,
    });
    return projectAccount({ ...before, mustChangePassword: true });
  });
}
