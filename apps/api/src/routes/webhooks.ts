import { createRoute, z } from "@hono/zod-openapi";
import type Stripe from "stripe";
import { receiveStripeEvent } from "../domain/orders/stripe-events";
import { ApiError } from "../lib/errors";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";

const stripeDef = createRoute({
  method: "post",
  path: "/webhooks/stripe",
  tags: ["Webhooks"],
  summary: "Stripe events (signed): payment succeeded, failed, canceled; charge refunded",
  description:
    "The signature is checked on the raw body first. Each event id takes effect once; replays and any order of arrival are safe.",
  request: { headers: z.object({ "stripe-signature": z.string().optional() }) },
  responses: {
    200: jsonContent(
      z.object({ received: z.boolean(), duplicate: z.boolean() }).meta({ id: "WebhookAck" }),
      "Accepted",
    ),
    ...errorResponses(400),
  },
});

export function webhookRoutes() {
  return createRouter().openapi(stripeDef, async (c) => {
    const { stripe, env, db } = c.var.deps;
    if (!stripe || !env.STRIPE_WEBHOOK_SECRET)
      throw new ApiError("NOT_FOUND", "Stripe is not configured here.");
    // Verified before anything else is looked at; the raw text, not re-serialised JSON, is what was signed.
    const raw = await c.req.text();
    let event: Stripe.Event;
    try {
      event = stripe.webhooks.constructEvent(
        raw,
        c.req.header("stripe-signature") ?? "",
        env.STRIPE_WEBHOOK_SECRET,
      );
    } catch {
      throw new ApiError("INVALID_SIGNATURE", "The webhook signature does not match.");
    }
    const result = await receiveStripeEvent({ db, stripe, logger: c.var.logger }, event);
    if (!result.duplicate) await c.var.deps.jobs.notificationsQueued();
    return c.json({ received: true, duplicate: result.duplicate }, 200);
  });
}
