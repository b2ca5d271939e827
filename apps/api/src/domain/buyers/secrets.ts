import { createHmac } from "node:crypto";
import { sameHex } from "../orders/pickup-codes";

/**
 * Keyed hashes for buyer sign-in, with the API's PICKUP_CODE_SECRET under labels of their own (domain
 * separation: no value made for a pickup code can ever pass for a sign-in code or a view token, nor back).
 */
export function buyerSecrets(secret: string) {
  const mac = (...parts: string[]) => createHmac("sha256", secret).update(parts.join("\u0000"));
  const codeHash = (phone: string, code: string) => mac("buyer-login-code", phone, code).digest("hex");
  return {
    /** What buyer_login_codes.code_hash holds for `code` sent to `phone`. */
    codeHash,
    codeMatches(phone: string, code: string, stored: string): boolean {
      return /^\d{6}$/.test(code) && sameHex(codeHash(phone, code), stored);
    },
    /** The signature of a short-lived view token for one order. */
    viewMac(payload: string): string {
      return mac("buyer-order-view", payload).digest("base64url");
    },
  };
}

export type BuyerSecrets = ReturnType<typeof buyerSecrets>;
