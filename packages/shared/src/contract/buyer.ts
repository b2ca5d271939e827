import { z } from "zod";
import { Phone } from "./consignment";
import { Order } from "./orders";

/** Buyers who come back: sign-in by phone with a one-time SMS code (docs/decisions/0029-buyer-sign-in.md). */

const SixDigits = z
  .string()
  .transform((v) => v.replace(/\s/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "6 digits"));

export const BuyerLoginCodeRequest = z.object({ phone: Phone }).meta({ id: "BuyerLoginCodeRequest" });
export type BuyerLoginCodeRequest = z.infer<typeof BuyerLoginCodeRequest>;

export const BuyerLoginCodeQueued = z
  .object({
    expiresInSeconds: z.number().int().meta({ description: "How long a code sent now stays valid" }),
    resendAfterSeconds: z.number().int().meta({ description: "The earliest a new code may be asked for" }),
  })
  .meta({
    id: "BuyerLoginCodeQueued",
    description: "The same answer whether or not the phone has orders (nothing is told about the phone)",
  });
export type BuyerLoginCodeQueued = z.infer<typeof BuyerLoginCodeQueued>;

export const BuyerSessionRequest = z
  .object({ phone: Phone, code: SixDigits })
  .meta({ id: "BuyerSessionRequest" });
export type BuyerSessionRequest = z.infer<typeof BuyerSessionRequest>;

export const BuyerSession = z
  .object({
    token: z.string().meta({ description: "Bearer token (bst_…) for Authorization; shown once" }),
    phone: z.string(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: "BuyerSession" });
export type BuyerSession = z.infer<typeof BuyerSession>;

export const BuyerCurrent = z
  .object({ phone: z.string(), expiresAt: z.iso.datetime() })
  .meta({ id: "BuyerCurrent" });
export type BuyerCurrent = z.infer<typeof BuyerCurrent>;

export const BuyerOrderList = z
  .object({ items: z.array(Order), nextCursor: z.string().nullable() })
  .meta({ id: "BuyerOrderList" });
export type BuyerOrderList = z.infer<typeof BuyerOrderList>;

export const OrderLookupRequest = z
  .object({ phone: Phone, pickupCode: SixDigits })
  .meta({ id: "OrderLookupRequest" });
export type OrderLookupRequest = z.infer<typeof OrderLookupRequest>;

export const OrderLookupResult = z
  .object({
    order: Order,
    viewToken: z.string().meta({
      description:
        "Bearer token (ovt_…) that opens this one order with GET /v1/orders/{id} until viewExpiresAt",
    }),
    viewExpiresAt: z.iso.datetime(),
  })
  .meta({ id: "OrderLookupResult" });
export type OrderLookupResult = z.infer<typeof OrderLookupResult>;
