import type { Executor } from "@coop/db";
import { type StaffRole, staffUsers } from "@coop/db/schema";
import { and, asc, eq, ilike, or, type SQL } from "drizzle-orm";
import { containsPattern } from "../../lib/like";
import { projectAccount } from "./update-staff-user";

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
  const rows = await db
    .select()
    .from(staffUsers)
    .where(and(...conditions))
    .orderBy(asc(staffUsers.role), asc(staffUsers.login));
  return rows.map(projectAccount);
}
