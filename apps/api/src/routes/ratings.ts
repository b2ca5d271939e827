import {
  CloseRatingFollowUp,
  RatingFollowUp,
  RatingFollowUpList,
  RatingFollowUpQuery,
  RatingGiven,
  RatingRequestView,
  SubmitRating,
} from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { closeFollowUp, listFollowUps } from "../domain/ratings/follow-ups";
import { giveRating, invalidLink, ratingRequestView } from "../domain/ratings/give-rating";
import { ratingLinks } from "../domain/ratings/rating-link";
import type { AppEnv } from "../lib/context";
import { ApiError } from "../lib/errors";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { visibleServicePoints } from "../lib/scope";
import { requireStaff } from "../middleware/authenticate";
import { callerOf } from "../middleware/client-address";
import { idempotent } from "../middleware/idempotency";

const publicTags = ["Ratings (the SMS link)"];
const adminTags = ["Ratings: follow-ups"];
const security = [{ bearerAuth: [] }];
const TokenParam = z.object({ token: z.string().max(200) });

const viewDef = createRoute({
  method: "get",
  path: "/ratings/{token}",
  tags: publicTags,
  summary: "What a rating link is about: the kind of event, the service point, the day",
  description:
    "No login: the signed token texted after a pickup, a payout or a sale is the key. A malformed or altered token is 404 RATING_LINK_INVALID without a database query; a link past its 14 days is 410 RATING_LINK_EXPIRED; a used one 410 RATING_ALREADY_GIVEN.",
  request: { params: TokenParam },
  responses: {
    200: jsonContent(RatingRequestView, "Open: it may be rated"),
    ...errorResponses(400, 404, 410),
  },
});

const rateDef = createRoute({
  method: "post",
  path: "/ratings/{token}",
  tags: publicTags,
  summary: "Rate it, once: level 5 非常满意 … 1 非常不满意, and an optional comment",
  description:
    "One rating per link, even for posts at the same moment: a second is 410 RATING_ALREADY_GIVEN. Expired: 410 RATING_LINK_EXPIRED; altered: 404 RATING_LINK_INVALID. A level of 2 or less opens a follow-up the admin must close within 2 working days. At most 5 posts per link and 30 per client in 10 minutes (429 RATE_LIMITED with Retry-After).",
  request: {
    params: TokenParam,
    body: { required: true, content: { "application/json": { schema: SubmitRating } } },
  },
  responses: {
    201: jsonContent(RatingGiven, "Rated: thank you"),
    ...errorResponses(400, 404, 410, 429),
  },
});

const listDef = createRoute({
  method: "get",
  path: "/admin/rating-follow-ups",
  tags: adminTags,
  security,
  summary: "Low ratings' follow-ups: open ones first, soonest due first",
  description:
    "The admin sees every point's (or one with pointId) with the rater's phone, to call back; an agent reads their own point's, without the phone. At most 200.",
  middleware: [requireStaff("admin", "agent")] as const,
  request: { query: RatingFollowUpQuery },
  responses: {
    200: jsonContent(RatingFollowUpList, "The follow-ups"),
    ...errorResponses(400, 401, 403),
  },
});

const closeDef = createRoute({
  method: "post",
  path: "/admin/rating-follow-ups/{id}/close",
  tags: adminTags,
  security,
  summary: "Close a follow-up (admin) with what was done",
  description:
    "A note is required. Closing a closed one is 409 INVALID_STATE; with the same Idempotency-Key a retry gets the first answer. Audited.",
  middleware: [requireStaff("admin"), idempotent()] as const,
  request: {
    params: z.object({ id: z.string().max(64) }),
    headers: z.object({ "idempotency-key": z.string().optional() }),
    body: { required: true, content: { "application/json": { schema: CloseRatingFollowUp } } },
  },
  responses: {
    200: jsonContent(RatingFollowUp, "Closed"),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/** The request a token stands for; an altered or made-up one is refused here, before any query. */
function requestIdOf(c: Context<AppEnv>, token: string): string {
  const { env } = c.var.deps;
  const id = ratingLinks(env.PUBLIC_LINK_SECRET, env.PUBLIC_SHOP_URL).requestIdOf(token);
  if (!id) throw invalidLink();
  return id;
}

/** A rating page is one person's: shared caches must not keep it, search engines must not list it. */
function privateAnswer(c: Context<AppEnv>) {
  c.header("Cache-Control", "private, no-store");
  c.header("X-Robots-Tag", "noindex");
}

export function ratingRoutes() {
  return createRouter()
    .openapi(viewDef, async (c) => {
      privateAnswer(c);
      const id = requestIdOf(c, c.req.valid("param").token);
      return c.json(await ratingRequestView(c.var.deps.db, id), 200);
    })
    .openapi(rateDef, async (c) => {
      privateAnswer(c);
      const id = requestIdOf(c, c.req.valid("param").token);
      const given = await giveRating(c.var.deps.db, {
        requestId: id,
        rating: c.req.valid("json"),
        caller: callerOf(c),
      }).catch((error: unknown) => {
        if (error instanceof ApiError && error.code === "RATE_LIMITED") {
          c.header("Retry-After", String(error.details?.retryAfterSeconds ?? 60));
        }
        throw error;
      });
      return c.json(given, 201);
    })
    .openapi(listDef, async (c) => {
      const staff = c.var.staff!;
      const q = c.req.valid("query");
      const items = await listFollowUps(c.var.deps.db, {
        coopId: staff.coopId,
        points: visibleServicePoints(staff, q.pointId),
        status: q.status,
        showPhone: staff.role === "admin",
      });
      return c.json({ items }, 200);
    })
    .openapi(closeDef, async (c) => {
      const closed = await closeFollowUp(c.var.deps.db, {
        id: c.req.valid("param").id,
        note: c.req.valid("json").note,
        staff: c.var.staff!,
        requestId: c.var.requestId,
      });
      return c.json(closed, 200);
    });
}
