import type { Database, Executor } from "@coop/db";
import { locations, ratingFollowUps, ratingRequests, ratings } from "@coop/db/schema";
import { chinaToday, newId } from "@coop/shared";
import {
  RATING_FOLLOW_UP_MAX_LEVEL,
  type RatingGiven,
  type RatingRequestView,
  type SubmitRating,
} from "@coop/shared/contract";
import { eq } from "drizzle-orm";
import { ApiError } from "../../lib/errors";
import type { Caller } from "../../middleware/client-address";
import { clientKey, countFailure } from "../auth/login-throttle";
import { deadlineFrom } from "../calendar/working-calendar";

/** A low rating's follow-up is due this many working days after it was given. */
export const FOLLOW_UP_WORKING_DAYS = 2;

/**
 * Posts to rating links, per client and per link, in the login_throttle table every API process shares. A
 * village shares one mobile network's addresses, so the client limit is generous; a link rates once anyway.
 */
const LIMITS = { perClient: 30, perLink: 5, windowSeconds: 600 };

export const invalidLink = () =>
  new ApiError(
    "RATING_LINK_INVALID",
    "This rating link is not valid. Open it from the text message exactly as it came.",
  );

function refuseClosed(request: { ratedAt: Date | null; expiresAt: Date }, now: Date) {
  if (request.ratedAt) {
    throw new ApiError("RATING_ALREADY_GIVEN", "This was rated already. Thank you!");
  }
  if (request.expiresAt.getTime() <= now.getTime()) {
    throw new ApiError("RATING_LINK_EXPIRED", "This rating link has expired: links stay open for 14 days.", {
      details: { expiredAt: request.expiresAt.toISOString() },
    });
  }
}

/** What an open link is about: the kind of event, whose service point, which day. Nothing of anyone. */
export async function ratingRequestView(
  db: Executor,
  requestId: string,
  now = new Date(),
): Promise<RatingRequestView> {
  const [row] = await db
    .select({
      kind: ratingRequests.kind,
      createdAt: ratingRequests.createdAt,
      expiresAt: ratingRequests.expiresAt,
      ratedAt: ratingRequests.ratedAt,
      pointZh: locations.nameZh,
      pointEn: locations.nameEn,
    })
    .from(ratingRequests)
    .innerJoin(locations, eq(locations.id, ratingRequests.servicePointId))
    .where(eq(ratingRequests.id, requestId));
  if (!row) throw invalidLink();
  refuseClosed(row, now);
  return {
    kind: row.kind,
    servicePoint: { zh: row.pointZh, en: row.pointEn },
    eventDay: chinaToday(row.createdAt),
    expiresAt: row.expiresAt.toISOString(),
  };
}

/**
 * The rating given through a link, once: the request row is locked, so of two posts at the same moment the
 * second waits and then finds it rated; the UNIQUE request id of `ratings` holds even so. A level of 2 or
 * less opens a follow-up due in 2 working days on the co-op's calendar.
 */
export async function giveRating(
  db: Database,
  input: { requestId: string; rating: SubmitRating; caller: Caller; now?: Date },
): Promise<RatingGiven> {
  const now = input.now ?? new Date();
  await limitPosts(db, input.requestId, input.caller);
  return db.transaction(async (tx) => {
    const [request] = await tx
      .select()
      .from(ratingRequests)
      .where(eq(ratingRequests.id, input.requestId))
      .for("update");
    if (!request) throw invalidLink();
    refuseClosed(request, now);
    const ratingId = newId("rating");
    const comment = input.rating.comment?.trim() || null;
    const [stored] = await tx
      .insert(ratings)
      .values({ id: ratingId, requestId: request.id, level: input.rating.level, comment, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: ratings.id });
    if (!stored) throw new ApiError("RATING_ALREADY_GIVEN", "This was rated already. Thank you!");
    await tx.update(ratingRequests).set({ ratedAt: now }).where(eq(ratingRequests.id, request.id));
    const followUp = input.rating.level <= RATING_FOLLOW_UP_MAX_LEVEL;
    if (followUp) {
      await tx.insert(ratingFollowUps).values({
        id: newId("ratingFollowUp"),
        ratingId,
        servicePointId: request.servicePointId,
        dueOn: await deadlineFrom(tx, request.coopId, chinaToday(now), FOLLOW_UP_WORKING_DAYS),
        createdAt: now,
      });
    }
    return { level: input.rating.level, ratedAt: now.toISOString(), followUp };
  });
}

/** Counted before the work, so concurrent posts cannot slip past a limit; over one → 429 RATE_LIMITED. */
async function limitPosts(db: Executor, requestId: string, caller: Caller) {
  const buckets = [
    { bucket: `rating:client:${clientKey(caller)}`, limit: LIMITS.perClient },
    { bucket: `rating:link:${requestId}`, limit: LIMITS.perLink },
  ];
  const counted = await Promise.all(
    buckets.map(async (b) => ({
      ...b,
      ...(await countFailure(db, { ...b, windowSeconds: LIMITS.windowSeconds })),
    })),
  );
  const over = counted.filter((b) => b.failures > b.limit);
  if (over.length === 0) return;
  const retryAfterSeconds = Math.max(1, ...over.map((b) => b.secondsLeft));
  throw new ApiError("RATE_LIMITED", "Too many tries. Please wait a few minutes and try again.", {
    details: { retryAfterSeconds },
  });
}
