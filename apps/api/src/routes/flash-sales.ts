import { FlashSale, FlashSaleList, ScheduleFlashSale } from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { closeFlashSaleNow } from "../domain/flash-sales/close-flash-sale";
import {
  getFlashSale,
  listCurrentFlashSales,
  listFlashSalesForAdmin,
} from "../domain/flash-sales/flash-sale-views";
import { scheduleFlashSale } from "../domain/flash-sales/schedule-flash-sale";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

const tags = ["Flash sales"];
const security = [{ bearerAuth: [] }];
const IdParam = z.object({ id: z.string().max(64) });
const IdempotencyHeader = z.object({ "idempotency-key": z.string().optional() });

const listDef = createRoute({
  method: "get",
  path: "/flash-sales",
  tags,
  summary: "Flash sales not over yet (upcoming and live), soonest first",
  responses: { 200: jsonContent(FlashSaleList, "Sales") },
});

const adminListDef = createRoute({
  method: "get",
  path: "/admin/flash-sales",
  tags,
  security,
  summary: "Every flash sale of the co-op, newest first, with what each sold (admin)",
  middleware: [requireStaff("admin")] as const,
  responses: { 200: jsonContent(FlashSaleList, "Sales"), ...errorResponses(401, 403) },
});

const getDef = createRoute({
  method: "get",
  path: "/flash-sales/{id}",
  tags,
  summary: "One flash sale: price, times, units left (at most a second old), the server's clock",
  description:
    "Cheap to ask often: each API process reads a sale at most once a second, and the answer may be cached for a second. Order with POST /v1/orders and flashSaleId.",
  request: { params: IdParam },
  responses: { 200: jsonContent(FlashSale, "The sale"), ...errorResponses(404) },
});

const scheduleDef = createRoute({
  method: "post",
  path: "/flash-sales",
  tags,
  security,
  summary: "Schedule a flash sale (admin): the quantity is set aside at the warehouse at once",
  description:
    "Too little free at the warehouse → 409 OUT_OF_STOCK with what is free. What is not sold goes back to normal stock within a minute of the end (or when closed early).",
  middleware: [requireStaff("admin"), idempotent()] as const,
  request: {
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: ScheduleFlashSale } } },
  },
  responses: { 201: jsonContent(FlashSale, "Scheduled"), ...errorResponses(400, 401, 403, 409) },
});

const closeDef = createRoute({
  method: "post",
  path: "/flash-sales/{id}/close",
  tags,
  security,
  summary: "End a flash sale now (admin): what is left goes back to normal stock",
  middleware: [requireStaff("admin"), idempotent()] as const,
  request: { params: IdParam, headers: IdempotencyHeader },
  responses: { 200: jsonContent(FlashSale, "Closed"), ...errorResponses(401, 403, 404, 409) },
});

export function flashSaleRoutes() {
  return createRouter()
    .openapi(listDef, async (c) => {
      c.header("Cache-Control", "public, max-age=5");
      return c.json({ items: await listCurrentFlashSales(c.var.deps.db) }, 200);
    })
    .openapi(adminListDef, async (c) =>
      c.json({ items: await listFlashSalesForAdmin(c.var.deps.db, c.var.staff!.coopId) }, 200),
    )
    .openapi(getDef, async (c) => {
      const sale = await getFlashSale(c.var.deps.db, c.req.valid("param").id);
      c.header("Cache-Control", "public, max-age=1");
      return c.json(sale, 200);
    })
    .openapi(scheduleDef, async (c) => {
      const staff = c.var.staff!;
      const { id } = await scheduleFlashSale(c.var.deps.db, {
        coopId: staff.coopId,
        actorUserId: staff.id,
        requestId: c.var.requestId,
        data: c.req.valid("json"),
      });
      return c.json(await getFlashSale(c.var.deps.db, id, { fresh: true }), 201);
    })
    .openapi(closeDef, async (c) => {
      const staff = c.var.staff!;
      const id = c.req.valid("param").id;
      await closeFlashSaleNow(c.var.deps.db, {
        coopId: staff.coopId,
        saleId: id,
        actorUserId: staff.id,
        requestId: c.var.requestId,
      });
      return c.json(await getFlashSale(c.var.deps.db, id, { fresh: true }), 200);
    });
}
