import type { Database } from "@coop/db";
import { buyerLoginCodes } from "@coop/db/schema";
import { sql } from "drizzle-orm";
import type { Caller } from "../../middleware/client-address";
import { queueSms } from "../notifications/queue-sms";
import { randomCode } from "../orders/pickup-codes";
import { clientKey, type Limit, take } from "./rate-limits";
import type { BuyerSecrets } from "./secrets";

/** A sign-in code is good for this long after it was sent. */
export const LOGIN_CODE_TTL_SECONDS = 10 * 60;
/** Wrong codes one sent code survives; the next wrong one kills it. */
export const LOGIN_CODE_MAX_FAILURES = 5;
/** Codes one phone may be sent: one a minute, five an hour. */
export const CODES_PER_PHONE_PER_MINUTE = 1;
export const CODES_PER_PHONE_PER_HOUR = 5;
/** Codes one client (address, or browser behind the shop) may ask for, whatever the phones. */
export const CODES_PER_CLIENT_PER_HOUR = 10;

function limitsFor(phone: string, caller: Caller): Limit[] {
  return [
    { bucket: `buyer:code:phone-minute:${phone}`, limit: CODES_PER_PHONE_PER_MINUTE, windowSeconds: 60 },
    { bucket: `buyer:code:phone-hour:${phone}`, limit: CODES_PER_PHONE_PER_HOUR, windowSeconds: 3600 },
    {
      bucket: `buyer:code:client:${clientKey(caller)}`,
      limit: CODES_PER_CLIENT_PER_HOUR,
      windowSeconds: 3600,
    },
  ];
}

/**
 * Sends a fresh 6-digit sign-in code to `phone` (queued in the outbox, sent once this commits), replacing any
 * earlier one. Said the same way whether or not the phone has ever ordered: the answer tells nobody whose
 * phone it is. Over a limit → 429 before anything is sent.
 */
export async function requestLoginCode(
  db: Database,
  secrets: BuyerSecrets,
  input: { phone: string; caller: Caller },
): Promise<{ expiresInSeconds: number; resendAfterSeconds: number }> {
  await take(db, limitsFor(input.phone, input.caller), "Too many sign-in codes were asked for.");
  const code = randomCode();
  await db.transaction(async (tx) => {
    const values = {
      phone: input.phone,
      codeHash: secrets.codeHash(input.phone, code),
      expiresAt: sql`now() + make_interval(secs => ${LOGIN_CODE_TTL_SECONDS})`,
      failures: 0,
      usedAt: null,
      createdAt: sql`now()`,
    };
    await tx
      .insert(buyerLoginCodes)
      // biome-ignore lint/suspicious/noExplicitAny: drizzle's insert type does not take SQL for a date column
      .values(values as any)
      // biome-ignore lint/suspicious/noExplicitAny: as above
      .onConflictDoUpdate({ target: buyerLoginCodes.phone, set: values as any });
    // `loginCode` is in SECRET_NOTIFICATION_KEYS: the outbox drops it once the message is sent.
    await queueSms(tx, {
      to: input.phone,
      template: "buyer_login_code",
      data: { loginCode: code, minutes: LOGIN_CODE_TTL_SECONDS / 60 },
    });
  });
  return { expiresInSeconds: LOGIN_CODE_TTL_SECONDS, resendAfterSeconds: 60 };
}
