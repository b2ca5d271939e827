import {
  BuildDeliveryRuns,
  DELIVERY_RUN_STATUS_VALUES,
  DeliveryRun,
  DeliveryRunList,
  DeliveryRunsBuilt,
  PointsWaitingForDelivery,
  ReceiveDeliveryRun,
} from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { buildDeliveryRuns } from "../domain/deliveries/build-runs";
import { dispatchDeliveryRun } from "../domain/deliveries/dispatch-run";
import { receiveDeliveryRun } from "../domain/deliveries/receive-run";
import { refundShortLine } from "../domain/deliveries/refund-line";
import { resendShortLine } from "../domain/deliveries/resend";
import { getDeliveryRun, listDeliveryRuns, pointsWaitingForDelivery } from "../domain/deliveries/run-views";
import { sendOwedRefunds } from "../domain/payments/stripe-refunds";
import type { AppEnv, StaffPrincipal } from "../lib/context";
import { ApiError } from "../lib/errors";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { assertServicePointAccess, requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

const tags = ["Delivery runs (warehouse → service point)"];
const security = [{ bearerAuth: [] }];
const IdParam = z.object({ id: z.string().max(64) });
const LineParams = z.object({ id: z.string().max(64), lineId: z.string().max(64) });
const IdempotencyHeader = z.object({ "idempotency-key": z.string().optional() });
const json = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

const waitingDef = createRoute({
  method: "get",
  path: "/delivery-runs/waiting",
  tags,
  security,
  summary: "Service points with orders waiting at the warehouse to be sent",
  middleware: [requireStaff("warehouse", "admin")] as const,
  responses: { 200: jsonContent(PointsWaitingForDelivery, "Points"), ...errorResponses(401, 403) },
});

const buildDef = createRoute({
  method: "post",
  path: "/delivery-runs",
  tags,
  security,
  summary: "Put waiting orders onto their point's open run (all points, or one)",
  description:
    "Every pickup order line still at the warehouse joins the open (packing) run to its point; a point has one open run at a time.",
  middleware: [requireStaff("warehouse", "admin"), idempotent()] as const,
  request: { headers: IdempotencyHeader, body: json(BuildDeliveryRuns) },
  responses: {
    201: jsonContent(DeliveryRunsBuilt, "Runs that gained orders"),
    ...errorResponses(400, 401, 403, 409),
  },
});

const listDef = createRoute({
  method: "get",
  path: "/delivery-runs",
  tags,
  security,
  summary: "Delivery runs, newest first (an agent sees the runs to their point)",
  middleware: [requireStaff()] as const,
  request: {
    query: z.object({
      status: z.enum(DELIVERY_RUN_STATUS_VALUES).optional(),
      servicePointId: z.string().max(64).optional(),
    }),
  },
  responses: { 200: jsonContent(DeliveryRunList, "Runs"), ...errorResponses(400, 401, 403) },
});

const getDef = createRoute({
  method: "get",
  path: "/delivery-runs/{id}",
  tags,
  security,
  summary: "One run with its pick list and its packing manifest",
  middleware: [requireStaff()] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(DeliveryRun, "The run"), ...errorResponses(401, 403, 404) },
});

const dispatchDef = createRoute({
  method: "post",
  path: "/delivery-runs/{id}/dispatch",
  tags,
  security,
  summary: "The run leaves the warehouse: its stock moves into transit",
  middleware: [requireStaff("warehouse", "admin"), idempotent()] as const,
  request: { params: IdParam, headers: IdempotencyHeader },
  responses: { 200: jsonContent(DeliveryRun, "On its way"), ...errorResponses(401, 403, 404, 409) },
});

