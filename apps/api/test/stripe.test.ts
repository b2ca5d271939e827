import { setupServer } from "msw/node";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../src/env";
import { createStripe, offeredPaymentMethods } from "../src/lib/stripe";
import { createStripeState, STRIPE_TEST_BASE, stripeHandlers } from "./mocks/stripe";

/**
 * The plumbing the orders work builds on: the official SDK pointed at STRIPE_API_BASE, answered by msw, and
 * webhook payloads signed by the SDK's own test helper. No request leaves the machine.
 */
describe("Stripe through the official SDK, offline", () => {
  const state = createStripeState();
  const server = setupServer(...stripeHandlers(state));
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  const env = readEnv({
    STRIPE_SECRET_KEY: "sk_test_coop",
    STRIPE_API_BASE: STRIPE_TEST_BASE,
    STRIPE_WEBHOOK_SECRET: "whsec_test",
  });

  it("offers only cash on pickup when Stripe is not configured", () => {
    expect(createStripe(readEnv({}))).toBeNull();
    expect(offeredPaymentMethods(null)).toEqual(["cash_on_pickup"]);
    expect(offeredPaymentMethods(createStripe(env))).toEqual([
      "cash_on_pickup",
      "card",
      "alipay",
      "wechat_pay",
    ]);
  });

  it("creates, reads and cancels a PaymentIntent in integer fen", async () => {
    const stripe = createStripe(env)!;
    const intent = await stripe.paymentIntents.create({
      amount: 4_600,
      currency: "cny",
      allowed_payment_method_types: ["card", "alipay", "wechat_pay"],
      metadata: { orderId: "ord_test" },
    });
    expect(intent).toMatchObject({
      amount: 4600,
      currency: "cny",
      metadata: { orderId: "ord_test" },
      payment_method_types: ["card", "alipay", "wechat_pay"],
    });
    expect(intent.client_secret).toContain(intent.id);
    expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe("requires_payment_method");
    expect((await stripe.paymentIntents.cancel(intent.id)).status).toBe("canceled");
  });

  it("surfaces Stripe's errors as typed SDK errors", async () => {
    const stripe = createStripe(env)!;
    await expect(stripe.paymentIntents.retrieve("pi_missing")).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
  });

  it("verifies webhook signatures made by the SDK's test helper, and rejects tampering", () => {
    const stripe = createStripe(env)!;
    const payload = JSON.stringify({
      id: "evt_1",
      object: "event",
      type: "payment_intent.succeeded",
      data: { object: { id: "pi_1" } },
    });
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_test" });
    expect(stripe.webhooks.constructEvent(payload, header, "whsec_test").id).toBe("evt_1");
    expect(() =>
      stripe.webhooks.constructEvent(payload.replace("pi_1", "pi_2"), header, "whsec_test"),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => stripe.webhooks.constructEvent(payload, header, "whsec_other")).toThrow();
  });
});
