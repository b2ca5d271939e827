import { chinaDate } from "@coop/shared";
import { CashDay, CashHandIn, ConfirmCashHandIn, CreateCashHandIn, OpenCash } from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { cashDay } from "../domain/cash/day-close";
import { confirmHandIn, submitHandIn } from "../domain/cash/hand-in";
import { openCash } from "../domain/cash/open-cash";
import { ApiError } from "../lib/errors";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

const tags = ["Cash (day-close and hand-ins)"];
const security = [{ bearerAuth: [] }];
const IdempotencyHeader = z.object({ "idempotency-key": z.string().optional() });

const dayDef = createRoute({
  method: "get",
  path: "/cash/day",
  tags,
  security,
  summary: "One agent's cash for one China day: taken at hand-overs, paid out, still to hand in",
  description:
    "Summed from the cash payment and payout rows, exact to the fen. An agent sees only their own day; an admin names the agent.",
  middleware: [requireStaff("agent", "admin")] as const,
  request: {
    query: z.object({
      date: z.iso.date().optional().meta({ description: "China day (UTC+8); default today" }),
      agentId: z.string().max(64).optional().meta({ description: "Default: yourself" }),
    }),
  },
  responses: { 200: jsonContent(CashDay, "The day's cash"), ...errorResponses(400, 401, 403, 404) },
});

const handInDef = createRoute({
  method: "post",
  path: "/cash/hand-ins",
  tags,
  security,
  summary:
    "Hand in a day's cash (the agent): the expected amount is computed now, a difference needs a reason",
  middleware: [requireStaff("agent"), idempotent()] as const,
  request: {
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: CreateCashHandIn } } },
  },
  responses: {
    201: jsonContent(CashHandIn, "Recorded: print the slip for the agent to sign"),
    ...errorResponses(400, 401, 403, 409),
  },
});

const confirmDef = createRoute({
  method: "post",
  path: "/cash/hand-ins/{id}/confirm",
  tags,
  security,
  summary: "Confirm a hand-in with the amount the admin counted",
  middleware: [requireStaff("admin"), idempotent()] as const,
  request: {
    params: z.object({ id: z.string().max(64) }),
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: ConfirmCashHandIn } } },
  },
  responses: {
    200: jsonContent(CashHandIn, "Confirmed"),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const openDef = createRoute({
  method: "get",
  path: "/cash/open",
  tags,
  security,
  summary: "Every agent's open cash (taken − paid out − handed in) and hand-ins awaiting confirmation",
  middleware: [requireStaff("admin")] as const,
  responses: { 200: jsonContent(OpenCash, "Open cash"), ...errorResponses(401, 403) },
});

export function cashRoutes() {
  return createRouter()
    .openapi(dayDef, async (c) => {
      const q = c.req.valid("query");
      const staff = c.var.staff!;
      if (staff.role === "agent" && q.agentId && q.agentId !== staff.id) {
        throw new ApiError("FORBIDDEN", "An agent sees only their own cash.");
      }
      return c.json(
        await cashDay(c.var.deps.db, q.agentId ?? staff.id, q.date ?? chinaDate(new Date())),
        200,
      );
    })
    .openapi(handInDef, async (c) => {
      const body = c.req.valid("json");
      const handIn = await submitHandIn(c.var.deps.db, {
        staff: c.var.staff!,
        ...body,
        requestId: c.var.requestId,
      });
      return c.json(handIn, 201);
    })
    .openapi(confirmDef, async (c) => {
      const handIn = await confirmHandIn(c.var.deps.db, {
        id: c.req.valid("param").id,
        staff: c.var.staff!,
        ...c.req.valid("json"),
        requestId: c.var.requestId,
      });
      return c.json(handIn, 200);
    })
    .openapi(openDef, async (c) => c.json(await openCash(c.var.deps.db), 200));
}
