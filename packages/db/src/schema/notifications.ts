import { NOTIFICATION_CHANNELS, NOTIFICATION_STATUSES } from "@coop/shared";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, idColumn, oneOf } from "./_columns";

export { NOTIFICATION_CHANNELS, NOTIFICATION_STATUSES } from "@coop/shared";

/**
 * The notification outbox: written in the same transaction as the change it announces, delivered afterwards
 * by a job through the SMS/email provider, so a message is never sent for a change that rolled back.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: idColumn(),
    channel: text({ enum: NOTIFICATION_CHANNELS }).notNull(),
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
    /**
     * Set when a send to the provider was started and its outcome is not known (claimed, then the answer was
     * lost or the process died). Such a message is looked up at the provider by its id before any resend.
     */
    sendAttemptedAt: timestamp({ withTimezone: true, mode: "date" }),
    /** Which provider accepted it ("aliyun", "log") and its id there (Aliyun's BizId). */
    provider: text(),
    providerMessageId: text(),
    /** From the provider's delivery receipt: reached the phone or not, and when. */
    deliveredAt: timestamp({ withTimezone: true, mode: "date" }),
    deliveryFailed: boolean(),
  },
  (t) => [
    check("notifications_status_check", oneOf("status", NOTIFICATION_STATUSES)),
    check("notifications_channel_check", oneOf("channel", NOTIFICATION_CHANNELS)),
    index("notifications_pending_idx").on(t.status, t.createdAt),
    index("notifications_order_idx").on(t.orderId),
  ],
);

/**
 * Delivery receipts (回执) pushed or pulled from the SMS provider, kept as they came: one per provider
 * message, so a receipt pushed twice is stored once.
 */
export const smsDeliveryReports = pgTable(
  "sms_delivery_reports",
  {
    id: idColumn(),
    provider: text().notNull(),
    providerMessageId: text().notNull(),
    notificationId: text().references(() => notifications.id),
    success: boolean().notNull(),
    errorCode: text(),
    reportedAt: timestamp({ withTimezone: true, mode: "date" }),
    raw: jsonb().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("sms_delivery_reports_message_unique").on(t.provider, t.providerMessageId),
    index("sms_delivery_reports_notification_idx").on(t.notificationId),
  ],
);
