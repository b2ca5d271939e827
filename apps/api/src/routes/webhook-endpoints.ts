import {
  CreatedWebhookEndpoint,
  CreateWebhookEndpoint,
  WEBHOOK_EVENT_DATA,
  WebhookDeliveryList,
  WebhookDeliveryQuery,
  WebhookEndpoint,
  WebhookEndpointList,
  WebhookEventEnvelope,
} from "@coop/shared/contract";
import { WEBHOOK_EVENT_ID_HEADER, WEBHOOK_SIGNATURE_HEADER } from "@coop/shared/webhook-signature";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { WEBHOOK_MAX_ATTEMPTS } from "../domain/outgoing-webhooks/deliver";
import { listDeliveries, retryDelivery } from "../domain/outgoing-webhooks/deliveries";
import {
  createWebhookEndpoint,
  disableWebhookEndpoint,
  listWebhookEndpoints,
} from "../domain/outgoing-webhooks/endpoints";
import type { AppEnv } from "../lib/context";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

const tags = ["Webhooks (outgoing)"];
const security = [{ bearerAuth: [] }];
const IdParam = z.object({ id: z.string().max(64) });

const SIGNATURE_HELP = `Every request is signed: \`${WEBHOOK_SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>\`. Verify it on the raw body before parsing it, refuse a t older than 5 minutes, and acknowledge with any 2xx within 10 s. Anything else is retried ${WEBHOOK_MAX_ATTEMPTS - 1} times with backoff (30 s, 2 min, 10 min, 1 h, 3 h, 6 h, 12 h), then abandoned. An event may arrive more than once (after a crash mid-request): \`${WEBHOOK_EVENT_ID_HEADER}\` is the same every time, so keep the ids you have handled. See docs/decisions/0045-outgoing-webhooks.md.`;

const createDef = createRoute({
  method: "post",
  path: "/admin/webhook-endpoints",
  tags,
  security,
  summary: "Register a URL to be sent the co-op's events (admin); the signing secret is answered this once",
  description: `${SIGNATURE_HELP} In production the URL must be https:// on a public address; outside it http://localhost and http://127.0.0.1 are allowed too. At most 20 enabled endpoints. Audited.`,
  middleware: [requireStaff("admin"), idempotent()] as const,
  request: {
    headers: z.object({ "idempotency-key": z.string().optional() }),
    body: { required: true, content: { "application/json": { schema: CreateWebhookEndpoint } } },
  },
  responses: {
    201: jsonContent(CreatedWebhookEndpoint, "Registered; keep the secret"),
    ...errorResponses(400, 401, 403, 409),
  },
});

const listDef = createRoute({
  method: "get",
  path: "/admin/webhook-endpoints",
  tags,
  security,
  summary: "The co-op's webhook endpoints, newest first (admin); never their secrets",
  middleware: [requireStaff("admin")] as const,
  responses: { 200: jsonContent(WebhookEndpointList, "Endpoints"), ...errorResponses(401, 403) },
});

const disableDef = createRoute({
  method: "post",
  path: "/admin/webhook-endpoints/{id}/disable",
  tags,
  security,
  summary: "Stop sending to an endpoint, for good (admin)",
  description:
    "New events are no longer recorded for it and its unsent deliveries are abandoned (they stay in the log). Disabling it again answers the same. Audited.",
  middleware: [requireStaff("admin")] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(WebhookEndpoint, "The endpoint now"), ...errorResponses(401, 403, 404) },
});

const deliveriesDef = createRoute({
  method: "get",
  path: "/admin/webhook-endpoints/{id}/deliveries",
  tags,
  security,
  summary: "An endpoint's delivery log, newest first (admin)",
  description:
    "One line per event sent there: its status, tries, the receiver's last HTTP status or error, and when it was delivered or is next tried.",
  middleware: [requireStaff("admin")] as const,
  request: { params: IdParam, query: WebhookDeliveryQuery },
  responses: {
    200: jsonContent(WebhookDeliveryList, "A page of the log"),
    ...errorResponses(400, 401, 403, 404),
  },
});

const retryDef = createRoute({
  method: "post",
  path: "/admin/webhook-endpoints/{id}/deliveries/{deliveryId}/retry",
  tags,
  security,
  summary: "Send a failed or abandoned delivery again now (admin)",
  description:
    "A failed one keeps its remaining tries; an abandoned one gets one more. A delivery that succeeded is never sent again (409 INVALID_STATE), nor one to a disabled endpoint. Audited.",
  middleware: [requireStaff("admin")] as const,
  request: { params: IdParam.extend({ deliveryId: z.string().max(64) }) },
  responses: { 202: { description: "Queued: sent within seconds" }, ...errorResponses(401, 403, 404, 409) },
});

export function webhookEndpointRoutes() {
  return createRouter()
    .openapi(createDef, async (c) => {
      const staff = c.var.staff!;
      const created = await createWebhookEndpoint(c.var.deps.db, {
        coopId: staff.coopId,
        actorUserId: staff.id,
        requestId: c.var.requestId,
        production: c.var.deps.env.NODE_ENV === "production",
        data: c.req.valid("json"),
      });
      return c.json(created, 201);
    })
    .openapi(listDef, async (c) =>
      c.json({ items: await listWebhookEndpoints(c.var.deps.db, c.var.staff!.coopId) }, 200),
    )
    .openapi(disableDef, async (c) => {
      const staff = c.var.staff!;
      const endpoint = await disableWebhookEndpoint(c.var.deps.db, {
        coopId: staff.coopId,
        id: c.req.valid("param").id,
        actorUserId: staff.id,
        requestId: c.var.requestId,
      });
      return c.json(endpoint, 200);
    })
    .openapi(deliveriesDef, async (c) => {
      const page = await listDeliveries(c.var.deps.db, {
        coopId: c.var.staff!.coopId,
        endpointId: c.req.valid("param").id,
        query: c.req.valid("query"),
      });
      return c.json(page, 200);
    })
    .openapi(retryDef, async (c) => {
      const staff = c.var.staff!;
      const { id, deliveryId } = c.req.valid("param");
      await retryDelivery(c.var.deps.db, {
        coopId: staff.coopId,
        endpointId: id,
        deliveryId,
        actorUserId: staff.id,
        requestId: c.var.requestId,
      });
      return c.body(null, 202);
    });
}

/**
 * The requests the co-op sends to registered endpoints, in the OpenAPI document's `webhooks` section (one per
 * event type). Registered on the app itself: a sub-router's webhooks would be prefixed with its mount path.
 */
export function documentOutgoingWebhooks(app: OpenAPIHono<AppEnv>) {
  for (const [type, data] of Object.entries(WEBHOOK_EVENT_DATA)) {
    app.openAPIRegistry.registerWebhook({
      method: "post",
      path: type,
      tags,
      summary: `${type}: sent to the endpoints subscribed to it`,
      description: SIGNATURE_HELP,
      request: {
        headers: z.object({
          [WEBHOOK_SIGNATURE_HEADER]: z.string().meta({ example: "t=1790000000,v1=5257a869e7ec…" }),
          [WEBHOOK_EVENT_ID_HEADER]: z.string().meta({ example: "evt_01jd…" }),
        }),
        body: {
          required: true,
          content: {
            "application/json": { schema: WebhookEventEnvelope.extend({ type: z.literal(type), data }) },
          },
        },
      },
      responses: {
        200: { description: "Any 2xx acknowledges it: it is not sent again" },
        500: { description: "Anything else (or no answer within 10 s): retried with backoff" },
      },
    });
  }
}
