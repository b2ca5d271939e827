import { notifications } from "@coop/db/schema";
import { sql } from "drizzle-orm";

/**
 * The keys of notification data that hold a secret only the recipient should ever read: the buyer's pickup
 * code (order_placed), a villager's one-time code (pickup_verification) and a buyer's sign-in code
 * (buyer_login_code). The outbox holds them until the message is sent or given up, then keeps the message
 * without them.
 */
export const SECRET_NOTIFICATION_KEYS = ["pickupCode", "smsCode", "loginCode"] as const;

/** notifications.data without the secret keys: for the outbox's UPDATE that marks messages sent or failed. */
export const notificationDataWithoutSecrets = () =>
  sql`${notifications.data} - ${sql.raw(`'{${SECRET_NOTIFICATION_KEYS.join(",")}}'::text[]`)}`;
