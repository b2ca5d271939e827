import type { Executor } from "@coop/db";
import { loginThrottle } from "@coop/db/schema";
import { and, eq, gt, sql } from "drizzle-orm";
import type { Env } from "../../env";
import { ApiError } from "../../lib/errors";
import type { Caller } from "../../middleware/client-address";

/**
 * Failed-login limits shared by every API process, kept in `login_throttle` (one row per bucket, fixed
 * windows). The rules and why: docs/decisions/0015-login-throttle.md. In short, per attempt at name N from a
 * device D (the shop's browser id, else the address) at address A:
 * - `device:D|N`  — N's failures from D: always applies (a person mistyping, a guesser on one device);
 * - `login:N`     — N's failures from everywhere: a guesser rotating devices or addresses;
 * - `client:A`    — A's failures whatever the names: one address spraying many names;
 * - `known:D|N`   — D logged in as N before (not a counter): D is exempt from `login:N` and `client:A`, so an
 *                   attacker who fills those cannot lock the person out of their own phone.
 * An attempt is counted *before* its password is checked and given back unless the password was wrong, so
 * concurrent guesses cannot slip past the limit while the first ones are still being hashed.
 */

export interface LoginLimits {
  perDevice: number;
  perName: number;
  windowSeconds: number;
  perClientPerMinute: number;
}

/** A device that logged in as a name within this long is "known" for that name. */
const KNOWN_DEVICE_DAYS = 30;
/** How long a known-device marker lives after its device was last seen (the retention job purges it). */
export const KNOWN_DEVICE_RETENTION_MS = KNOWN_DEVICE_DAYS * 86_400_000;
/** Buckets that mark a device as known for a login, not a failure window. */
export const KNOWN_DEVICE_PREFIX = "known:";

export function loginLimits(env: Env): LoginLimits {
  return {
    perDevice: env.LOGIN_FAILURES_PER_DEVICE,
    perName: env.LOGIN_FAILURES_PER_NAME,
    windowSeconds: env.LOGIN_WINDOW_MINUTES * 60,
    perClientPerMinute: env.LOGIN_RATE_LIMIT_PER_MINUTE,
  };
}

/** Refused before the password was checked; `retryAfterSeconds` is when the fullest bucket's window ends. */
export class LoginThrottledError extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super(
      "RATE_LIMITED",
      `Too many failed logins. Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`,
      { details: { retryAfterSeconds } },
    );
  }
}

interface Bucket {
  bucket: string;
  limit: number;
  windowSeconds: number;
}

function bucketsFor(login: string, caller: Caller, limits: LoginLimits) {
  const name = login.trim().toLowerCase();
  const device = caller.browser ? `b:${caller.browser}` : `a:${caller.address}`;
  const client = clientKey(caller);
  return {
    known: `${KNOWN_DEVICE_PREFIX}${device}|${name}`,
    device: {
      bucket: `device:${device}|${name}`,
      limit: limits.perDevice,
      windowSeconds: limits.windowSeconds,
    },
    name: { bucket: `login:${name}`, limit: limits.perName, windowSeconds: limits.windowSeconds },
    client: { bucket: `client:${client}`, limit: limits.perClientPerMinute, windowSeconds: 60 },
  };
}

/**
 * Who the caller is for a per-client limit: the address, or behind a shop that cannot see addresses (where
 * every person shares the shop's) the browser the shop signed for. Also used by the buyer sign-in limits.
 */
export function clientKey(caller: Caller): string {
  return !caller.addressIsPersonal && caller.browser ? `b:${caller.browser}` : `a:${caller.address}`;
}

/**
 * Counts one hit in a login_throttle bucket, starting a new window when the last one has ended; shared by
 * staff logins and the buyer sign-in limits (domain/buyers/rate-limits.ts).
 */
