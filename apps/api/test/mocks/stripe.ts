import { HttpResponse, http } from "msw";

/**
 * An in-memory stand-in for the parts of the Stripe API the co-op uses, answered through msw so the official
 * SDK runs unchanged. Tests override single handlers (server.use) for failure paths.
 */
export const STRIPE_TEST_BASE = "http://stripe.test:12111";

export interface FakeStripeState {
  paymentIntents: Map<string, Record<string, unknown>>;
  refunds: Map<string, Record<string, unknown>>;
  /** Idempotency-Key → the intent it created. */
  intentByIdempotencyKey: Map<string, string>;
  /** How many intents were really created (not answered again for a key). */
  createCalls: number;
  /** Idempotency-Key → the refund it created (a retried refund is answered with the first one). */
  refundByIdempotencyKey: Map<string, string>;
  /** Refund requests received, answered again for a key or not. */
  refundCalls: number;
}

export function createStripeState(): FakeStripeState {
  return {
    paymentIntents: new Map(),
    refunds: new Map(),
    intentByIdempotencyKey: new Map(),
    createCalls: 0,
    refundByIdempotencyKey: new Map(),
    refundCalls: 0,
  };
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}_test${(++counter).toString().padStart(8, "0")}`;

async function formBody(request: Request): Promise<URLSearchParams> {
  return new URLSearchParams(await request.text());
}

function stripeError(status: number, code: string, message: string) {
  return HttpResponse.json({ error: { type: "invalid_request_error", code, message } }, { status });
}

export function stripeHandlers(state: FakeStripeState, base = STRIPE_TEST_BASE) {
  return [
    http.post(`${base}/v1/payment_intents`, async ({ request }) => {
      // As Stripe does: the same Idempotency-Key answers the first request's intent again.
      const key = request.headers.get("idempotency-key");
      const earlier = key ? state.intentByIdempotencyKey.get(key) : undefined;
      if (earlier) return HttpResponse.json(state.paymentIntents.get(earlier));
      state.createCalls++;
      const form = await formBody(request);
      const amount = Number(form.get("amount"));
      if (!Number.isInteger(amount) || amount <= 0)
        return stripeError(400, "parameter_invalid_integer", "Invalid amount");
      const id = nextId("pi");
      const metadata: Record<string, string> = {};
      for (const [k, v] of form) {
        const m = /^metadata\[(.+)\]$/.exec(k);
        if (m) metadata[m[1]!] = v;
      }
      // The SDK encodes arrays with indices: allowed_payment_method_types[0]=card&…[1]=alipay
      const methodTypes = [...form]
        .filter(([k]) => /^allowed_payment_method_types\[\d*\]$/.test(k))
        .map(([, v]) => v);
      const intent = {
        id,
        object: "payment_intent",
        amount,
        currency: form.get("currency"),
        status: "requires_payment_method",
        client_secret: `${id}_secret_test`,
        metadata,
        payment_method_types: methodTypes.length ? methodTypes : ["card"],
        created: Math.floor(Date.now() / 1000),
      };
      state.paymentIntents.set(id, intent);
      if (key) state.intentByIdempotencyKey.set(key, id);
      return HttpResponse.json(intent);
    }),
    http.get(`${base}/v1/payment_intents/:id`, ({ params }) => {
      const intent = state.paymentIntents.get(String(params.id));
      return intent
        ? HttpResponse.json(intent)
        : stripeError(404, "resource_missing", "No such payment_intent");
    }),
    http.post(`${base}/v1/payment_intents/:id/cancel`, ({ params }) => {
      const intent = state.paymentIntents.get(String(params.id));
      if (!intent) return stripeError(404, "resource_missing", "No such payment_intent");
      if (intent.status === "succeeded") {
        return stripeError(
          400,
          "payment_intent_unexpected_state",
          "This PaymentIntent has already succeeded",
        );
      }
      intent.status = "canceled";
      return HttpResponse.json(intent);
    }),
    http.post(`${base}/v1/refunds`, async ({ request }) => {
      state.refundCalls++;
      const key = request.headers.get("idempotency-key");
      const earlier = key ? state.refundByIdempotencyKey.get(key) : undefined;
      if (earlier) return HttpResponse.json(state.refunds.get(earlier));
      const form = await formBody(request);
      const intent = state.paymentIntents.get(String(form.get("payment_intent")));
      if (!intent) return stripeError(404, "resource_missing", "No such payment_intent");
      const refund = {
        id: nextId("re"),
        object: "refund",
        amount: Number(form.get("amount") ?? intent.amount),
        payment_intent: intent.id,
        status: "succeeded",
      };
      state.refunds.set(refund.id, refund);
      if (key) state.refundByIdempotencyKey.set(key, refund.id);
      return HttpResponse.json(refund);
    }),
  ];
}
