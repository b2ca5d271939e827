import {
  CheckoutOptions,
  CreateOrder,
  HandOver,
  ORDER_STATUS_VALUES,
  Order,
  OrderCreated,
  OrderList,
  PickList,
  PickupLookup,
  PickupLookupResult,
  PickupSmsSent,
  RefundOrder,
  SendPickupSms,
  ShipOrder,
  UnlockPickup,
} from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { buyerGrantOf, grantCovers } from "../domain/buyers/grants";
import { checkoutTerms } from "../domain/coop/coop-settings";
import {
  dispatchToPickup,
  handOver,
  markDelivered,
  packOrder,
  pickList,
  shipOrder,
} from "../domain/orders/fulfilment";
import { type OrderCaller, orderForCaller, orderForStaff, orderViewFor } from "../domain/orders/order-access";
import { cancelAsAsked } from "../domain/orders/order-lifecycle";
import { getOrderRow, listOrders } from "../domain/orders/order-views";
import { pickupCodes } from "../domain/orders/pickup-codes";
import { lookupPickup } from "../domain/orders/pickup-lookup";
import { sendPickupSms, unlockPickup } from "../domain/orders/pickup-sms";
import { placeOrder } from "../domain/orders/place-order";
import { ApiError } from "../lib/errors";
import { idempotentRequest } from "../lib/idempotency";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { offeredPaymentMethods } from "../lib/stripe";
import { assertServicePointAccess, requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

const tags = ["Orders"];
const IdParam = z.object({ id: z.string().max(64) });
const IdempotencyHeader = z.object({ "idempotency-key": z.string().optional() });
const staffSecurity = [{ bearerAuth: [] }];
const json = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

const createDef = createRoute({
  method: "post",
  path: "/orders",
  tags,
  summary: "Place an order (buyers; staff for a villager with onBehalfOf)",
  description:
    "Prices come from the catalog. Every line is reserved at once or none is: too little stock → 409 OUT_OF_STOCK with the short lines in error.details.lines. Send an Idempotency-Key so a retry never orders twice.",
  request: { headers: IdempotencyHeader, body: json(CreateOrder) },
  responses: { 201: jsonContent(OrderCreated, "Placed"), ...errorResponses(400, 401, 403, 409) },
});

const getDef = createRoute({
  method: "get",
  path: "/orders/{id}",
  tags,
  summary: "One order (its buyer with Bearer <accessToken>, or staff)",
  request: { params: IdParam },
  responses: { 200: jsonContent(Order, "The order"), ...errorResponses(401, 403, 404) },
});

const listDef = createRoute({
  method: "get",
  path: "/orders",
  tags,
  security: staffSecurity,
  summary: "The order queue (an agent sees their point's pickups)",
  middleware: [requireStaff()] as const,
  request: {
    query: z.object({
      status: z.enum(ORDER_STATUS_VALUES).optional(),
      servicePointId: z.string().optional(),
      phone: z
        .string()
        .regex(/^\d{11}$/)
        .optional(),
      cursor: z.string().max(64).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(30),
    }),
  },
  responses: { 200: jsonContent(OrderList, "Orders, newest first"), ...errorResponses(400, 401, 403) },
});

const cancelDef = createRoute({
  method: "post",
  path: "/orders/{id}/cancel",
  tags,
  summary: "Cancel: the buyer while unpaid; staff also after payment (refund)",
  middleware: [idempotent()] as const,
  request: {
    params: IdParam,
    headers: IdempotencyHeader,
    body: { required: false, content: { "application/json": { schema: RefundOrder.partial() } } },
  },
  responses: { 200: jsonContent(Order, "Cancelled or refunded"), ...errorResponses(401, 403, 404, 409) },
});

function staffAction<T extends z.ZodType>(path: string, summary: string, body?: T) {
  return createRoute({
    method: "post",
    path,
    tags: ["Fulfilment"],
    security: staffSecurity,
    summary,
    middleware: [requireStaff(), idempotent()] as const,
    request: { params: IdParam, headers: IdempotencyHeader, ...(body ? { body: json(body) } : {}) },
    responses: { 200: jsonContent(Order, "The order now"), ...errorResponses(400, 401, 403, 404, 409) },
  });
}

const packDef = staffAction("/orders/{id}/pack", "Packed");
const dispatchDef = staffAction(
  "/orders/{id}/dispatch",
  "Sent to the pickup point: ready for pickup (buyer gets an SMS)",
);
const shipDef = staffAction("/orders/{id}/ship", "Shipped with a tracking number", ShipOrder);
const deliverDef = staffAction("/orders/{id}/deliver", "Delivered");
const handOverDef = createRoute({
  method: "post",
  path: "/orders/{id}/hand-over",
  tags: ["Fulfilment"],
  security: staffSecurity,
  summary: "Hand over at the service point with the buyer's code (and take the cash)",
  description:
    "Exactly one proof: pickupCode (the buyer's 6 digits); for an order placed for a villager, villagerSms (their phone and the code sent by POST /orders/{id}/pickup-sms) or idCheck. A wrong proof → 400 PICKUP_CODE_WRONG (details.attemptsLeft); the 5th locks the order → 409 PICKUP_LOCKED until an admin unlocks it; a collected order → 409 ALREADY_PICKED_UP. Every attempt is audited, without the code.",
  middleware: [requireStaff("agent", "admin"), idempotent()] as const,
  request: { params: IdParam, headers: IdempotencyHeader, body: json(HandOver) },
  responses: {
    200: jsonContent(Order.extend({ changeFen: z.number().int() }), "Handed over"),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const lookupDef = createRoute({
  method: "post",
  path: "/pickups/lookup",
  tags: ["Fulfilment"],
  security: staffSecurity,
  summary: "Find every order waiting at the point with the code the buyer shows",
  description:
    "An agent searches their own point (an admin names one). Nothing waiting → 404 (or 409 ALREADY_PICKED_UP), counted: after 10 such misses in 15 minutes lookups answer 429. The code travels in the body, never in a URL.",
  middleware: [requireStaff("agent", "admin")] as const,
  request: { body: json(PickupLookup) },
  responses: {
    200: jsonContent(PickupLookupResult, "The matching orders (several buyers may share a code)"),
    ...errorResponses(400, 401, 403, 404, 409, 429),
  },
});

const pickupSmsDef = createRoute({
  method: "post",
  path: "/orders/{id}/pickup-sms",
  tags: ["Fulfilment"],
  security: staffSecurity,
  summary: "Send a one-time pickup code to the villager's phone (orders placed for a villager)",
  description:
    "The phone must be the one on the villager's record (a wrong one counts as a wrong code). The code expires after 10 minutes, works once, and at most 3 are sent per order per hour (429).",
  middleware: [requireStaff("agent", "admin"), idempotent()] as const,
  request: { params: IdParam, headers: IdempotencyHeader, body: json(SendPickupSms) },
  responses: {
    200: jsonContent(PickupSmsSent, "Sent"),
    ...errorResponses(400, 401, 403, 404, 409, 429),
  },
});

const unlockPickupDef = createRoute({
  method: "post",
  path: "/orders/{id}/unlock-pickup",
  tags: ["Fulfilment"],
  security: staffSecurity,
  summary: "Admin: allow hand-over again after too many wrong codes (audited)",
  middleware: [requireStaff("admin"), idempotent()] as const,
  request: { params: IdParam, headers: IdempotencyHeader, body: json(UnlockPickup) },
  responses: { 200: jsonContent(Order, "The order now"), ...errorResponses(400, 401, 403, 404) },
});

const pickListDef = createRoute({
  method: "get",
  path: "/pick-lists",
  tags: ["Fulfilment"],
  security: staffSecurity,
  summary: "What to pick at a place, by product, with the lots to take (first-expiring first)",
  middleware: [requireStaff()] as const,
  request: { query: z.object({ locationId: z.string().min(1).max(64) }) },
  responses: { 200: jsonContent(PickList, "Pick list"), ...errorResponses(400, 401, 403) },
});

const optionsDef = createRoute({
  method: "get",
  path: "/checkout/options",
  tags,
  summary: "Payment methods offered now, and the delivery fee rule",
  responses: { 200: jsonContent(CheckoutOptions, "Options") },
});

// biome-ignore lint/suspicious/noExplicitAny: as above
const codesOf = (c: Context<any>) => pickupCodes(c.var.deps.env.PICKUP_CODE_SECRET);

/** The caller as the order rules see them: a staff login, or the order's access token. */
// biome-ignore lint/suspicious/noExplicitAny: as above
const callerOf = (c: Context<any>): OrderCaller => ({ staff: c.var.staff, orderToken: c.var.orderToken });

// biome-ignore lint/suspicious/noExplicitAny: as above
const view = (c: Context<any>, id: string) => orderViewFor(c.var.deps.db, id, callerOf(c), codesOf(c));

// biome-ignore lint/suspicious/noExplicitAny: as above
const staffOrder = (c: Context<any>, id: string) => orderForStaff(c.var.deps.db, id, callerOf(c));

export function orderRoutes() {
  return createRouter()
    .openapi(optionsDef, async (c) => {
      const terms = await checkoutTerms(c.var.deps.db);
      return c.json(
        {
          ...terms,
          paymentMethods: [...offeredPaymentMethods(c.var.deps.stripe)],
          stripePublishableKey: c.var.deps.env.STRIPE_PUBLISHABLE_KEY ?? null,
        },
        200,
      );
    })
    .openapi(createDef, async (c) => {
      const data = c.req.valid("json");
      const staff = c.var.staff;
      if (data.onBehalfOf && staff && data.fulfilment.type === "pickup") {
        assertServicePointAccess(staff, data.fulfilment.servicePointId);
      }
      // The key is claimed inside the order's own transaction (place-order.ts), not by the middleware.
      const idempotency = idempotentRequest(c, () => JSON.stringify(data));
      const outcome = await placeOrder(
        { db: c.var.deps.db, stripe: c.var.deps.stripe, pickupCodes: codesOf(c) },
        { data, staff, idempotency },
      );
      // No staff answer carries a pickup code, not even for an order staff placed (decision 0017).
      const forCaller = (body: OrderCreated): OrderCreated =>
        staff && body && typeof body === "object" && "pickupCode" in body
          ? { ...body, pickupCode: null }
          : body;
      if (outcome.kind === "replay") {
        c.header("Idempotent-Replayed", "true");
        return c.json(forCaller(outcome.body as OrderCreated), outcome.status as 201);
      }
      const order = forCaller(outcome.body);
      if (order.expiresAt) await c.var.deps.jobs.orderPlaced(order.id, new Date(order.expiresAt));
      await c.var.deps.jobs.notificationsQueued();
      return c.json(order, 201);
    })
    .openapi(getDef, async (c) => {
      // A buyer signed in by phone sees that phone's orders; a view token its one order (decision 0029).
      const grant = !c.var.staff ? buyerGrantOf(c) : null;
      if (grant) {
        const row = await getOrderRow(c.var.deps.db, c.req.valid("param").id);
        if (!row || !grantCovers(grant, row)) throw new ApiError("NOT_FOUND", "There is no such order.");
        return c.json(await view(c, row.id), 200);
      }
      const { order } = await orderForCaller(c.var.deps.db, c.req.valid("param").id, callerOf(c), {
        buyerAllowed: true,
      });
      return c.json(await view(c, order.id), 200);
    })
    .openapi(listDef, async (c) => {
      const q = c.req.valid("query");
      const staff = c.var.staff!;
      if (staff.role === "agent" && q.servicePointId && q.servicePointId !== staff.servicePointId) {
        throw new ApiError("FORBIDDEN", "This belongs to another service point.");
      }
      const page = await listOrders(c.var.deps.db, {
        status: q.status,
        pickupLocationId: staff.role === "agent" ? staff.servicePointId! : q.servicePointId,
        phone: q.phone,
        beforeId: q.cursor,
        limit: q.limit,
      });
      return c.json(page, 200);
    })
    .openapi(cancelDef, async (c) => {
      const { order, staff } = await orderForCaller(c.var.deps.db, c.req.valid("param").id, callerOf(c), {
        buyerAllowed: true,
      });
      const body = (c.req.valid("json") ?? {}) as { reason?: string };
      await cancelAsAsked({ ...c.var.deps, logger: c.var.logger }, order.id, {
        staffId: staff?.id,
        reason: body.reason,
      });
      await c.var.deps.jobs.notificationsQueued();
      return c.json(await view(c, order.id), 200);
    })
    .openapi(packDef, async (c) => {
      const { order, staff } = await staffOrder(c, c.req.valid("param").id);
      await packOrder(c.var.deps.db, order.id, staff);
      return c.json(await view(c, order.id), 200);
    })
    .openapi(dispatchDef, async (c) => {
      const { order, staff } = await staffOrder(c, c.req.valid("param").id);
      await dispatchToPickup(c.var.deps.db, order.id, staff);
      await c.var.deps.jobs.notificationsQueued();
      return c.json(await view(c, order.id), 200);
    })
    .openapi(shipDef, async (c) => {
      const { order, staff } = await staffOrder(c, c.req.valid("param").id);
      const { trackingNumber } = c.req.valid("json" as never) as { trackingNumber: string };
      await shipOrder(c.var.deps.db, order.id, staff, trackingNumber);
      await c.var.deps.jobs.notificationsQueued();
      return c.json(await view(c, order.id), 200);
    })
    .openapi(deliverDef, async (c) => {
      const { order, staff } = await staffOrder(c, c.req.valid("param").id);
      await markDelivered(c.var.deps.db, order.id, staff);
      return c.json(await view(c, order.id), 200);
    })
    .openapi(handOverDef, async (c) => {
      const { order, staff } = await staffOrder(c, c.req.valid("param").id);
      const { changeFen } = await handOver(c.var.deps.db, order.id, staff, c.req.valid("json"), {
        codes: codesOf(c),
        requestId: c.var.requestId,
      });
      await c.var.deps.jobs.notificationsQueued();
      return c.json({ ...(await view(c, order.id)), changeFen }, 200);
    })
    .openapi(lookupDef, async (c) => {
      const body = c.req.valid("json");
      if (body.servicePointId) {
        assertServicePointAccess(c.var.staff!, body.servicePointId);
      }
      const result = await lookupPickup(c.var.deps.db, codesOf(c), c.var.staff!, {
        ...body,
        requestId: c.var.requestId,
      });
      return c.json(result, 200);
    })
    .openapi(pickupSmsDef, async (c) => {
      const { order, staff } = await staffOrder(c, c.req.valid("param").id);
      const sent = await sendPickupSms(c.var.deps.db, codesOf(c), staff, {
        orderId: order.id,
        phone: c.req.valid("json").phone,
        requestId: c.var.requestId,
      });
      await c.var.deps.jobs.notificationsQueued();
      return c.json(sent, 200);
    })
    .openapi(unlockPickupDef, async (c) => {
      const { order, staff } = await staffOrder(c, c.req.valid("param").id);
      await unlockPickup(c.var.deps.db, staff, {
        orderId: order.id,
        reason: c.req.valid("json").reason,
        requestId: c.var.requestId,
      });
      return c.json(await view(c, order.id), 200);
    })
    .openapi(pickListDef, async (c) => {
      const { locationId } = c.req.valid("query");
      assertServicePointAccess(c.var.staff!, locationId, { allowWarehouse: true });
      return c.json(await pickList(c.var.deps.db, locationId), 200);
    });
}
