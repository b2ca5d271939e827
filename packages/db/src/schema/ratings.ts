import { RATING_FOLLOW_UP_STATUSES, RATING_SUBJECTS } from "@coop/shared";
import { sql } from "drizzle-orm";
import { check, date, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, idColumn, oneOf } from "./_columns";
import { consignors } from "./consignors";
import { coops, locations } from "./coop";
import { orders } from "./orders";
import { staffUsers } from "./staff";

export {
  RATING_FOLLOW_UP_STATUSES,
  RATING_SUBJECTS,
  type RatingFollowUpStatus,
  type RatingSubject,
} from "@coop/shared";

// Ratings (decision 0046): a link texted after an event, the one rating given through it, a low one's follow-up.

/**
 * A rating link sent to the buyer's or villager's phone after a pickup, a payout or a sale: one per event
 * (UNIQUE kind + subject), written in the event's own transaction together with its SMS. The link carries the
 * id and a MAC of it; the row says whether it is still open (not expired, not used).
 */
export const ratingRequests = pgTable(
  "rating_requests",
  {
    id: idColumn(),
    coopId: text()
      .notNull()
      .references(() => coops.id),
    kind: text({ enum: RATING_SUBJECTS }).notNull(),
    /** pickup: the order; payout: the payout; sale: the villager's first sale credit (consignor entry) of the order. */
    subjectId: text().notNull(),
    /** A sale's order and villager: at most one sale request per villager and order, however many lots sold. */
    orderId: text().references(() => orders.id),
    consignorId: text().references(() => consignors.id),
    /** Whose service it rates. */
    servicePointId: text()
      .notNull()
      .references(() => locations.id),
    /** Where the link was texted (the only person meant to open it). */
    phone: text().notNull(),
    expiresAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    /** Set in the transaction that stores the rating: the link is used. */
    ratedAt: timestamp({ withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [
    check("rating_requests_kind_check", oneOf("kind", RATING_SUBJECTS)),
    check("rating_requests_expiry_check", sql`expires_at > created_at`),
    check(
      "rating_requests_sale_check",
      sql`(kind = 'sale') = (order_id IS NOT NULL AND consignor_id IS NOT NULL)`,
    ),
    uniqueIndex("rating_requests_subject_unique").on(t.kind, t.subjectId),
    uniqueIndex("rating_requests_sale_unique").on(t.orderId, t.consignorId).where(sql`kind = 'sale'`),
    index("rating_requests_point_idx").on(t.servicePointId, t.createdAt),
  ],
);

/** The rating given through a link: one per request (UNIQUE), so a link used twice, even at once, rates once. */
export const ratings = pgTable(
  "ratings",
  {
    id: idColumn(),
    requestId: text()
      .notNull()
      .references(() => ratingRequests.id),
    /** 5 非常满意 … 1 非常不满意. */
    level: integer().notNull(),
    comment: text(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("ratings_request_unique").on(t.requestId),
    check("ratings_level_check", sql`level BETWEEN 1 AND 5`),
    check("ratings_comment_check", sql`comment IS NULL OR length(comment) BETWEEN 1 AND 500`),
    // The reports sum ratings given in a range.
    index("ratings_created_idx").on(t.createdAt),
  ],
);

/**
 * A low rating (level ≤ 2) opens one: the admin calls back and closes it with a note, by its due day (2 working
 * days on the co-op's calendar). A closed one says who closed it and when.
 */
export const ratingFollowUps = pgTable(
  "rating_follow_ups",
  {
    id: idColumn(),
    ratingId: text()
      .notNull()
      .references(() => ratings.id),
    servicePointId: text()
      .notNull()
      .references(() => locations.id),
    dueOn: date({ mode: "string" }).notNull(),
    status: text({ enum: RATING_FOLLOW_UP_STATUSES }).notNull().default("open"),
    closedByUserId: text().references(() => staffUsers.id),
    closedAt: timestamp({ withTimezone: true, mode: "date" }),
    note: text(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("rating_follow_ups_rating_unique").on(t.ratingId),
    check("rating_follow_ups_status_check", oneOf("status", RATING_FOLLOW_UP_STATUSES)),
    check(
      "rating_follow_ups_closed_check",
      sql`(status = 'closed') = (closed_by_user_id IS NOT NULL AND closed_at IS NOT NULL AND note IS NOT NULL)`,
    ),
    check("rating_follow_ups_note_check", sql`note IS NULL OR length(note) BETWEEN 1 AND 500`),
    index("rating_follow_ups_open_idx").on(t.servicePointId, t.dueOn).where(sql`status = 'open'`),
  ],
);
