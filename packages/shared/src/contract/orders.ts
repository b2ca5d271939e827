import { z } from "zod";
import { MAX_AMOUNT_FEN, MAX_ORDER_LINE_QUANTITY } from "../bounds";
import {
  BUYER_PAYMENT_METHODS,
  FULFILMENT_TYPES,
  ORDER_PAYMENT_STATES,
  ORDER_STATUSES,
  PAYMENT_METHODS,
  PICKUP_ID_TYPES,
} from "../closed-sets";
import { BASE_UNITS } from "../units";
import { LocalizedText, TextInput } from "./common";
import { Phone } from "./consignment";
import { OrderProgressLine } from "./line-codes";

export {
  BUYER_PAYMENT_METHODS,
  ORDER_STATUSES as ORDER_STATUS_VALUES,
  type OrderStatus,
  PAYMENT_METHODS as PAYMENT_METHOD_VALUES,
  type PaymentMethod,
  PICKUP_ID_TYPES,
} from "../closed-sets";

export const Fulfilment = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("pickup"), servicePointId: z.string().min(1) }),
    z.object({
      type: z.literal("delivery"),
      address: TextInput.trim().min(5, "the full address, please").max(300),
    }),
  ])
  .meta({ id: "Fulfilment" });

export const CreateOrder = z
  .object({
    items: z
      .array(
        z.object({
          productId: z.string().min(1),
          saleUnitId: z.string().min(1).optional().meta({
            description:
              "The sale unit bought (one of the product's saleUnits, on sale). Without it: the product's default sale unit (the first of saleUnits; the one priceFen is the price of).",
          }),
          quantity: z
            .number()
            .int("a whole number of sale units")
            .positive("more than zero")
            .max(MAX_ORDER_LINE_QUANTITY)
            .meta({
              description:
                "How many of the sale unit (saleUnitId, else the default one): 2 boxes of 30 eggs is 2. It must be at least the unit's minUnits and minUnits + a multiple of its stepUnits (else 400). The stock reserved is quantity × the unit's size in base units. A product migrated from per-base-unit pricing (pieces, bags) has a default unit of size 1, so there quantity is base units as before.",
            }),
        }),
      )
      .min(1, "the cart is empty")
      .max(50),
    fulfilment: Fulfilment,
    payment: z.object({ method: z.enum(PAYMENT_METHODS) }),
    contact: z.object({ name: TextInput.trim().min(1).max(40), phone: Phone }),
    /** Assisted ordering (帮代办): a staff member orders for a villager. */
    onBehalfOf: z.object({ consignorId: z.string().min(1) }).optional(),
    note: TextInput.trim().max(300).optional(),
    flashSaleId: z.string().min(1).max(64).optional().meta({
      description:
        "Buy in this live flash sale: one item, the sale's sale unit, at the sale's price, from its set-aside stock. Before the start or after the end → 409 FLASH_SALE_NOT_LIVE; more than one buyer (phone) may buy in all → 409 FLASH_SALE_LIMIT; sold out → 409 OUT_OF_STOCK.",
    }),
    campaignId: z.string().min(1).max(64).optional().meta({
      description:
        "Pre-order in this harvest campaign: one item, the campaign's sale unit, at its price. Paid online (in full, now) or cash at pickup; the order waits in `preordered` until the harvest is allocated to it in the order pre-orders were placed, and is refunded (online) or cancelled (cash) if the harvest falls short. Not open → 409 CAMPAIGN_NOT_OPEN; above the per-order or per-buyer limit → 409 CAMPAIGN_ORDER_LIMIT / CAMPAIGN_BUYER_LIMIT; nothing left of the cap → 409 OUT_OF_STOCK. Not with flashSaleId.",
    }),
  })
  .meta({ id: "CreateOrder" });
export type CreateOrder = z.infer<typeof CreateOrder>;

export const OrderCreated = z
  .object({
    id: z.string(),
    status: z.enum(ORDER_STATUSES),
    totalFen: z.number().int(),
    accessToken: z
      .string()
      .meta({ description: "Shown once: the buyer's key to this order (Authorization: Bearer)" }),
    pickupCode: z.string().nullable().meta({
      description:
        "6 digits the buyer shows at the service point (also in the order SMS); null in answers to staff",
    }),
    expiresAt: z.iso.datetime().nullable().meta({ description: "Unpaid orders are released at this time" }),
    payment: z.object({ method: z.enum(PAYMENT_METHODS), clientSecret: z.string().optional() }),
  })
  .meta({ id: "OrderCreated" });
export type OrderCreated = z.infer<typeof OrderCreated>;

export const OrderLine = z
  .object({
    id: z.string(),
    productId: z.string(),
    name: LocalizedText,
    unit: z.enum(BASE_UNITS),
    quantity: z.number().int().meta({ description: "Base units of this line (units × unitSize)" }),
    saleUnit: z
      .object({ id: z.string(), label: LocalizedText })
      .nullable()
      .optional()
      .meta({ description: "The sale unit bought; null for lines from before sale units (size 1)" }),
    units: z.number().int().optional().meta({ description: "Sale units bought: the '2' of '2 盒（60 个）'" }),
    unitSize: z.number().int().optional().meta({ description: "Base units in one sale unit when ordered" }),
    unitPriceFen: z.number().int().meta({ description: "Price of one sale unit when ordered" }),
    lineTotalFen: z.number().int(),
    locationId: z.string(),
  })
  .meta({ id: "OrderLine" });

