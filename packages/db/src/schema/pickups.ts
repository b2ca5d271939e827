import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt, idColumn } from "./_columns";
import { orders } from "./orders";
import { staffUsers } from "./staff";

/**
 * One-time codes sent by SMS to a villager's own phone, so an order the agent placed for them (帮代办) can be
 * collected without the buyer's pickup code. Only a keyed hash is kept; each expires and is used once.
 */
export const pickupSmsCodes = pgTable(
  "pickup_sms_codes",
  {
    id: idColumn(),
    orderId: text()
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    codeHash: text().notNull(),
    /** The phone on the villager's record it was sent to. */
    sentTo: text().notNull(),
    sentByUserId: text()
      .notNull()
      .references(() => staffUsers.id),
    expiresAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    usedAt: timestamp({ withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [index("pickup_sms_codes_order_idx").on(t.orderId, t.createdAt)],
);

/**
 * Plain pickup codes of orders still open when codes became hashes (migration 0011). The migration cannot
 * hash them (the key is the API's secret), so it parks them here; `pnpm coop pickup-codes:upgrade` hashes
 * them into orders.pickup_code_hash and empties this table.
 */
export const legacyPickupCodes = pgTable("legacy_pickup_codes", {
  orderId: text()
    .primaryKey()
    .references(() => orders.id, { onDelete: "cascade" }),
  code: text().notNull(),
});
