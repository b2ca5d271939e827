import type { Executor } from "@coop/db";
import { type StaffRole, staffUsers } from "@coop/db/schema";
import { and, asc, eq, ilike, or, type SQL } from "drizzle-orm";
import { containsPattern } from "../../lib/like";

/** The columns an account is answered with: never its password hash. */
const accountColumns = {
  id: staffUsers.id,
  login: staffUsers.login,
  displayName: staffUsers.displayName,
  role: staffUsers.role,
  servicePointId: staffUsers.servicePointId,
  active: staffUsers.active,
};

/**
 * The admin's staff list, filtered by part of the login or name, role and state. Staff accounts number in
 * the thousands at most (one or two per service point), so the list is read whole, in role and login order.
 */
export async function listStaff(
  db: Executor,
  filter: {
    coopId: string;
    q?: string | undefined;
    role?: StaffRole | undefined;
    active?: boolean | undefined;
  },
) {
  const conditions: SQL[] = [eq(staffUsers.coopId, filter.coopId)];
  if (filter.role) conditions.push(eq(staffUsers.role, filter.role));
  if (filter.active !== undefined) conditions.push(eq(staffUsers.active, filter.active));
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    conditions.push(or(ilike(staffUsers.login, pattern), ilike(staffUsers.displayName, pattern))!);
  }
  return db
    .select(accountColumns)
    .from(staffUsers)
    .where(and(...conditions))
    .orderBy(asc(staffUsers.role), asc(staffUsers.login));
}

/** One account of the caller's co-op, or undefined. */
export async function findStaff(db: Executor, input: { coopId: string; id: string }) {
  const [row] = await db
    .select(accountColumns)
    .from(staffUsers)
    .where(and(eq(staffUsers.id, input.id), eq(staffUsers.coopId, input.coopId)));
  return row;
}