export const Order = z
  .object({
    id: z.string(),
    status: z.enum(ORDER_STATUSES),
    subtotalFen: z.number().int(),
    deliveryFeeFen: z.number().int(),
    totalFen: z.number().int(),
    items: z.array(OrderLine),
    payment: z.object({
      method: z.enum(PAYMENT_METHODS),
      status: z.enum(ORDER_PAYMENT_STATES),
      paidFen: z.number().int(),
      refundedFen: z.number().int(),
    }),
    fulfilment: z.object({
      type: z.enum(FULFILMENT_TYPES),
      servicePointId: z.string().nullable(),
      servicePointName: LocalizedText.nullable(),
      address: z.string().nullable(),
      trackingNumber: z.string().nullable(),
    }),
    contact: z.object({ name: z.string(), phone: z.string() }),
    pickupCode: z.string().nullable().meta({
      description: "Only in the buyer's own view (Bearer <accessToken>); null in every answer to staff",
    }),
    pickupLocked: z
      .boolean()
      .meta({ description: "Too many wrong pickup codes: no hand-over until an admin unlocks it" }),
    onBehalfOfConsignorId: z.string().nullable(),
    history: z.array(
      z.object({
        status: z.enum(ORDER_STATUSES),
        at: z.iso.datetime(),
        note: z.string().nullable(),
        noteLine: OrderProgressLine.optional().meta({
          description: "The note as a code, for the reader's language",
        }),
      }),
    ),
    expiresAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Order" });
export type Order = z.infer<typeof Order>;

export const OrderList = z
  .object({ items: z.array(Order), nextCursor: z.string().nullable() })
  .meta({ id: "OrderList" });

export const CheckoutOptions = z
  .object({
    paymentMethods: z.array(z.enum(BUYER_PAYMENT_METHODS)),
    deliveryFeeFen: z.number().int(),
    freeDeliveryOverFen: z.number().int().nullable(),
    stripePublishableKey: z.string().nullable(),
    unpaidOrderSeconds: z.number().int(),
  })
  .meta({ id: "CheckoutOptions" });

/** Documents an agent may check for an order placed for a villager (帮代办). */

const SixDigits = z.string().regex(/^\d{6}$/, "6 digits");

/**
 * Exactly one proof: the buyer's code; or, for an order the agent placed for a villager, the villager's
 * phone with the one-time code sent to it (POST /v1/orders/{id}/pickup-sms), or an ID check the agent
 * records under their own name.
 */
export const HandOver = z
  .object({
    pickupCode: SixDigits.optional().meta({ description: "The buyer's 6-digit code, typed by the agent" }),
    villagerSms: z
      .object({ phone: Phone, smsCode: SixDigits })
      .optional()
      .meta({ description: "Assisted orders: the villager's phone and the one-time code sent to it" }),
    idCheck: z
      .object({
        idType: z.enum(PICKUP_ID_TYPES),
        last4: z.string().regex(/^\d{3}[\dXx]$/, "the last 4 characters of the ID number"),
      })
      .optional()
      .meta({ description: "Assisted orders: the villager's ID, checked by the agent (audited)" }),
    cashReceivedFen: z
      .number()
      .int()
      .min(0)
      .max(MAX_AMOUNT_FEN)
      .optional()
      .meta({ description: "For cash on pickup: the cash taken" }),
  })
  .superRefine((body, ctx) => {
    const given = [body.pickupCode, body.villagerSms, body.idCheck].filter((p) => p !== undefined).length;
    if (given !== 1) {
      ctx.addIssue({
        code: "custom",
        path: ["pickupCode"],
        message:
          given === 0
            ? "the buyer's 6-digit code is needed (or villagerSms / idCheck for an order placed for a villager)"
            : "give one proof only",
      });
    }
  })
  .meta({ id: "HandOver" });
export type HandOver = z.infer<typeof HandOver>;

export const ShipOrder = z
  .object({ trackingNumber: TextInput.trim().min(3).max(60) })
  .meta({ id: "ShipOrder" });

export const RefundOrder = z.object({ reason: TextInput.trim().min(1).max(200) }).meta({ id: "RefundOrder" });

export const PickList = z
  .object({
    locationId: z.string(),
    lines: z.array(
      z.object({
        productId: z.string(),
        name: LocalizedText,
        unit: z.enum(BASE_UNITS),
        quantity: z.number().int(),
        orders: z.array(z.object({ orderId: z.string(), quantity: z.number().int() })),
        lots: z.array(
          z.object({
            lotId: z.string(),
            lotNo: z.string(),
            bestBefore: z.string().nullable(),
            take: z.number().int(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: "PickList" });
