import { type Executor, hashPassword, verifyPassword } from "@coop/db";
import { staffUsers } from "@coop/db/schema";
import { eq } from "drizzle-orm";
import { ApiError } from "../../lib/errors";
import { createSession } from "./sessions";

// A real hash of a random password, verified when the login is unknown so that an unknown login takes as
// long as a wrong password (no user enumeration by timing).
let decoyHash: Promise<string> | undefined;

export async function login(
  db: Executor,
  input: {
    login: string;
    password: string;
    ttlHours: number;
    userAgent?: string | undefined;
    ip?: string | undefined;
  },
) {
  const [user] = await db
    .select()
    .from(staffUsers)
    .where(eq(staffUsers.login, input.login.trim().toLowerCase()))
    .limit(1);
  decoyHash ??= hashPassword(crypto.randomUUID());
  const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash), input.password);
  if (!user || !ok || !user.active) {
    throw new ApiError("INVALID_CREDENTIALS", "The login name or password is wrong.");
  }
  const session = await createSession(db, {
    userId: user.id,
    ttlHours: input.ttlHours,
    userAgent: input.userAgent,
    ip: input.ip,
  });
  return {
    token: session.token,
    expiresAt: session.expiresAt,
    user: {
      id: user.id,
      login: user.login,
      displayName: user.displayName,
      role: user.role,
      servicePointId: user.servicePointId,
      mustChangePassword: user.mustChangePassword,
    },
  };
}
