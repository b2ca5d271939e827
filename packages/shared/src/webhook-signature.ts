import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The signature on every outgoing webhook (decision 0045), in Stripe's scheme: the header
 * `Coop-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. The timestamp is inside
 * the signed text, so a captured request cannot be replayed later with a fresh `t`; a receiver refuses one
 * older than its tolerance. Node only (node:crypto): never import this from code that reaches the browser.
 */
export const WEBHOOK_SIGNATURE_HEADER = "Coop-Signature";
/** The event's id, the same on every attempt: a receiver that saw it already acknowledges and does nothing. */
export const WEBHOOK_EVENT_ID_HEADER = "Coop-Event-Id";
/** How old a signed request a receiver should still accept, by default (Stripe's default too). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
/** Every endpoint's signing secret starts so (the rest: 32 random bytes, base64url). */
export const WEBHOOK_SECRET_PREFIX = "whsec_";

const SCHEME = "v1";

/** Hex HMAC-SHA256 of "<timestamp>.<body>" under `secret`. */
export function webhookSignature(secret: string, timestamp: number, body: string | Uint8Array): string {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");
}

/** The Coop-Signature header value for `body` sent at `timestamp` (unix seconds). */
export function signWebhookPayload(
  secret: string,
  body: string | Uint8Array,
  timestamp: number = Math.floor(Date.now() / 1000),
): string {
  return `t=${timestamp},${SCHEME}=${webhookSignature(secret, timestamp, body)}`;
}

export type WebhookVerification =
  | { valid: true; timestamp: number }
  | { valid: false; reason: "malformed" | "stale" | "mismatch" };

/**
 * Checks a received webhook: `header` is the Coop-Signature value, `body` the raw body exactly as received
 * (before any JSON parsing: re-serialised JSON need not be byte-equal). Valid when one v1 signature matches
 * and the timestamp is within `toleranceSeconds` of `now` (either way, for clock skew).
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string | Uint8Array,
  toleranceSeconds: number = WEBHOOK_TOLERANCE_SECONDS,
  now: number = Date.now(),
): WebhookVerification {
  if (!header || header.length > 2048) return { valid: false, reason: "malformed" };
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    // Several v1 entries may come (one per secret while a secret is being replaced): any may match.
    else if (key === SCHEME && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return { valid: false, reason: "malformed" };
  const expected = Buffer.from(webhookSignature(secret, timestamp, body), "hex");
  // Compared before the age, in constant time: a forged header learns nothing from which check failed first.
  const matches = signatures.some((s) => timingSafeEqual(Buffer.from(s, "hex"), expected));
  if (!matches) return { valid: false, reason: "mismatch" };
  if (Math.abs(now / 1000 - timestamp) > toleranceSeconds) return { valid: false, reason: "stale" };
  return { valid: true, timestamp };
}
