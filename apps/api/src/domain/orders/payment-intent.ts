import { payments } from "@coop/db/schema";
import type { OnlinePaymentMethod } from "@coop/shared";
import { and, eq } from "drizzle-orm";
import type Stripe from "stripe";
import { ApiError } from "../../lib/errors";
import { releaseReservations } from "./cancel-order";
import type { PlaceOrderDeps } from "./order-rules";
import { transition } from "./order-status";

/** The online methods (@coop/shared ONLINE_PAYMENT_METHODS) carry Stripe's own names for them. */
export type OnlineMethod = OnlinePaymentMethod;

/**
 * The order's PaymentIntent at Stripe: made by the first call, answered again by every later one for the
 * same order (the order id is Stripe's idempotency key), so one order never has two intents — whether the
 * caller is the first request, a retry resuming it, or the sweep releasing it.
 */
export function intentAtStripe(
  stripe: Stripe,
  input: { orderId: string; totalFen: number; method: OnlineMethod },
) {
  return stripe.paymentIntents.create(
    {
      amount: input.totalFen,
      currency: "cny",
      allowed_payment_method_types: [input.method],
      ...(input.method === "wechat_pay" ? { payment_method_options: { wechat_pay: { client: "web" } } } : {}),
      metadata: { orderId: input.orderId },
    },
    { idempotencyKey: `pi-${input.orderId}` },
  );
}

/**
 * Creates the Stripe PaymentIntent of a placed online order and returns its client secret. Without one the
 * buyer cannot pay, so on failure the order is cancelled and its stock released at once (not at expiry).
 */
export async function createPaymentIntent(
  deps: PlaceOrderDeps,
  input: { orderId: string; totalFen: number; method: OnlineMethod },
) {
  try {
    const intent = await intentAtStripe(deps.stripe!, input);
    await deps.db
      .update(payments)
      .set({ providerRef: intent.id })
      .where(and(eq(payments.orderId, input.orderId), eq(payments.provider, "stripe")));
    return intent.client_secret ?? undefined;
  } catch (error) {
    // Without a PaymentIntent the buyer cannot pay: release the stock at once rather than at expiry.
    await deps.db.transaction(async (tx) => {
      await releaseReservations(tx, input.orderId);
      await transition(tx, input.orderId, ["pending_payment"], "cancelled", {
        note: "payment provider unavailable",
      });
      await tx.update(payments).set({ status: "canceled" }).where(eq(payments.orderId, input.orderId));
    });
    throw new ApiError(
      "PAYMENT_UNAVAILABLE",
      "Online payment is not working right now. Please choose cash on pickup or try again later.",
      {
        details: { reason: error instanceof Error ? error.name : "unknown" },
      },
    );
  }
}
