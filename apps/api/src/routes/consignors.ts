import { startOfChinaMonth } from "@coop/shared";
import {
  Consignor,
  ConsignorRoster,
  ConsignorSearch,
  CreateConsignor,
  Created,
  Statement,
  UpdateConsignor,
} from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import {
  createConsignor,
  findConsignor,
  pointRoster,
  projectConsignor,
  searchConsignors,
  updateConsignor,
} from "../domain/consignors/consignors";
import { buildStatement } from "../domain/settlement/statement";
import { ApiError } from "../lib/errors";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { visibleServicePoints } from "../lib/scope";
import { assertServicePointAccess, requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

const tags = ["Villagers (consignors)"];
const security = [{ bearerAuth: [] }];
const IdParam = z.object({ id: z.string().max(64) });
const IdempotencyHeader = z.object({ "idempotency-key": z.string().optional() });

const searchRoute = createRoute({
  method: "get",
  path: "/consignors",
  tags,
  security,
  summary: "Find villagers by phone or name",
  middleware: [requireStaff("agent", "admin")] as const,
  request: {
    query: z.object({
      q: z.string().trim().min(1, "type a phone number or a name").max(40),
      servicePointId: z.string().optional(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
  },
  responses: { 200: jsonContent(ConsignorSearch, "Matches"), ...errorResponses(400, 401, 403) },
});

const rosterRoute = createRoute({
  method: "get",
  path: "/consignors/roster",
  tags,
  security,
  summary: "Every villager of one service point, a page at a time",
  description:
    "For the agent's phone to keep the point's villagers for intake with no network. Keyset paging: pass nextCursor back as cursor until it is null.",
  middleware: [requireStaff("agent", "admin")] as const,
  request: {
    query: z.object({
      servicePointId: z.string().min(1).max(64),
      cursor: z.string().max(64).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(200),
    }),
  },
  responses: {
    200: jsonContent(ConsignorRoster, "A page of the point's villagers"),
    ...errorResponses(400, 401, 403),
  },
});

const createRouteDef = createRoute({
  method: "post",
  path: "/consignors",
  tags,
  security,
  summary: "Register a villager at a service point",
  description:
    "The Idempotency-Key is kept on the villager: the same key again, at any time (also after its idempotency record is gone), answers that villager (201); with another phone or point it is refused (409 IDEMPOTENCY_KEY_REUSED). A phone already registered is refused (409 ALREADY_EXISTS, details name the villager), unless it was registered by this same key.",
  middleware: [requireStaff("agent", "admin"), idempotent()] as const,
  request: {
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: CreateConsignor } } },
  },
  responses: { 201: jsonContent(Created, "Registered"), ...errorResponses(400, 401, 403, 409) },
});

const getRouteDef = createRoute({
  method: "get",
  path: "/consignors/{id}",
  tags,
  security,
  summary: "One villager, with their balance",
  middleware: [requireStaff("agent", "admin")] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(Consignor, "The villager"), ...errorResponses(401, 403, 404) },
});

const patchRoute = createRoute({
  method: "patch",
  path: "/consignors/{id}",
  tags,
  security,
  summary: "Correct a villager's name or village, or record their consent",
  middleware: [requireStaff("agent", "admin")] as const,
  request: {
    params: IdParam,
    body: { required: true, content: { "application/json": { schema: UpdateConsignor } } },
  },
  responses: { 200: jsonContent(Consignor, "Updated"), ...errorResponses(400, 401, 403, 404) },
});

const statementRoute = createRoute({
  method: "get",
  path: "/consignors/{id}/statement",
  tags,
  security,
  summary: "A villager's statement for a period (default: this month so far)",
  middleware: [requireStaff("agent", "admin")] as const,
  request: {
    params: IdParam,
    query: z.object({
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
    }),
  },
  responses: {
    200: jsonContent(Statement, "Opening, every line, closing"),
    ...errorResponses(400, 401, 403, 404),
  },
});

export function consignorRoutes() {
  return createRouter()
    .openapi(searchRoute, async (c) => {
      const { q, servicePointId, limit } = c.req.valid("query");
      const scope = visibleServicePoints(c.var.staff!, servicePointId);
      return c.json(await searchConsignors(c.var.deps.db, { q, servicePointIds: scope, limit }), 200);
    })
    .openapi(rosterRoute, async (c) => {
      const { servicePointId, cursor, limit } = c.req.valid("query");
      assertServicePointAccess(c.var.staff!, servicePointId);
      return c.json(await pointRoster(c.var.deps.db, { servicePointId, afterId: cursor, limit }), 200);
    })
    .openapi(createRouteDef, async (c) => {
      const data = c.req.valid("json");
      assertServicePointAccess(c.var.staff!, data.servicePointId);
      const clientCommandId = c.req.header("idempotency-key");
      const result = await createConsignor(c.var.deps.db, {
        data,
        actorUserId: c.var.staff!.id,
        requestId: c.var.requestId,
        ...(clientCommandId ? { clientCommandId } : {}),
      });
      return c.json(result, 201);
    })
    .openapi(getRouteDef, async (c) => {
      const consignor = await findConsignor(c.var.deps.db, c.req.valid("param").id);
      assertServicePointAccess(c.var.staff!, consignor.servicePointId);
      return c.json(projectConsignor(consignor), 200);
    })
    .openapi(patchRoute, async (c) => {
      const consignor = await findConsignor(c.var.deps.db, c.req.valid("param").id);
      assertServicePointAccess(c.var.staff!, consignor.servicePointId);
      const updated = await updateConsignor(c.var.deps.db, consignor, {
        data: c.req.valid("json"),
        actorUserId: c.var.staff!.id,
        requestId: c.var.requestId,
      });
      return c.json(updated, 200);
    })
    .openapi(statementRoute, async (c) => {
      const consignor = await findConsignor(c.var.deps.db, c.req.valid("param").id);
      assertServicePointAccess(c.var.staff!, consignor.servicePointId);
      const query = c.req.valid("query");
      const to = query.to ? new Date(query.to) : new Date(Date.now() + 1000);
      const from = query.from ? new Date(query.from) : startOfChinaMonth(to);
      if (from >= to) {
        throw new ApiError("VALIDATION_FAILED", "The period must start before it ends.", {
          fields: [{ path: "from", message: "must be before to" }],
        });
      }
      return c.json(await buildStatement(c.var.deps.db, consignor, from, to), 200);
    });
}
