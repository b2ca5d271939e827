import { z } from "zod";
import { MAX_AMOUNT_FEN, MAX_ORDER_LINE_QUANTITY } from "../bounds";
import { LocalizedText, TextInput } from "./common";
import { Phone } from "./consignment";

export const ORDER_STATUS_VALUES = [
  "pending_payment",
  "confirmed",
  "paid",
  "packed",
  "shipped",
  "ready_for_pickup",
  "delivered",
  "picked_up",
  "cancelled",
  "refunded",
] as const;
export type OrderStatus = (typeof ORDER_STATUS_VALUES)[number];

export const BUYER_PAYMENT_METHODS = ["cash_on_pickup", "card", "alipay", "wechat_pay"] as const;
export const PAYMENT_METHOD_VALUES = [...BUYER_PAYMENT_METHODS, "consignor_balance"] as const;
export type PaymentMethod = (typeof PAYMENT_METHOD_VALUES)[number];

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
          quantity: z
            .number()
            .int("a whole number of base units")
            .positive("more than zero")
            .max(MAX_ORDER_LINE_QUANTITY),
        }),
      )
      .min(1, "the cart is empty")
      .max(50),
    fulfilment: Fulfilment,
    payment: z.object({ method: z.enum(PAYMENT_METHOD_VALUES) }),
    contact: z.object({ name: TextInput.trim().min(1).max(40), phone: Phone }),
    /** Assisted ordering (帮代办): a staff member orders for a villager. */
    onBehalfOf: z.object({ consignorId: z.string().min(1) }).optional(),
    note: TextInput.trim().max(300).optional(),
  })
  .meta({ id: "CreateOrder" });
export type CreateOrder = z.infer<typeof CreateOrder>;

export const OrderCreated = z
  .object({
    id: z.string(),
    status: z.enum(ORDER_STATUS_VALUES),
    totalFen: z.number().int(),
    accessToken: z
      .string()
      .meta({ description: "Shown once: the buyer's key to this order (Authorization: Bearer)" }),
    pickupCode: z.string().nullable().meta({ description: "6 digits the buyer shows at the service point" }),
    expiresAt: z.iso.datetime().nullable().meta({ description: "Unpaid orders are released at this time" }),
    payment: z.object({ method: z.enum(PAYMENT_METHOD_VALUES), clientSecret: z.string().optional() }),
  })
  .meta({ id: "OrderCreated" });
export type OrderCreated = z.infer<typeof OrderCreated>;

export const OrderLine = z
  .object({
    id: z.string(),
    productId: z.string(),
    name: LocalizedText,
    unit: z.enum(["piece", "gram", "ml", "bag"]),
    quantity: z.number().int(),
    unitPriceFen: z.number().int(),
    lineTotalFen: z.number().int(),
    locationId: z.string(),
  })
  .meta({ id: "OrderLine" });

export const Order = z
  .object({
    id: z.string(),
    status: z.enum(ORDER_STATUS_VALUES),
    subtotalFen: z.number().int(),
    deliveryFeeFen: z.number().int(),
    totalFen: z.number().int(),
    items: z.array(OrderLine),
    payment: z.object({
      method: z.enum(PAYMENT_METHOD_VALUES),
      status: z.enum([
        "unpaid",
        "pending",
        "succeeded",
        "failed",
        "refunded",
        "partially_refunded",
        "canceled",
      ]),
      paidFen: z.number().int(),
      refundedFen: z.number().int(),
    }),
    fulfilment: z.object({
      type: z.enum(["pickup", "delivery"]),
      servicePointId: z.string().nullable(),
      servicePointName: LocalizedText.nullable(),
      address: z.string().nullable(),
      trackingNumber: z.string().nullable(),
    }),
    contact: z.object({ name: z.string(), phone: z.string() }),
    pickupCode: z.string().nullable(),
    onBehalfOfConsignorId: z.string().nullable(),
    history: z.array(
      z.object({ status: z.enum(ORDER_STATUS_VALUES), at: z.iso.datetime(), note: z.string().nullable() }),
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

export const HandOver = z
  .object({
    pickupCode: z.string().regex(/^\d{6}$/, "the 6-digit pickup code"),
    cashReceivedFen: z
      .number()
      .int()
      .min(0)
      .max(MAX_AMOUNT_FEN)
      .optional()
      .meta({ description: "For cash on pickup: the cash taken" }),
  })
  .meta({ id: "HandOver" });

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
        unit: z.enum(["piece", "gram", "ml", "bag"]),
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
