import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt } from "./_columns";

/**
 * The one-time sign-in code last sent to a buyer's phone (docs/decisions/0029-buyer-sign-in.md). One row per
 * phone, so a new code replaces (voids) the old one. Only a keyed hash of the code is kept (HMAC with the
 * API's secret): a copy of the database cannot turn 10^6 hashes back into a live code.
 */
export const buyerLoginCodes = pgTable(
  "buyer_login_codes",
  {
    phone: text().primaryKey(),
    codeHash: text().notNull(),
    expiresAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    /** Wrong codes tried against this one; at the limit it is dead and a new one must be asked for. */
    failures: integer().notNull().default(0),
    /** When it signed someone in: a code works once. */
    usedAt: timestamp({ withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  () => [check("buyer_login_codes_failures_non_negative", sql`failures >= 0`)],
);

/**
 * A buyer signed in by phone. Only the SHA-256 of the bearer token is stored, so a leaked table cannot be
 * replayed. A session sees the orders whose contact phone is its phone, nothing else.
 */
export const buyerSessions = pgTable(
  "buyer_sessions",
  {
    tokenHash: text().primaryKey(),
    phone: text().notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    revokedAt: timestamp({ withTimezone: true, mode: "date" }),
  },
  (t) => [index("buyer_sessions_phone_idx").on(t.phone), index("buyer_sessions_expires_idx").on(t.expiresAt)],
);
