import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt, idColumn, oneOf } from "./_columns";

export const NOTIFICATION_STATUSES = ["pending", "sent", "failed"] as const;

/**
 * The notification outbox: written in the same transaction as the change it announces, delivered afterwards
 * by a job through the SMS/email provider, so a message is never sent for a change that rolled back.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: idColumn(),
    channel: text({ enum: ["sms", "email"] }).notNull(),
    recipient: text().notNull(),
    template: text().notNull(),
    data: jsonb().notNull(),
    status: text({ enum: NOTIFICATION_STATUSES }).notNull().default("pending"),
    attempts: integer().notNull().default(0),
    orderId: text(),
    createdAt: createdAt(),
    sentAt: timestamp({ withTimezone: true, mode: "date" }),
    /**
     * A sender's lease: the row is being sent by one process until then. Claimed before sending, so with
     * several API processes each message goes out once; a sender that died frees it when the lease ends.
     */
    claimedUntil: timestamp({ withTimezone: true, mode: "date" }),
  },
  (t) => [
    check("notifications_status_check", oneOf("status", NOTIFICATION_STATUSES)),
    check("notifications_channel_check", sql`channel IN ('sms', 'email')`),
    index("notifications_pending_idx").on(t.status, t.createdAt),
    index("notifications_order_idx").on(t.orderId),
  ],
);
