import {
  Campaign,
  CampaignList,
  CampaignPledgeList,
  CampaignRun,
  OpenCampaign,
  RecordPledge,
} from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { allocateCampaign } from "../domain/campaigns/allocate";
import {
  getCampaign,
  listCampaignsForAdmin,
  listCurrentCampaigns,
  listPledges,
} from "../domain/campaigns/campaign-views";
import { finishCampaignNow } from "../domain/campaigns/finish";
import { openCampaign } from "../domain/campaigns/open-campaign";
import { recordPledge } from "../domain/campaigns/record-pledge";
import { ApiError } from "../lib/errors";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

const tags = ["Harvest campaigns"];
const security = [{ bearerAuth: [] }];
const IdParam = z.object({ id: z.string().max(64) });
const IdempotencyHeader = z.object({ "idempotency-key": z.string().optional() });

const listDef = createRoute({
  method: "get",
  path: "/campaigns",
  tags,
  summary: "Harvest campaigns not finished (订单农业), the soonest to close first",
  responses: { 200: jsonContent(CampaignList, "Campaigns") },
});

const adminListDef = createRoute({
  method: "get",
  path: "/admin/campaigns",
  tags,
  security,
  summary: "Every harvest campaign of the co-op, newest first (admin)",
  middleware: [requireStaff("admin")] as const,
  responses: { 200: jsonContent(CampaignList, "Campaigns"), ...errorResponses(401, 403) },
});

const getDef = createRoute({
  method: "get",
  path: "/campaigns/{id}",
  tags,
  summary: "One harvest campaign: price, cap and what is left, the harvest window, the limits",
  description:
    "What the campaign page shows before a buyer pays. Pre-order with POST /v1/orders and campaignId. The shortfall rule: the harvest goes to pre-orders in the order they were placed; pre-orders it cannot fill by the end of the harvest window are refunded in full (paid online) or cancelled (cash at pickup), each with an SMS.",
  request: { params: IdParam },
  responses: { 200: jsonContent(Campaign, "The campaign"), ...errorResponses(404) },
});

const openDef = createRoute({
  method: "post",
  path: "/campaigns",
  tags,
  security,
  summary: "Open a harvest campaign (admin): product, price, cap, limits, pre-order and harvest dates",
  description:
    "Buyers can pre-order up to the smaller of the cap and what villagers have pledged (POST /v1/campaigns/{id}/pledges).",
  middleware: [requireStaff("admin"), idempotent()] as const,
  request: {
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: OpenCampaign } } },
  },
  responses: { 201: jsonContent(Campaign, "Opened"), ...errorResponses(400, 401, 403, 409) },
});

const pledgesDef = createRoute({
  method: "get",
  path: "/campaigns/{id}/pledges",
  tags,
  security,
  summary: "A campaign's pledges and what has been delivered on each (an agent: their own point's villagers)",
  middleware: [requireStaff("admin", "agent")] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(CampaignPledgeList, "Pledges"), ...errorResponses(401, 403, 404) },
});

