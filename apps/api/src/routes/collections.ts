import { COLLECTION_STATUSES } from "@coop/shared";
import { Collection, CollectionList, CreateCollection, ReceiveCollection } from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { createCollection, getCollections, receiveCollection } from "../domain/collections/collections";
import { ApiError } from "../lib/errors";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { assertServicePointAccess, requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

const tags = ["Collections (service point → warehouse)"];
const security = [{ bearerAuth: [] }];
const IdParam = z.object({ id: z.string().max(64) });
const IdempotencyHeader = z.object({ "idempotency-key": z.string().optional() });

const createDef = createRoute({
  method: "post",
  path: "/collections",
  tags,
  security,
  summary: "Send lots from a service point to the warehouse",
  middleware: [requireStaff("agent", "warehouse", "admin"), idempotent()] as const,
  request: {
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: CreateCollection } } },
  },
  responses: { 201: jsonContent(Collection, "On its way"), ...errorResponses(400, 401, 403, 409) },
});

const listDef = createRoute({
  method: "get",
  path: "/collections",
  tags,
  security,
  summary: "Collection runs, newest first (an agent sees their point's)",
  middleware: [requireStaff()] as const,
  request: { query: z.object({ status: z.enum(COLLECTION_STATUSES).optional() }) },
  responses: { 200: jsonContent(CollectionList, "Runs"), ...errorResponses(400, 401) },
});

const getDef = createRoute({
  method: "get",
  path: "/collections/{id}",
  tags,
  security,
  summary: "One collection run",
  middleware: [requireStaff()] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(Collection, "The run"), ...errorResponses(401, 403, 404) },
});

const receiveDef = createRoute({
  method: "post",
  path: "/collections/{id}/receive",
  tags,
  security,
  summary: "Receive a run at the warehouse, recording discrepancies per lot",
  middleware: [requireStaff("warehouse", "admin"), idempotent()] as const,
  request: {
    params: IdParam,
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: ReceiveCollection } } },
  },
  responses: { 200: jsonContent(Collection, "Received"), ...errorResponses(400, 401, 403, 404, 409) },
});

export function collectionRoutes() {
  return createRouter()
    .openapi(createDef, async (c) => {
      const body = c.req.valid("json");
      assertServicePointAccess(c.var.staff!, body.fromServicePointId, { allowWarehouse: true });
      const id = await createCollection(c.var.deps.db, {
        ...body,
        actorUserId: c.var.staff!.id,
        requestId: c.var.requestId,
      });
      const [run] = await getCollections(c.var.deps.db, { ids: [id] });
      return c.json(run!, 201);
    })
    .openapi(listDef, async (c) => {
      const staff = c.var.staff!;
      const items = await getCollections(c.var.deps.db, {
        ...c.req.valid("query"),
        ...(staff.role === "agent" ? { fromLocationId: staff.servicePointId! } : {}),
      });
      return c.json({ items }, 200);
    })
    .openapi(getDef, async (c) => {
      const [run] = await getCollections(c.var.deps.db, { ids: [c.req.valid("param").id] });
      if (!run) throw new ApiError("NOT_FOUND", "There is no such collection.");
      assertServicePointAccess(c.var.staff!, run.fromLocationId, { allowWarehouse: true });
      return c.json(run, 200);
    })
    .openapi(receiveDef, async (c) => {
      const id = c.req.valid("param").id;
      await receiveCollection(c.var.deps.db, {
        runId: id,
        lines: c.req.valid("json").lines,
        actorUserId: c.var.staff!.id,
        requestId: c.var.requestId,
      });
      const [run] = await getCollections(c.var.deps.db, { ids: [id] });
      return c.json(run!, 200);
    });
}
