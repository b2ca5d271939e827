import { CreatePayout, Payout } from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { findConsignor } from "../domain/consignors/consignors";
import { createPayout, getPayout } from "../domain/settlement/payouts";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { assertServicePointAccess, requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

const tags = ["Settlement"];
const security = [{ bearerAuth: [] }];

const createDef = createRoute({
  method: "post",
  path: "/payouts",
  tags,
  security,
  summary: "Pay a villager from their balance (cash at the point, or transfer)",
  middleware: [requireStaff("agent", "admin"), idempotent()] as const,
  request: {
    headers: z.object({ "idempotency-key": z.string().optional() }),
    body: { required: true, content: { "application/json": { schema: CreatePayout } } },
  },
  responses: {
    201: jsonContent(Payout, "Paid: print the receipt for the villager to sign"),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const getDef = createRoute({
  method: "get",
  path: "/payouts/{id}",
  tags,
  security,
  summary: "One payout (for its printed receipt)",
  middleware: [requireStaff("agent", "admin")] as const,
  request: { params: z.object({ id: z.string().max(64) }) },
  responses: { 200: jsonContent(Payout, "The payout"), ...errorResponses(401, 403, 404) },
});

export function payoutRoutes() {
  return createRouter()
    .openapi(createDef, async (c) => {
      const body = c.req.valid("json");
      const consignor = await findConsignor(c.var.deps.db, body.consignorId);
      assertServicePointAccess(c.var.staff!, consignor.servicePointId);
      const id = await createPayout(c.var.deps.db, {
        consignor,
        amountFen: body.amountFen,
        method: body.method,
        note: body.note,
        actorUserId: c.var.staff!.id,
        requestId: c.var.requestId,
      });
      // The villager's payout SMS is in the outbox; wake its sender (after the commit, never failing this).
      await c.var.deps.jobs.notificationsQueued();
      return c.json(await getPayout(c.var.deps.db, id), 201);
    })
    .openapi(getDef, async (c) => {
      const payout = await getPayout(c.var.deps.db, c.req.valid("param").id);
      assertServicePointAccess(c.var.staff!, payout.servicePointId);
      return c.json(payout, 200);
    });
}
