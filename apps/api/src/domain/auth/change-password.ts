import { type Executor, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "@coop/db";
import { staffUsers } from "@coop/db/schema";
import { eq } from "drizzle-orm";
import { audit } from "../../lib/audit";
import type { StaffPrincipal } from "../../lib/context";
import { ApiError } from "../../lib/errors";
import { endOtherSessions } from "./sessions";

/**
 * A staff member chooses their own password (after an admin's reset, or whenever they like): the current one
 * must be right (a wrong one is CURRENT_PASSWORD_WRONG, counted by the caller like a failed login), the new
 * one follows the rules of creation and differs from the current one. It clears `must_change_password` and
 * ends every other session of the account (a phone left logged in somewhere, or whoever knew the temporary
 * password); this session stays. Neither password is written to the audit log.
 */
export async function changeOwnPassword(
  db: Executor,
  input: { staff: StaffPrincipal; currentPassword: string; newPassword: string; requestId?: string },
): Promise<{ sessionsEnded: number }> {
  const { staff } = input;
  if (input.newPassword.length < MIN_PASSWORD_LENGTH) {
    throw new ApiError("VALIDATION_FAILED", `newPassword: at least ${MIN_PASSWORD_LENGTH} characters`, {
      fields: [{ path: "newPassword", message: `at least ${MIN_PASSWORD_LENGTH} characters` }],
    });
  }
  const [row] = await db
    .select({ passwordHash: staffUsers.passwordHash })
    .from(staffUsers)
    .where(eq(staffUsers.id, staff.id))
    .limit(1);
  if (!row) throw new ApiError("UNAUTHENTICATED", "Please log in first.");
  if (!(await verifyPassword(row.passwordHash, input.currentPassword))) {
    throw new ApiError("CURRENT_PASSWORD_WRONG", "The current password is not right.", {
      fields: [{ path: "currentPassword", message: "not right" }],
    });
  }
  if (input.newPassword === input.currentPassword) {
    throw new ApiError("VALIDATION_FAILED", "newPassword: choose a password other than the current one", {
      fields: [{ path: "newPassword", message: "the same as the current password" }],
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ mustChangePassword: staffUsers.mustChangePassword })
      .from(staffUsers)
      .where(eq(staffUsers.id, staff.id))
      .for("update");
    await tx
      .update(staffUsers)
      .set({ passwordHash, mustChangePassword: false })
      .where(eq(staffUsers.id, staff.id));
    const sessionsEnded = await endOtherSessions(tx, staff.id, staff.sessionId);
    await audit(tx, {
      actorUserId: staff.id,
      action: "staff_user.password_change",
      entityType: "staff_user",
      entityId: staff.id,
      data: { afterReset: before?.mustChangePassword ?? false, sessionsEnded },
      requestId: input.requestId,
    });
    return { sessionsEnded };
  });
}