const receiveDef = createRoute({
  method: "post",
  path: "/delivery-runs/{id}/receive",
  tags,
  security,
  summary: "The agent counts the run in at the point; complete orders become ready for pickup",
  middleware: [requireStaff("agent", "admin"), idempotent()] as const,
  request: { params: IdParam, headers: IdempotencyHeader, body: json(ReceiveDeliveryRun) },
  responses: {
    200: jsonContent(DeliveryRun.extend({ readyOrderIds: z.array(z.string()) }), "Received"),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const resendDef = createRoute({
  method: "post",
  path: "/delivery-runs/{id}/lines/{lineId}/resend",
  tags,
  security,
  summary: "Send a short line's missing part again, on the point's next run",
  middleware: [requireStaff("warehouse", "admin"), idempotent()] as const,
  request: { params: LineParams, headers: IdempotencyHeader },
  responses: { 200: jsonContent(DeliveryRun, "The run it joined"), ...errorResponses(401, 403, 404, 409) },
});

const refundDef = createRoute({
  method: "post",
  path: "/delivery-runs/{id}/lines/{lineId}/refund",
  tags,
  security,
  summary: "Give back the money for a paid order's short line's missing part",
  description:
    "Only for a received line of a paid order that arrived short and is not yet re-sent. The order keeps what arrived (its total drops by the missing part), the villager's credit for the missing units is reversed, the payment is refunded by that amount (Stripe, after commit), the buyer gets an SMS, and the order is ready for pickup when nothing else of it is on its way.",
  middleware: [requireStaff("warehouse", "admin"), idempotent()] as const,
  request: { params: LineParams, headers: IdempotencyHeader },
  responses: {
    200: jsonContent(
      DeliveryRun.extend({
        refundedFen: z.number().int(),
        refundSent: z.boolean().meta({ description: "false: recorded, but Stripe did not take it (logged)" }),
        orderReady: z.boolean(),
      }),
      "The run, with the amount refunded",
    ),
    ...errorResponses(401, 403, 404, 409),
  },
});

/** An agent may see only runs to their own point; warehouse staff and admins see all. */
function assertRunAccess(staff: StaffPrincipal, run: { toLocationId: string }) {
  assertServicePointAccess(staff, run.toLocationId, { allowWarehouse: true });
}

async function runView(c: Context<AppEnv>, id: string) {
  const run = await getDeliveryRun(c.var.deps.db, id);
  if (!run) throw new ApiError("NOT_FOUND", "There is no such delivery run.");
  return run;
}

export function deliveryRunRoutes() {
  return createRouter()
    .openapi(waitingDef, async (c) => {
      return c.json({ items: await pointsWaitingForDelivery(c.var.deps.db, c.var.staff.coopId) }, 200);
    })
    .openapi(buildDef, async (c) => {
      const staff = c.var.staff;
      const ids = await buildDeliveryRuns(c.var.deps.db, {
        coopId: staff.coopId,
        servicePointId: c.req.valid("json").servicePointId,
        actorUserId: staff.id,
        requestId: c.var.requestId,
      });
      const all = await listDeliveryRuns(c.var.deps.db, { coopId: staff.coopId, status: "packing" });
      return c.json({ items: all.filter((r) => ids.includes(r.id)) }, 201);
    })
    .openapi(listDef, async (c) => {
      const staff = c.var.staff;
      const query = c.req.valid("query");
      if (staff.role === "agent" && query.servicePointId && query.servicePointId !== staff.servicePointId) {
        throw new ApiError("FORBIDDEN", "This belongs to another service point.");
      }
      const items = await listDeliveryRuns(c.var.deps.db, {
        coopId: staff.coopId,
        status: query.status,
        toLocationId: staff.role === "agent" ? staff.servicePointId! : query.servicePointId,
      });
      return c.json({ items }, 200);
    })
    .openapi(getDef, async (c) => {
      const run = await runView(c as never, c.req.valid("param").id);
      assertRunAccess(c.var.staff, run);
      return c.json(run, 200);
    })
    .openapi(dispatchDef, async (c) => {
      const id = c.req.valid("param").id;
      await dispatchDeliveryRun(c.var.deps.db, {
        runId: id,
        actorUserId: c.var.staff.id,
        requestId: c.var.requestId,
      });
      return c.json(await runView(c as never, id), 200);
    })
    .openapi(receiveDef, async (c) => {
      const id = c.req.valid("param").id;
      const { readyOrderIds } = await receiveDeliveryRun(c.var.deps.db, {
        runId: id,
        staff: c.var.staff,
        lines: c.req.valid("json").lines,
        requestId: c.var.requestId,
      });
      await c.var.deps.jobs.notificationsQueued();
      return c.json({ ...(await runView(c as never, id)), readyOrderIds }, 200);
    })
    .openapi(resendDef, async (c) => {
      const { id, lineId } = c.req.valid("param");
      const nextRunId = await resendShortLine(c.var.deps.db, {
        runId: id,
        lineId,
        actorUserId: c.var.staff.id,
        requestId: c.var.requestId,
      });
      return c.json(await runView(c as never, nextRunId), 200);
    })
    .openapi(refundDef, async (c) => {
      const { id, lineId } = c.req.valid("param");
      const refund = await refundShortLine(c.var.deps.db, {
        runId: id,
        lineId,
        actorUserId: c.var.staff.id,
        requestId: c.var.requestId,
      });
      // Owed in the database with the refund itself: what Stripe cannot take now, the sweep sends later.
      const atStripe = refund.refundKey
        ? await sendOwedRefunds({ ...c.var.deps, logger: c.var.logger }, [refund.refundKey])
        : { sent: [], retrying: [], failed: [] };
      const refundSent = atStripe.retrying.length === 0 && atStripe.failed.length === 0;
      await c.var.deps.jobs.notificationsQueued();
      return c.json(
        {
          ...(await runView(c as never, id)),
          refundedFen: refund.amountFen,
          refundSent,
          orderReady: refund.ready,
        },
        200,
      );
    });
}
