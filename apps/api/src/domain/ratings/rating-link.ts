import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signed rating links (decision 0046): `${PUBLIC_SHOP_URL}/r/<token>`, the token being the rating request id's
 * TypeID suffix and a MAC of the whole id under PUBLIC_LINK_SECRET, "<26 chars>.<16 chars>". The MAC's input
 * is labelled ("rating-request") so a lot link's token can never pass as a rating link's, under the same key.
 * Checking a token needs no database: an altered or made-up one is refused before any query.
 */
export interface RatingLinks {
  token(requestId: string): string;
  /** The rating request id a token stands for, or null for a malformed or altered token. Timing-safe. */
  requestIdOf(token: string): string | null;
  /** The full link texted to the phone. */
  url(requestId: string): string;
}

const PREFIX = "rrq_";
const SUFFIX = /^[0-7][0-9a-hjkmnp-tv-z]{25}$/;

export function ratingLinks(secret: string, shopUrl: string): RatingLinks {
  const mac = (requestId: string) =>
    createHmac("sha256", secret).update(`rating-request\u0000${requestId}`).digest("base64url").slice(0, 16);
  const token = (requestId: string) => `${requestId.slice(PREFIX.length)}.${mac(requestId)}`;
  const base = shopUrl.replace(/\/$/, "");
  return {
    token,
    requestIdOf(value) {
      const [suffix, signature, extra] = value.split(".");
      if (extra !== undefined || !suffix || !signature || !SUFFIX.test(suffix)) return null;
      const requestId = `${PREFIX}${suffix}`;
      const expected = Buffer.from(mac(requestId));
      const actual = Buffer.from(signature);
      return actual.length === expected.length && timingSafeEqual(actual, expected) ? requestId : null;
    },
    url: (requestId) => `${base}/r/${token(requestId)}`,
  };
}
