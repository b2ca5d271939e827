import { z } from "zod";
import { ORDER_STATUSES, PAYMENT_METHODS } from "../closed-sets";
import { Phone } from "./consignment";

/** The agent types the code the buyer shows; the API finds every order waiting at the point with it. */
export const PickupLookup = z
  .object({
    code: z.string().regex(/^\d{6}$/, "the 6-digit pickup code"),
    servicePointId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .meta({ description: "Admins say which point; an agent always searches their own" }),
  })
  .meta({ id: "PickupLookup" });
export type PickupLookup = z.infer<typeof PickupLookup>;

export const PickupMatch = z
  .object({
    orderId: z.string(),
    status: z.enum(ORDER_STATUSES),
    /** False while the goods are still on their way to the point. */
    canHandOver: z.boolean(),
    locked: z.boolean(),
    buyerName: z.string().meta({ description: "Masked: 王** (the order page shows the whole name)" }),
    phoneTail: z.string().meta({ description: "The last 4 digits of the buyer's phone" }),
    totalFen: z.number().int(),
    paymentMethod: z.enum(PAYMENT_METHODS),
    itemCount: z.number().int(),
    placedForVillager: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "PickupMatch" });
export type PickupMatch = z.infer<typeof PickupMatch>;

export const PickupLookupResult = z
  .object({ matches: z.array(PickupMatch) })
  .meta({ id: "PickupLookupResult" });
export type PickupLookupResult = z.infer<typeof PickupLookupResult>;

export const SendPickupSms = z
  .object({ phone: Phone.meta({ description: "The villager's phone, as the villager says it" }) })
  .meta({ id: "SendPickupSms" });

export const PickupSmsSent = z
  .object({
    sentTo: z.string().meta({ description: "Masked: 139****5678" }),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: "PickupSmsSent" });

export const UnlockPickup = z
  .object({ reason: z.string().trim().min(1).max(200) })
  .meta({ id: "UnlockPickup" });
