import { paymentMethodsOffered } from "@coop/shared";
import Stripe from "stripe";
import type { Env } from "../env";

/**
 * The Stripe client, or null when Stripe is not configured (then only cash on pickup is offered).
 * STRIPE_API_BASE points the official SDK at a local double (tests, offline development).
 */
export function createStripe(env: Pick<Env, "STRIPE_SECRET_KEY" | "STRIPE_API_BASE">): Stripe | null {
  if (!env.STRIPE_SECRET_KEY) return null;
  const options: Stripe.StripeConfig = {
    maxNetworkRetries: 2,
    timeout: 10_000,
    appInfo: { name: "coop-market" },
  };
  if (env.STRIPE_API_BASE) {
    const base = new URL(env.STRIPE_API_BASE);
    options.host = base.hostname;
    options.port = Number(base.port || (base.protocol === "https:" ? 443 : 80));
    options.protocol = base.protocol === "https:" ? "https" : "http";
  }
  return new Stripe(env.STRIPE_SECRET_KEY, options);
}

/** The payment methods a buyer may choose: online ones only when Stripe is configured (@coop/shared rule). */
export function offeredPaymentMethods(stripe: Stripe | null) {
  return paymentMethodsOffered(stripe !== null);
}
