import { createHmac, randomInt, timingSafeEqual } from "node:crypto";

/**
 * Pickup codes (docs/decisions/0017-pickup-codes.md). The database keeps only a keyed hash of each code;
 * the key (PICKUP_CODE_SECRET) lives in the API's environment, never in the database, so a copy of the
 * database (a backup, a read replica, a staff member's SQL console) cannot turn 10^6 hashes back into codes.
 *
 * A buyer's code is DERIVED from the buyer's order access token, which only the buyer holds (the database
 * keeps its SHA-256): the API can show the code to whoever presents the token and to nobody else. An order
 * placed by staff for a villager gets a random code instead, sent by SMS to the villager, so the agent who
 * placed it (and holds its token) cannot read it back either.
 */
export interface PickupCodes {
  /** The 6 digits of the buyer holding `accessToken`. */
  codeFor(accessToken: string): string;
  /** What orders.pickup_code_hash holds for `code` at pickup point `pointId`. */
  hash(pointId: string, code: string): string;
  /** Whether `code` is the one whose hash is stored. Timing-safe. */
  matches(pointId: string, code: string, storedHash: string | null): boolean;
  /** What pickup_sms_codes.code_hash holds for a one-time code sent for `orderId`. */
  smsHash(orderId: string, code: string): string;
}

/** Used whenever NODE_ENV is not production and PICKUP_CODE_SECRET is unset (env.ts refuses it in production). */
export const DEV_PICKUP_CODE_SECRET = "dev-only-pickup-code-secret-not-for-production";

export function pickupCodes(secret: string): PickupCodes {
  const mac = (...parts: string[]) => createHmac("sha256", secret).update(parts.join("\u0000"));
  const hash = (pointId: string, code: string) => mac("pickup-code", pointId, code).digest("hex");
  return {
    codeFor(accessToken) {
      // 48 bits mod 10^6: the bias (2^48 is not a multiple of 10^6) is below one part in 10^8.
      const n = mac("pickup-code-from-token", accessToken).digest().readUIntBE(0, 6);
      return String(n % 1_000_000).padStart(6, "0");
    },
    hash,
    matches(pointId, code, storedHash) {
      if (!storedHash || !/^\d{6}$/.test(code)) return false;
      return sameHex(hash(pointId, code), storedHash);
    },
    smsHash(orderId, code) {
      return mac("pickup-sms-code", orderId, code).digest("hex");
    },
  };
}

/** A code nobody can derive: assisted orders' codes and the one-time SMS codes. */
export function randomCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** "张三" → "张*", "王小明" → "王**": enough for the agent to tell two buyers apart, no more. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return "*";
  return chars[0] + "*".repeat(Math.min(chars.length - 1, 3));
}

export const phoneTail = (phone: string) => phone.slice(-4);