const pledgeDef = createRoute({
  method: "post",
  path: "/campaigns/{id}/pledges",
  tags,
  security,
  summary: "Record or change a villager's pledge (the villager's agent, or an admin)",
  description:
    "Sets how many sale units the villager will deliver; a second call for the same villager changes it. The pledges together never go below what buyers have pre-ordered (409 INVALID_STATE). Taken until pre-orders close.",
  middleware: [requireStaff("admin", "agent"), idempotent()] as const,
  request: {
    params: IdParam,
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: RecordPledge } } },
  },
  responses: {
    200: jsonContent(Campaign, "The campaign with the pledge counted"),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const allocateDef = createRoute({
  method: "post",
  path: "/campaigns/{id}/allocate",
  tags,
  security,
  summary: "Allocate the harvest now (admin): what is at the warehouse goes to pre-orders in placement order",
  description:
    "The sweep does this every minute once pre-orders close; this is for not waiting. Safe to repeat.",
  middleware: [requireStaff("admin"), idempotent()] as const,
  request: { params: IdParam, headers: IdempotencyHeader },
  responses: { 200: jsonContent(CampaignRun, "Allocated"), ...errorResponses(401, 403, 404) },
});

const finishDef = createRoute({
  method: "post",
  path: "/campaigns/{id}/finish",
  tags,
  security,
  summary:
    "Finish a campaign now (admin): last allocation, the shortfall refunded or cancelled, villagers told",
  description:
    "The sweep does this the day after the harvest window ends. Before pre-orders close, or once finished → 409 INVALID_STATE.",
  middleware: [requireStaff("admin"), idempotent()] as const,
  request: { params: IdParam, headers: IdempotencyHeader },
  responses: { 200: jsonContent(CampaignRun, "Finished"), ...errorResponses(401, 403, 404, 409) },
});

export function campaignRoutes() {
  return createRouter()
    .openapi(listDef, async (c) => {
      c.header("Cache-Control", "public, max-age=5");
      return c.json({ items: await listCurrentCampaigns(c.var.deps.db) }, 200);
    })
    .openapi(adminListDef, async (c) =>
      c.json({ items: await listCampaignsForAdmin(c.var.deps.db, c.var.staff!.coopId) }, 200),
    )
    .openapi(getDef, async (c) => {
      const campaign = await getCampaign(c.var.deps.db, c.req.valid("param").id);
      c.header("Cache-Control", "public, max-age=2");
      return c.json(campaign, 200);
    })
    .openapi(openDef, async (c) => {
      const staff = c.var.staff!;
      const { id } = await openCampaign(c.var.deps.db, {
        coopId: staff.coopId,
        actorUserId: staff.id,
        requestId: c.var.requestId,
        data: c.req.valid("json"),
      });
      return c.json(await getCampaign(c.var.deps.db, id), 201);
    })
    .openapi(pledgesDef, async (c) => {
      const staff = c.var.staff!;
      // An agent sees their own point's villagers only (an agent without a point: none).
      if (staff.role === "agent" && !staff.servicePointId) return c.json({ items: [] }, 200);
      const items = await listPledges(c.var.deps.db, {
        coopId: staff.coopId,
        campaignId: c.req.valid("param").id,
        servicePointId: staff.role === "agent" ? staff.servicePointId : null,
      });
      return c.json({ items }, 200);
    })
    .openapi(pledgeDef, async (c) => {
      const staff = c.var.staff!;
      const id = c.req.valid("param").id;
      await recordPledge(c.var.deps.db, {
        staff,
        campaignId: id,
        requestId: c.var.requestId,
        data: c.req.valid("json"),
      });
      return c.json(await getCampaign(c.var.deps.db, id), 200);
    })
    .openapi(allocateDef, async (c) => {
      const staff = c.var.staff!;
      const id = c.req.valid("param").id;
      const campaign = await getCampaign(c.var.deps.db, id, staff.coopId);
      const result = await allocateCampaign(c.var.deps.db, campaign.id);
      return c.json(
        {
          allocatedOrders: result.allocatedOrders,
          allocatedUnits: result.allocatedUnits,
          shortOrders: 0,
          campaign: await getCampaign(c.var.deps.db, id),
        },
        200,
      );
    })
    .openapi(finishDef, async (c) => {
      const staff = c.var.staff!;
      const id = c.req.valid("param").id;
      const result = await finishCampaignNow(
        { db: c.var.deps.db, stripe: c.var.deps.stripe, logger: c.var.logger },
        { coopId: staff.coopId, campaignId: id, actorUserId: staff.id, requestId: c.var.requestId },
      );
      if (!result.finished) throw new ApiError("INVALID_STATE", "This harvest campaign is finished already.");
      const { finished: _, ...run } = result;
      return c.json({ ...run, campaign: await getCampaign(c.var.deps.db, id) }, 200);
    });
}
