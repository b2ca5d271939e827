import {
  BuyerCurrent,
  BuyerLoginCodeQueued,
  BuyerOrderList,
  BuyerSession,
  Order,
  OrderLookupResult,
} from "@coop/shared/contract";
import type { z } from "zod";
import type { StaffCallOptions } from "./staff-api.server";

/** The client's `call`, with DELETE (signing out). */
type BuyerCall = <T>(
  path: string,
  schema: z.ZodType<T> | null,
  options?: Omit<StaffCallOptions, "method"> & { method?: "GET" | "POST" | "DELETE" },
) => Promise<T>;

/**
 * The shop's calls for buyers who come back (decision 0029): sign-in by phone with a texted code, the
 * signed-in buyer's orders, and one order found by phone + pickup code. Answers parsed with the contract.
 */
export type BuyerOrderListData = z.infer<typeof BuyerOrderList>;
export type OrderLookupData = z.infer<typeof OrderLookupResult>;

export function buyerApi(call: BuyerCall) {
  return {
    /** Texts a sign-in code (the API answers the same for every phone). */
    requestBuyerCode(phone: string) {
      return call("/v1/buyer/login-codes", BuyerLoginCodeQueued, { method: "POST", body: { phone } });
    },
    signInBuyer(phone: string, code: string) {
      return call("/v1/buyer/sessions", BuyerSession, { method: "POST", body: { phone, code } });
    },
    currentBuyer(token: string) {
      return call("/v1/buyer/sessions/current", BuyerCurrent, { token });
    },
    async signOutBuyer(token: string): Promise<void> {
      await call("/v1/buyer/sessions/current", null, { method: "DELETE", token });
    },
    /** The signed-in buyer's orders, newest first (every device, placed before sign-in too). */
    buyerOrders(token: string, cursor?: string) {
      return call("/v1/buyer/orders", BuyerOrderList, { token, query: { cursor } });
    },
    /** One of the signed-in buyer's orders (or a looked-up order, with its view token). */
    buyerOrder(token: string, id: string) {
      return call(`/v1/orders/${encodeURIComponent(id)}`, Order, { token });
    },
    lookupOrder(phone: string, pickupCode: string) {
      return call("/v1/orders/lookup", OrderLookupResult, { method: "POST", body: { phone, pickupCode } });
    },
  };
}
