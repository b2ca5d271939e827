import { createHmac, timingSafeEqual } from "node:crypto";
import { ratingLinks } from "../ratings/rating-link";

/**
 * Signed links to a villager's public lot page (the receipt's QR code and the intake SMS): whoever holds the
 * link sees that one lot, with no login, and nothing else. The token is the lot id's TypeID suffix and a
 * keyed MAC of the whole id (PUBLIC_LINK_SECRET), short enough for an SMS: "<26 chars>.<16 chars>".
 * There is nothing to look up to check a token, so a guessed or altered one costs no database query.
 */
export interface PublicLinks {
  lotToken(lotId: string): string;
  /** The lot id a token stands for, or null for a malformed or altered token. Timing-safe. */
  lotIdOf(token: string): string | null;
  /** The full link, e.g. https://shop.example/l/01jd….AbCd… */
  lotUrl(lotId: string): string;
  /** A rating request's link (domain/ratings/rating-link.ts), for the SMS that carries it. */
  ratingUrl(ratingRequestId: string): string;
}

const LOT_PREFIX = "lot_";
const SUFFIX = /^[0-7][0-9a-hjkmnp-tv-z]{25}$/;

export function publicLinks(secret: string, shopUrl: string): PublicLinks {
  const mac = (lotId: string) =>
    createHmac("sha256", secret).update(`public-lot\u0000${lotId}`).digest("base64url").slice(0, 16);
  const lotToken = (lotId: string) => `${lotId.slice(LOT_PREFIX.length)}.${mac(lotId)}`;
  const base = shopUrl.replace(/\/$/, "");
  return {
    lotToken,
    lotIdOf(token) {
      const [suffix, signature, extra] = token.split(".");
      if (extra !== undefined || !suffix || !signature || !SUFFIX.test(suffix)) return null;
      const lotId = `${LOT_PREFIX}${suffix}`;
      const expected = Buffer.from(mac(lotId));
      const actual = Buffer.from(signature);
      return actual.length === expected.length && timingSafeEqual(actual, expected) ? lotId : null;
    },
    lotUrl: (lotId) => `${base}/l/${lotToken(lotId)}`,
    ratingUrl: ratingLinks(secret, shopUrl).url,
  };
}
