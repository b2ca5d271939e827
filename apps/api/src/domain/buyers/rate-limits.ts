import type { Executor } from "@coop/db";
import { loginThrottle } from "@coop/db/schema";
import { and, eq, sql } from "drizzle-orm";
import { ApiError } from "../../lib/errors";
import { clientKey, countFailure } from "../auth/login-throttle";

export { clientKey };

/**
 * Fixed-window counters for buyer sign-in and order look-up, in the same `login_throttle` table staff
 * logins use (one row per bucket, shared by every API process; the retention job purges ended windows).
 * Buckets here all start with "buyer:" so they never meet a staff login's.
 */
export interface Limit {
  bucket: string;
  limit: number;
  windowSeconds: number;
}

interface Counted extends Limit {
  failures: number;
  windowStartedAt: Date;
  secondsLeft: number;
}

/** Refused before anything was sent or checked; the route sets Retry-After from `retryAfterSeconds`. */
export class BuyerRateLimitedError extends ApiError {
  constructor(
    readonly retryAfterSeconds: number,
    what: string,
  ) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super("RATE_LIMITED", `${what} Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`, {
      details: { retryAfterSeconds },
    });
  }
}

/** Takes back counted hits, unless their window has been replaced by a new one meanwhile. */
export async function giveBack(db: Executor, counted: readonly Counted[]): Promise<void> {
  await Promise.all(
    counted.map((b) =>
      db
        .update(loginThrottle)
        .set({ failures: sql`greatest(login_throttle.failures - 1, 0)` })
        .where(and(eq(loginThrottle.bucket, b.bucket), eq(loginThrottle.windowStartedAt, b.windowStartedAt))),
    ),
  );
}

/**
 * Counts one hit in every limit, BEFORE the work it guards, so concurrent requests cannot slip past a limit
 * while the first ones are still running. Over any limit: nothing stays counted and BuyerRateLimitedError
 * (429) is thrown. Returns what was counted, for giveBack when the hit should not count after all.
 */
export async function take(db: Executor, limits: readonly Limit[], what: string): Promise<Counted[]> {
  const counted = await Promise.all(limits.map(async (l) => ({ ...l, ...(await countFailure(db, l)) })));
  const over = counted.filter((b) => b.failures > b.limit);
  if (over.length > 0) {
    await giveBack(db, counted);
    throw new BuyerRateLimitedError(Math.max(1, ...over.map((b) => b.secondsLeft)), what);
  }
  return counted;
}
