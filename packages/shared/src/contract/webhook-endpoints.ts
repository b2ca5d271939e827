import { z } from "zod";
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from "../closed-sets";
import { TextInput } from "./common";

/** Outgoing webhooks (decision 0045): the admin's endpoints, their events and the delivery log. */

export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES).meta({ id: "WebhookEventType" });

export const CreateWebhookEndpoint = z
  .object({
    url: z.string().trim().max(2000).meta({
      description:
        "Where events are POSTed: https:// (http://localhost and http://127.0.0.1 outside production); never a private address in production",
      example: "https://erp.example.com/coop/webhooks",
    }),
    events: z
      .array(WebhookEventType)
      .min(1)
      .max(WEBHOOK_EVENT_TYPES.length)
      .refine((e) => new Set(e).size === e.length, "each event type once")
      .meta({ description: "The event types to send there" }),
    description: TextInput.trim().max(200).optional().meta({ example: "县财务系统 / county ERP" }),
  })
  .meta({ id: "CreateWebhookEndpoint" });
export type CreateWebhookEndpoint = z.infer<typeof CreateWebhookEndpoint>;

export const WebhookEndpoint = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(WebhookEventType),
    enabled: z.boolean(),
    createdAt: z.iso.datetime(),
    createdByUserId: z.string(),
    disabledAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "WebhookEndpoint" });
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

export const CreatedWebhookEndpoint = WebhookEndpoint.extend({
  secret: z.string().meta({
    description:
      "The signing secret (whsec_…), shown this once: keep it where the receiver verifies Coop-Signature",
  }),
}).meta({ id: "CreatedWebhookEndpoint" });
export type CreatedWebhookEndpoint = z.infer<typeof CreatedWebhookEndpoint>;

export const WebhookEndpointList = z
  .object({ items: z.array(WebhookEndpoint) })
  .meta({ id: "WebhookEndpointList" });
export type WebhookEndpointList = z.infer<typeof WebhookEndpointList>;

export const WebhookDelivery = z
  .object({
    id: z.string(),
    eventId: z.string().meta({ description: "The Coop-Event-Id header and the body's id" }),
    eventType: WebhookEventType,
    entityId: z.string().meta({ description: "The order, lot or payout the event is about" }),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES).meta({
      description:
        "pending: not tried yet; failed: the last try failed, the next is at nextAttemptAt; succeeded: the receiver answered 2xx (never sent again); abandoned: out of tries or the endpoint was disabled",
    }),
    attempts: z.number().int().meta({ description: "Tries so far" }),
    nextAttemptAt: z.iso.datetime().nullable(),
    lastStatusCode: z.number().int().nullable().meta({ description: "The receiver's last HTTP status" }),
    lastError: z
      .string()
      .nullable()
      .meta({ description: "Why the last try failed (timeout, network, status)" }),
    lastAttemptAt: z.iso.datetime().nullable(),
    deliveredAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "WebhookDelivery" });
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookDeliveryQuery = z.object({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  cursor: z.string().max(64).optional().meta({ description: "nextCursor of the page before" }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type WebhookDeliveryQuery = z.infer<typeof WebhookDeliveryQuery>;

export const WebhookDeliveryList = z
  .object({
    items: z.array(WebhookDelivery).meta({ description: "Newest first" }),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as cursor for the next page; null on the last" }),
  })
  .meta({ id: "WebhookDeliveryList" });
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryList>;

/** What every webhook request carries as its JSON body. */
export const WebhookEventEnvelope = z
  .object({
    id: z
      .string()
      .meta({ description: "The event's id (evt_…), also in Coop-Event-Id; the same on every try" }),
    type: WebhookEventType,
    created: z.iso.datetime().meta({ description: "When it happened (the change's commit time, UTC)" }),
    data: z.record(z.string(), z.unknown()).meta({ description: "The event's fields (see each event)" }),
  })
  .meta({ id: "WebhookEvent" });
export type WebhookEventEnvelope = z.infer<typeof WebhookEventEnvelope>;

const At = z.iso.datetime();

/** The `data` of each event type, for the OpenAPI document's webhooks section. Money in fen. */
export const WEBHOOK_EVENT_DATA = {
  "order.placed": z.object({
    orderId: z.string(),
    status: z.string().meta({ description: "pending_payment, confirmed (cash on pickup) or preordered" }),
    previousStatus: z.string().nullable(),
    totalFen: z.number().int(),
    paymentMethod: z.string(),
    fulfilmentType: z.string(),
    pickupServicePointId: z.string().nullable(),
    at: At,
  }),
  "order.paid": z.object({
    orderId: z.string(),
    status: z.string(),
    previousStatus: z.string().nullable(),
    totalFen: z.number().int(),
    paymentMethod: z.string(),
    fulfilmentType: z.string(),
    pickupServicePointId: z.string().nullable(),
    at: At,
  }),
  "order.ready_for_pickup": z.object({
    orderId: z.string(),
    status: z.literal("ready_for_pickup"),
    previousStatus: z.string().nullable(),
    totalFen: z.number().int(),
    paymentMethod: z.string(),
    fulfilmentType: z.string(),
    pickupServicePointId: z.string().nullable(),
    at: At,
  }),
  "order.collected": z.object({
    orderId: z.string(),
    status: z.enum(["picked_up", "delivered"]),
    previousStatus: z.string().nullable(),
    totalFen: z.number().int(),
    paymentMethod: z.string(),
    fulfilmentType: z.string(),
    pickupServicePointId: z.string().nullable(),
    at: At,
  }),
  "lot.received": z.object({
    lotId: z.string(),
    lotNo: z.string().meta({ description: "The intake number on the villager's receipt" }),
    productId: z.string(),
    consignorId: z.string().nullable(),
    servicePointId: z.string().meta({ description: "Where it was taken in" }),
    quantity: z.number().int().meta({ description: "In the product's base unit" }),
    grade: z.string().nullable(),
    bestBefore: z.iso.date().nullable(),
    at: At,
  }),
  "payout.made": z.object({
    payoutId: z.string(),
    consignorId: z.string(),
    servicePointId: z.string(),
    amountFen: z.number().int(),
    method: z.enum(["cash", "transfer"]),
    at: At,
  }),
} as const;