export async function countFailure(db: Executor, { bucket, windowSeconds }: Bucket) {
  const windowEnded = sql`login_throttle.window_started_at <= now() - make_interval(secs => ${windowSeconds})`;
  // Whole milliseconds, so the Date read back matches the row exactly (see giveBack).
  const now = sql`date_trunc('milliseconds', now())`;
  const [row] = await db
    .insert(loginThrottle)
    .values({ bucket, windowStartedAt: now, failures: 1 })
    .onConflictDoUpdate({
      target: loginThrottle.bucket,
      set: {
        windowStartedAt: sql`CASE WHEN ${windowEnded} THEN ${now} ELSE login_throttle.window_started_at END`,
        failures: sql`CASE WHEN ${windowEnded} THEN 1 ELSE login_throttle.failures + 1 END`,
      },
    })
    .returning({
      failures: loginThrottle.failures,
      windowStartedAt: loginThrottle.windowStartedAt,
      secondsLeft: sql`ceil(extract(epoch from login_throttle.window_started_at
        + make_interval(secs => ${windowSeconds}) - now()))`.mapWith(Number),
    });
  if (!row) throw new Error(`login_throttle upsert of ${bucket} returned no row`);
  return row;
}

/** Takes back one counted attempt, unless its window has been replaced by a new one meanwhile. */
async function giveBack(db: Executor, bucket: string, windowStartedAt: Date) {
  await db
    .update(loginThrottle)
    .set({ failures: sql`greatest(login_throttle.failures - 1, 0)` })
    .where(and(eq(loginThrottle.bucket, bucket), eq(loginThrottle.windowStartedAt, windowStartedAt)));
}

async function isKnown(db: Executor, bucket: string): Promise<boolean> {
  const rows = await db
    .select({ bucket: loginThrottle.bucket })
    .from(loginThrottle)
    .where(
      and(
        eq(loginThrottle.bucket, bucket),
        gt(loginThrottle.windowStartedAt, sql`now() - make_interval(days => ${KNOWN_DEVICE_DAYS})`),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** Refusals that were a wrong password: a login's, or the current password when changing it. */
const GUESS_CODES = new Set(["INVALID_CREDENTIALS", "CURRENT_PASSWORD_WRONG"]);

/**
 * Runs `verify` (the password check) unless this attempt is over a limit (LoginThrottledError, 429). A wrong
 * password (INVALID_CREDENTIALS, or CURRENT_PASSWORD_WRONG when changing it) stays counted; a success is given back, clears this device's failures for
 * the name and makes the device known for it; any other error is given back (it was not a guess).
 */
export async function throttledLogin<T>(
  db: Executor,
  limits: LoginLimits,
  attempt: { login: string; caller: Caller },
  verify: () => Promise<T>,
): Promise<T> {
  const buckets = bucketsFor(attempt.login, attempt.caller, limits);
  const known = await isKnown(db, buckets.known);
  const applicable = known ? [buckets.device] : [buckets.device, buckets.name, buckets.client];
  const counted = await Promise.all(applicable.map(async (b) => ({ ...b, ...(await countFailure(db, b)) })));
  const giveAllBack = () => Promise.all(counted.map((b) => giveBack(db, b.bucket, b.windowStartedAt)));

  const over = counted.filter((b) => b.failures > b.limit);
  if (over.length > 0) {
    await giveAllBack();
    throw new LoginThrottledError(Math.max(1, ...over.map((b) => b.secondsLeft)));
  }

  let result: T;
  try {
    result = await verify();
  } catch (error) {
    if (!(error instanceof ApiError && GUESS_CODES.has(error.code))) {
      // Best effort: when the database itself is what failed, the original error is the one to report.
      await giveAllBack().catch(() => undefined);
    }
    throw error;
  }

  await Promise.all([
    ...counted
      .filter((b) => b.bucket !== buckets.device.bucket)
      .map((b) => giveBack(db, b.bucket, b.windowStartedAt)),
    db.delete(loginThrottle).where(eq(loginThrottle.bucket, buckets.device.bucket)),
    db
      .insert(loginThrottle)
      .values({ bucket: buckets.known, windowStartedAt: sql`now()`, failures: 0 })
      .onConflictDoUpdate({ target: loginThrottle.bucket, set: { windowStartedAt: sql`now()` } }),
  ]);
  return result;
}
