import type { Executor } from "@coop/db";
import { sessions, staffUsers } from "@coop/db/schema";
import { newId } from "@coop/shared";
import { and, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { StaffPrincipal } from "../../lib/context";
import { prepared } from "../../lib/prepared";
import { hashToken, newToken } from "./tokens";

export async function createSession(
  db: Executor,
  input: { userId: string; ttlHours: number; userAgent?: string | undefined; ip?: string | undefined },
) {
  const token = newToken();
  const expiresAt = new Date(Date.now() + input.ttlHours * 3_600_000);
  await db.insert(sessions).values({
    id: newId("session"),
    userId: input.userId,
    tokenHash: hashToken(token),
    expiresAt,
    userAgent: input.userAgent?.slice(0, 300),
    ip: input.ip,
  });
  return { token, expiresAt };
}

/** The staff member behind a bearer token, or null if the token is unknown, expired, revoked or disabled. */
/** Every staff request runs this, so it is a prepared statement (lib/prepared.ts). */
export async function findSessionPrincipal(db: Executor, token: string): Promise<StaffPrincipal | null> {
  const query = prepared(db, "session_principal", () =>
    db
      .select({
        sessionId: sessions.id,
        id: staffUsers.id,
        coopId: staffUsers.coopId,
        login: staffUsers.login,
        displayName: staffUsers.displayName,
        role: staffUsers.role,
        servicePointId: staffUsers.servicePointId,
        mustChangePassword: staffUsers.mustChangePassword,
      })
      .from(sessions)
      .innerJoin(staffUsers, eq(staffUsers.id, sessions.userId))
      .where(
        and(
          eq(sessions.tokenHash, sql.placeholder("tokenHash")),
          gt(sessions.expiresAt, sql`now()`),
          isNull(sessions.revokedAt),
          eq(staffUsers.active, true),
        ),
      )
      .limit(1)
      .prepare("session_principal"),
  );
  const [row] = await query.execute({ tokenHash: hashToken(token) });
  return row ?? null;
}

export async function revokeSession(db: Executor, sessionId: string) {
  await db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, sessionId));
}

/** Ends every open session of one account but `keepSessionId` (the one that changed the password). */
export async function endOtherSessions(db: Executor, userId: string, keepSessionId: string): Promise<number> {
  const ended = await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(sessions.userId, userId),
        ne(sessions.id, keepSessionId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now()`),
      ),
    )
    .returning({ id: sessions.id });
  return ended.length;
}

/**
 * Ends every open session of one account (disabled, or given a new password): its tokens answer 401 from
 * the next request on. The principal lookup also refuses a disabled account, so this holds even for a
 * session opened a moment earlier; revoking keeps the sessions table telling the truth.
 */
export async function endUserSessions(db: Executor, userId: string): Promise<number> {
  const ended = await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
    .returning({ id: sessions.id });
  return ended.length;
}
