/**
 * The yardstick for POST /v1/orders (issue 12, item 3): a bare Hono + postgres.js server that takes the same
 * JSON body and Idempotency-Key header as the API's order route and makes the same call, ONE prepared
 * `SELECT place_order($1::jsonb)` with the argument apps/api/src/domain/orders/place-order.ts builds (the
 * same ids, access token and its SHA-256, the pickup code derived from the token by HMAC and its keyed hash,
 * the fee steps from the shared rule, the idempotency claim with the request's hash), answering the same
 * 201 body. None of the API's middleware, zod validation, logging, authentication or job queue; the API's
 * default pool of 10. Started by `pnpm bench` as its own process, like bench/src/bare-catalog.ts.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { deliveryFeeSteps, newId } from "@coop/shared";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import postgres from "postgres";

const url = process.env.DATABASE_URL;
const port = Number(process.env.PORT ?? 8798);
const secret = process.env.PICKUP_CODE_SECRET;
if (!url) throw new Error("DATABASE_URL is required");
if (!secret) throw new Error("PICKUP_CODE_SECRET is required");
const sql = postgres(url, {
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  onnotice: () => {},
  connection: { application_name: "coop-bench-bare" },
});

// The co-op's delivery settings, read once (the API learns them from place_order's first FEE_RULE_CHANGED).
const [coop] =
  await sql`SELECT id, delivery_fee_fen, free_delivery_over_fen FROM coops ORDER BY code LIMIT 1`;
if (!coop) throw new Error("no co-op in this database");
const rule = { deliveryFeeFen: coop.delivery_fee_fen, freeDeliveryOverFen: coop.free_delivery_over_fen };
const feeBasis = {
  coop_id: coop.id,
  delivery_fee_fen: coop.delivery_fee_fen,
  free_delivery_over_fen: coop.free_delivery_over_fen,
};

const mac = (...parts: string[]) => createHmac("sha256", secret).update(parts.join("\u0000"));

interface Body {
  items: Array<{ productId: string; saleUnitId?: string; quantity: number }>;
  fulfilment: { type: "pickup"; servicePointId: string } | { type: "delivery"; address: unknown };
  payment: { method: string };
  contact: { name: string; phone: string };
  note?: string;
}

const app = new Hono<{ Bindings: { incoming: IncomingMessage } }>();
app.get("/health", (c) => c.json({ status: "ok" }));
app.post("/v1/orders", async (c) => {
  const text = await c.req.text();
  const data = JSON.parse(text) as Body;
  const key = c.req.header("idempotency-key");
  const token = `oat_${randomBytes(32).toString("base64url")}`;
  const pointId = data.fulfilment.type === "pickup" ? data.fulfilment.servicePointId : null;
  const n = mac("pickup-code-from-token", token).digest().readUIntBE(0, 6);
  const pickupCode = pointId ? String(n % 1_000_000).padStart(6, "0") : null;
  const online = data.payment.method !== "cash_on_pickup" && data.payment.method !== "consignor_balance";
  const params = {
    order_id: newId("order"),
    status_id: newId("orderStatusChange"),
    payment_id: newId("payment"),
    notification_id: newId("notification"),
    access_token: token,
    access_token_hash: createHash("sha256").update(token).digest("hex"),
    pickup_code: pickupCode,
    pickup_code_hash: pointId && pickupCode ? mac("pickup-code", pointId, pickupCode).digest("hex") : null,
    method: data.payment.method,
    online,
    delivery_fees: deliveryFeeSteps(rule, data.fulfilment.type).map((s) => ({
      from_fen: s.fromFen,
      fee_fen: s.feeFen,
    })),
    fee_basis: feeBasis,
    consignor_id: null,
    fulfilment_type: data.fulfilment.type,
    service_point_id: pointId,
    delivery_address: data.fulfilment.type === "delivery" ? data.fulfilment.address : null,
    contact_name: data.contact.name,
    contact_phone: data.contact.phone,
    note: data.note ?? null,
    staff_id: null,
    items: data.items.map((i) => ({
      line_id: newId("orderLine"),
      product_id: i.productId,
      sale_unit_id: i.saleUnitId ?? null,
      quantity: i.quantity,
    })),
    idem: key
      ? {
          scope: `public:address:${c.env.incoming.socket.remoteAddress ?? "unknown"}`,
          key,
          path: "/v1/orders",
          request_hash: createHash("sha256").update(`POST /v1/orders\n${text}`).digest("hex"),
          finished: !online,
        }
      : null,
  };
  try {
    const [row] = await sql.unsafe("SELECT place_order($1::jsonb) AS r", [params as never], {
      prepare: true,
    });
    const answer = row!.r as { created?: unknown };
    if (!answer.created) return c.json({ error: { code: "IDEMPOTENCY_IN_PROGRESS" } }, 409);
    return c.json(answer.created, 201);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "CO400" || code === "CO409")
      return c.json({ error: { code: (error as Error).message } }, code === "CO400" ? 400 : 409);
    throw error;
  }
});

const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port });
const stop = () => {
  server.close();
  void sql.end({ timeout: 2 }).then(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
