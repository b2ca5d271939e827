import { coops } from "@coop/db/schema";
import {
  CheckoutOptions,
  CreateOrder,
  HandOver,
  ORDER_STATUS_VALUES,
  Order,
  OrderCreated,
  OrderList,
  PickList,
  RefundOrder,
  ShipOrder,
} from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { asc } from "drizzle-orm";
import type { Context } from "hono";
import { hashToken } from "../domain/auth/tokens";
import {
  dispatchToPickup,
  handOver,
  markDelivered,
  packOrder,
  pickList,
  shipOrder,
} from "../domain/orders/fulfilment";
import { applyAtStripe, cancelOrder } from "../domain/orders/order-lifecycle";
import { getOrderRow, listOrders, orderViews } from "../domain/orders/order-views";
import { placeOrder } from "../domain/orders/place-order";
import type { StaffPrincipal } from "../lib/context";
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

/**
 * Who may see or act on an order: its buyer (the order's access token), admins and warehouse staff, and
 * the agent of its pickup point. Anyone else gets 404 rather than 403, so order ids cannot be probed.
 */
// biome-ignore lint/suspicious/noExplicitAny: routes with and without requireStaff have different context types
async function loadOrderFor(c: Context<any>, id: string, options: { buyerAllowed: boolean }) {
  const order = await getOrderRow(c.var.deps.db, id);
  const staff = c.var.staff;
  const isBuyer = Boolean(order && c.var.orderToken && hashToken(c.var.orderToken) === order.accessTokenHash);
  if (!order || (!staff && !isBuyer)) {
    if (!staff && !c.var.orderToken)
      throw new ApiError("UNAUTHENTICATED", "Open the order from its link, or log in.");
    throw new ApiError("NOT_FOUND", "There is no such order.");
  }
  if (isBuyer && !staff) {
    if (!options.buyerAllowed) throw new ApiError("FORBIDDEN", "Only the co-op can do this.");
    return { order, staff: undefined };
  }
  if (staff!.role === "agent" && staff!.servicePointId !== order.pickupLocationId) {
    throw new ApiError("FORBIDDEN", "This order belongs to another service point.");
  }
  return { order, staff };
}

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
      pickupCode: z
        .string()
        .regex(/^\d{6}$/)
        .optional()
        .meta({ description: "Find the order a buyer shows at the point" }),
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
  summary: "Hand over at the service point after checking the 6-digit code (and taking the cash)",
  middleware: [requireStaff("agent", "admin"), idempotent()] as const,
  request: { params: IdParam, headers: IdempotencyHeader, body: json(HandOver) },
  responses: {
    200: jsonContent(Order.extend({ changeFen: z.number().int() }), "Handed over"),
    ...errorResponses(400, 401, 403, 404, 409),
  },
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
async function view(c: Context<any>, id: string) {
  const row = await getOrderRow(c.var.deps.db, id);
  const [order] = await orderViews(c.var.deps.db, [row!]);
  return order!;
}

function fulfilmentStaff(staff: StaffPrincipal | undefined): StaffPrincipal {
  if (!staff) throw new ApiError("UNAUTHENTICATED", "Please log in first.");
  return staff;
}

export function orderRoutes() {
  return createRouter()
    .openapi(optionsDef, async (c) => {
      const [coop] = await c.var.deps.db.select().from(coops).orderBy(asc(coops.code)).limit(1);
      return c.json(
        {
          paymentMethods: [...offeredPaymentMethods(c.var.deps.stripe)],
          deliveryFeeFen: coop?.deliveryFeeFen ?? 0,
          freeDeliveryOverFen: coop?.freeDeliveryOverFen ?? null,
          stripePublishableKey: c.var.deps.env.STRIPE_PUBLISHABLE_KEY ?? null,
          unpaidOrderSeconds: coop?.unpaidOrderSeconds ?? 1800,
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
        { db: c.var.deps.db, stripe: c.var.deps.stripe },
        { data, staff, idempotency },
      );
      if (outcome.kind === "replay") {
        c.header("Idempotent-Replayed", "true");
        return c.json(outcome.body as OrderCreated, outcome.status as 201);
      }
      const order = outcome.body;
      if (order.expiresAt) await c.var.deps.jobs.orderPlaced(order.id, new Date(order.expiresAt));
      await c.var.deps.jobs.notificationsQueued();
      return c.json(order, 201);
    })
    .openapi(getDef, async (c) => {
      const { order } = await loadOrderFor(c, c.req.valid("param").id, { buyerAllowed: true });
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
        pickupCode: q.pickupCode,
        beforeId: q.cursor,
        limit: q.limit,
      });
      return c.json(page, 200);
    })
    .openapi(cancelDef, async (c) => {
      const { order, staff } = await loadOrderFor(c, c.req.valid("param").id, { buyerAllowed: true });
      const body = (c.req.valid("json") ?? {}) as { reason?: string };
      const after = await c.var.deps.db.transaction((tx) =>
        cancelOrder(tx, order.id, {
          actorUserId: staff?.id,
          reason: body.reason ?? (staff ? "cancelled by staff" : "cancelled by the buyer"),
          byBuyer: !staff,
        }),
      );
      await applyAtStripe(c.var.deps.stripe, after, order.id);
      await c.var.deps.jobs.notificationsQueued();
      return c.json(await view(c, order.id), 200);
    })
    .openapi(packDef, async (c) => {
      const { order, staff } = await loadOrderFor(c, c.req.valid("param").id, { buyerAllowed: false });
      await c.var.deps.db.transaction((tx) => packOrder(tx, order.id, fulfilmentStaff(staff)));
      return c.json(await view(c, order.id), 200);
    })
    .openapi(dispatchDef, async (c) => {
      const { order, staff } = await loadOrderFor(c, c.req.valid("param").id, { buyerAllowed: false });
      await c.var.deps.db.transaction((tx) => dispatchToPickup(tx, order.id, fulfilmentStaff(staff)));
      await c.var.deps.jobs.notificationsQueued();
      return c.json(await view(c, order.id), 200);
    })
    .openapi(shipDef, async (c) => {
      const { order, staff } = await loadOrderFor(c, c.req.valid("param").id, { buyerAllowed: false });
      const { trackingNumber } = c.req.valid("json" as never) as { trackingNumber: string };
      await c.var.deps.db.transaction((tx) =>
        shipOrder(tx, order.id, fulfilmentStaff(staff), trackingNumber),
      );
      await c.var.deps.jobs.notificationsQueued();
      return c.json(await view(c, order.id), 200);
    })
    .openapi(deliverDef, async (c) => {
      const { order, staff } = await loadOrderFor(c, c.req.valid("param").id, { buyerAllowed: false });
      await c.var.deps.db.transaction((tx) => markDelivered(tx, order.id, fulfilmentStaff(staff)));
      return c.json(await view(c, order.id), 200);
    })
    .openapi(handOverDef, async (c) => {
      const { order, staff } = await loadOrderFor(c, c.req.valid("param").id, { buyerAllowed: false });
      const { changeFen } = await c.var.deps.db.transaction((tx) =>
        handOver(tx, order.id, fulfilmentStaff(staff), c.req.valid("json")),
      );
      await c.var.deps.jobs.notificationsQueued();
      return c.json({ ...(await view(c, order.id)), changeFen }, 200);
    })
    .openapi(pickListDef, async (c) => {
      const { locationId } = c.req.valid("query");
      assertServicePointAccess(c.var.staff!, locationId, { allowWarehouse: true });
      return c.json(await pickList(c.var.deps.db, locationId), 200);
    });
}
