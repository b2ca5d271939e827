import type { Executor } from "@coop/db";
import { type consignors, idempotencyKeys, orders } from "@coop/db/schema";
import {
  type DeliveryFeeRule,
  deliveryFeeSteps,
  isOnlinePayment,
  newId,
  type OnlinePaymentMethod,
} from "@coop/shared";
import type { CreateOrder, OrderCreated } from "@coop/shared/contract";
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import type { StaffPrincipal } from "../../lib/context";
import { type DriverError, driverErrorOf, sqlStateOf } from "../../lib/db-errors";
import { ApiError, errorBody } from "../../lib/errors";
import {
  forgetUnfinished,
  type IdempotentRequest,
  type StoredResponse,
  storeResponse,
  storeRolledBackResponse,
  waitForFirst,
} from "../../lib/idempotency";
import { prepared } from "../../lib/prepared";
import { sqlRows } from "../../lib/sql-rows";
import { hashToken } from "../auth/tokens";
import { closedPointRefusal } from "../locations/service-point-state";
import { payFromVillagerBalance, villagerFor } from "./assisted-order";
import {
  checkOrderRules,
  mergeItems,
  type PlaceOrderDeps,
  quantityRefusal,
  type SaleUnitRefusal,
  validationError,
} from "./order-rules";
import { createPaymentIntent } from "./payment-intent";
import { randomCode } from "./pickup-codes";
import { GroupedPlacementError, placeInGroup } from "./placement-groups";
import { newOrderAccessToken } from "./tokens";

export type { PlaceOrderDeps } from "./order-rules";

/** What placing an order answered: a new order, or the stored answer to an earlier request with its key. */
export type PlaceOrderOutcome =
  | { kind: "created"; body: OrderCreated }
  | { kind: "replay"; status: number; body: unknown };

/** SQLSTATEs place_order() raises for refusals (migration 0005), and PostgreSQL's deadlock code. */
const REFUSED = new Set(["CO400", "CO409"]);
const DEADLOCK = "40P01";

/**
 * Places an order: a buyer's, a staff member's, or one staff place for a villager (`onBehalfOf`, assisted).
 * Every order is ONE call of the database function place_order (latest: migration 0023, decision 0035):
 * the idempotency claim, prices, fee, where each line is served from, the order, its lines, first status,
 * payment row and SMS, and last the one conditional UPDATE that reserves every line or none. Too little
 * stock → 409 OUT_OF_STOCK naming the short lines. Online payments then get a Stripe PaymentIntent; cash on
 * pickup holds the stock until hand-over; an assisted order set against the villager's balance is paid in
 * the same transaction as its placing (assisted-order.ts).
 */
export async function placeOrder(
  deps: PlaceOrderDeps,
  input: {
    data: CreateOrder;
    staff?: StaffPrincipal | undefined;
    idempotency?: IdempotentRequest | undefined;
  },
): Promise<PlaceOrderOutcome> {
  const { data, staff, idempotency: idem } = input;
  checkOrderRules(deps, data, staff);
  const villager = data.onBehalfOf
    ? await villagerFor(deps.db, staff!, data.onBehalfOf.consignorId)
    : undefined;

  const params = functionParams(deps, data, staff, villager, idem);
  let answer = await callPlaceOrder(deps, params, data, idem);
  // Another request holds the key. One that died unfinished (an online order whose process stopped while
  // waiting for Stripe) is resumed: the same order, the same PaymentIntent. Only when that order is gone
  // (released by the stalled-order sweep) is the order placed anew.
  if ("replay" in answer) {
    const resumed = await resumeAbandoned(deps, idem!, data);
    if (resumed === "place-again") answer = await callPlaceOrder(deps, params, data, idem);
    else if (resumed) return resumed;
  }
  if ("replay" in answer) return replayed(deps, await waitForFirst(deps.db, idem!));

  const body = answer.created;
  if (body.status === "pending_payment") {
    // place_order left the key unfinished: the answer is only whole with Stripe's client secret.
    await addClientSecret(deps, idem, body, body, data.payment.method);
    if (idem) await storeResponse(deps.db, idem, { status: 201, body });
  }
  return { kind: "created", body };
}

const replayed = (deps: PlaceOrderDeps, stored: StoredResponse): PlaceOrderOutcome => ({
  kind: "replay",
  status: stored.status,
  body: withPickupCode(deps, stored.body),
});

/**
 * A stored order answer never holds the pickup code itself (migration 0014: the database keeps only its
 * hash); the replay derives it again from the access token the same answer carries, as the buyer's own
 * order page does. An answer whose `pickupCode` is null (no code for this caller) has the key and is left.
 */
function withPickupCode(deps: PlaceOrderDeps, body: unknown): unknown {
  if (typeof body !== "object" || body === null || "pickupCode" in body) return body;
  const token = (body as { accessToken?: unknown }).accessToken;
  return typeof token === "string" ? { ...body, pickupCode: deps.pickupCodes.codeFor(token) } : body;
}

/**
 * Asks Stripe for the order's PaymentIntent (one per order, whoever asks) and puts its client secret in the
 * answer. If Stripe fails the order is released (createPaymentIntent) and the key let go, so a retry may
 * place it again.
 */
async function addClientSecret(
  deps: PlaceOrderDeps,
  idem: IdempotentRequest | undefined,
  answer: OrderCreated,
  order: { id: string; totalFen: number },
  method: CreateOrder["payment"]["method"],
) {
  let clientSecret: string | undefined;
  try {
    clientSecret = await createPaymentIntent(deps, {
      orderId: order.id,
      totalFen: order.totalFen,
      method: method as OnlinePaymentMethod,
    });
  } catch (error) {
    if (idem) await forgetUnfinished(deps.db, idem);
    throw error;
  }
  if (clientSecret) answer.payment = { ...answer.payment, clientSecret };
}

/**
 * A first request unfinished for this long has died (or will never finish): Stripe's client gives up well
 * before (lib/stripe.ts: 10 s timeout, 2 retries), so the first request can no longer be waiting for it.
 */
export const RESUME_AFTER_MS = 45_000;

/**
 * Resumes the order of a request that died between place_order and Stripe's answer (issue 14, point 4).
 * Its key remembers the order (resource_id) and the answer but for the client secret, so the retry asks
 * Stripe again with the order's own idempotency key (one intent, whoever asks) and completes the key.
 * Returns undefined when the first request may still be running (the caller waits for it), "place-again"
 * when the first order was released meanwhile (its key is dropped first).
 */
async function resumeAbandoned(
  deps: PlaceOrderDeps,
  idem: IdempotentRequest,
  data: CreateOrder,
): Promise<PlaceOrderOutcome | "place-again" | undefined> {
  const cutoff = new Date(Date.now() - RESUME_AFTER_MS);
  // Taking over is one conditional UPDATE, so of two retries arriving together only one resumes; the other
  // waits for its answer like any replay.
  const [row] = await deps.db
    .update(idempotencyKeys)
    .set({ createdAt: new Date() })
    .where(
      and(
        eq(idempotencyKeys.scope, idem.scope),
        eq(idempotencyKeys.key, idem.key),
        eq(idempotencyKeys.requestHash, idem.requestHash),
        isNull(idempotencyKeys.responseStatus),
        lt(idempotencyKeys.createdAt, cutoff),
      ),
    )
    .returning();
  if (!row) return undefined;
  const order = row.resourceId
    ? (await deps.db.select().from(orders).where(eq(orders.id, row.resourceId)).limit(1))[0]
    : undefined;
  const body = row.responseBody as OrderCreated | null;
  if (!order || !body || order.status === "cancelled") {
    // A key from before resource_id existed, or an order the sweep already released: nothing to resume.
    await forgetUnfinished(deps.db, idem);
    return "place-again";
  }
  if (order.status === "pending_payment" && deps.stripe) {
    await addClientSecret(deps, idem, body, order, data.payment.method);
  }
  await storeResponse(deps.db, idem, { status: 201, body });
  return replayed(deps, { status: 201, body });
}

/** The co-op's delivery settings place_order last saw (its fee_basis), per database. */
const feeBasisByDb = new WeakMap<object, FeeBasis>();

interface FeeBasis {
  coop_id: string;
  delivery_fee_fen: number;
  free_delivery_over_fen: number | null;
}

/**
 * The delivery fee for this order as steps made by the shared rule (@coop/shared deliveryFeeSteps), and the
 * settings they were made from. Unknown settings send no basis: place_order answers with the current ones
 * (FEE_RULE_CHANGED) and the call is made again, so the settings cost no query of their own.
 */
function feeParams(db: Executor, fulfilment: CreateOrder["fulfilment"]["type"]) {
  const basis = feeBasisByDb.get(db) ?? null;
  const rule: DeliveryFeeRule = {
    deliveryFeeFen: basis?.delivery_fee_fen ?? 0,
    freeDeliveryOverFen: basis?.free_delivery_over_fen ?? null,
  };
  return {
    delivery_fees: deliveryFeeSteps(rule, fulfilment).map((s) => ({
      from_fen: s.fromFen,
      fee_fen: s.feeFen,
    })),
    fee_basis: basis,
  };
}

/**
 * Whether place_order answers the key itself: a cash order is whole when written. An online order's answer
 * needs Stripe's client secret, and one set against the villager's balance its payment (same transaction):
 * this module finishes those keys.
 */
const keyAnsweredByPlacement = (method: CreateOrder["payment"]["method"]) =>
  !isOnlinePayment(method) && method !== "consignor_balance";

/** place_order's input: ids and tokens are made here, everything priced or counted is read there. */
function functionParams(
  deps: PlaceOrderDeps,
  data: CreateOrder,
  staff: StaffPrincipal | undefined,
  villager: typeof consignors.$inferSelect | undefined,
  idem: IdempotentRequest | undefined,
) {
  const accessToken = newOrderAccessToken();
  const pointId = data.fulfilment.type === "pickup" ? data.fulfilment.servicePointId : null;
  // A buyer's code follows from their token, so only the token's holder can be shown it again. A villager's
  // is random: the agent placing the order holds the token and must not be able to read the villager's code
  // back (decision 0017); the villager gets it by SMS only.
  const pickupCode = pointId ? (villager ? randomCode() : deps.pickupCodes.codeFor(accessToken)) : null;
  return {
    order_id: newId("order"),
    status_id: newId("orderStatusChange"),
    payment_id: newId("payment"),
    notification_id: newId("notification"),
    access_token: accessToken,
    access_token_hash: hashToken(accessToken),
    pickup_code: pickupCode,
    pickup_code_hash: pointId && pickupCode ? deps.pickupCodes.hash(pointId, pickupCode) : null,
    method: data.payment.method,
    online: isOnlinePayment(data.payment.method),
    ...feeParams(deps.db, data.fulfilment.type),
    consignor_id: villager?.id ?? null,
    fulfilment_type: data.fulfilment.type,
    service_point_id: data.fulfilment.type === "pickup" ? data.fulfilment.servicePointId : null,
    delivery_address: data.fulfilment.type === "delivery" ? data.fulfilment.address : null,
    contact_name: data.contact.name,
    contact_phone: data.contact.phone,
    note: data.note ?? null,
    flash_sale_id: data.flashSaleId ?? null,
    campaign_id: data.campaignId ?? null,
    staff_id: staff?.id ?? null,
    items: mergeItems(data.items).map((item) => ({
      line_id: newId("orderLine"),
      product_id: item.productId,
      sale_unit_id: item.saleUnitId ?? null,
      quantity: item.quantity,
    })),
    idem: idem
      ? {
          scope: idem.scope,
          key: idem.key,
          path: idem.path,
          request_hash: idem.requestHash,
          finished: keyAnsweredByPlacement(data.payment.method),
        }
      : null,
  };
}

/** place_order's answer: the new order, or "another request holds this key". */
type FunctionAnswer = { created: OrderCreated } | { replay: true };

/** The call, as a prepared statement (one round trip: see lib/prepared.ts). */
const placeOrderCall = (db: PlaceOrderDeps["db"]) =>
  prepared(db, "place_order", () =>
    db
      .select({ r: sql<FunctionAnswer>`place_order(${sql.placeholder("p")}::jsonb)` })
      .from(sql`(SELECT 1) AS one`)
      .prepare("place_order"),
  );

/**
 * A live sale's order goes in a group, one transaction for many (placement-groups.ts). It is placed again
 * alone, where it may wait for a bucket, when every bucket with enough was held by another transaction
 * (FLASH_SALE_BUSY), or when PostgreSQL raised an error for the group's statement (so nothing of the group
 * was written). A lost connection is not retried here: the group may have committed, and an order sent
 * without a key would be placed twice; the caller answers it as a failure, as for an order placed alone.
 */
async function placeFlashOrder(db: PlaceOrderDeps["db"], payload: string): Promise<FunctionAnswer> {
  try {
    return await placeInGroup<FunctionAnswer>(db, payload);
  } catch (error) {
    const rolledBack =
      error instanceof GroupedPlacementError
        ? error.message === "FLASH_SALE_BUSY"
        : sqlStateOf(error) !== undefined;
    if (!rolledBack) throw error;
    const [row] = await placeOrderCall(db).execute({ p: payload });
    return row!.r;
  }
}

/** The call inside a transaction of the caller's (not prepared: it runs on the transaction's connection). */
async function placeOrderIn(tx: Executor, payload: string): Promise<FunctionAnswer> {
  const rows = await sqlRows<{ r: FunctionAnswer }>(tx, sql`SELECT place_order(${payload}::jsonb) AS r`);
  return rows[0]!.r;
}

/**
 * One call of place_order; for an order set against the villager's balance, that call and the payment in
 * one transaction, the key answered in it too, so a retry waits for the whole and replays it. Refusals roll
 * back everything, the key's claim included, so a refusal (place_order's, or the balance's) is stored here
 * for replays (as the middleware stores every 4xx answer). When the co-op's delivery settings are not the
 * ones the fee was made from, the fee is made again from the current ones and the call repeated.
 */
async function callPlaceOrder(
  deps: PlaceOrderDeps,
  params: ReturnType<typeof functionParams>,
  data: CreateOrder,
  idem: IdempotentRequest | undefined,
): Promise<FunctionAnswer> {
  const payNow = params.method === "consignor_balance" && params.consignor_id !== null;
  for (let attempt = 1; ; attempt++) {
    const payload = JSON.stringify(params);
    try {
      if (!payNow && params.flash_sale_id) return await placeFlashOrder(deps.db, payload);
      if (!payNow) {
        const [row] = await placeOrderCall(deps.db).execute({ p: payload });
        return row!.r;
      }
      return await deps.db.transaction(async (tx) => {
        const answer = await placeOrderIn(tx, payload);
        if ("replay" in answer) return answer;
        await payFromVillagerBalance(tx, {
          orderId: answer.created.id,
          consignorId: params.consignor_id!,
          totalFen: answer.created.totalFen,
          actorUserId: params.staff_id!,
        });
        const body: OrderCreated = { ...answer.created, status: "paid" };
        if (idem) await storeResponse(tx, idem, { status: 201, body });
        return { created: body };
      });
    } catch (error) {
      const cause = driverErrorOf(error);
      if (cause?.code === "CO409" && cause.message === "FEE_RULE_CHANGED" && attempt < 3) {
        feeBasisByDb.set(deps.db, JSON.parse(cause.detail ?? "null") as FeeBasis);
        Object.assign(params, feeParams(deps.db, data.fulfilment.type));
        continue;
      }
      const refused =
        cause && REFUSED.has(cause.code)
          ? ((cause.message === "NO_SUCH_SERVICE_POINT" && data.fulfilment.type === "pickup"
              ? await closedPointRefusal(deps.db, data.fulfilment.servicePointId)
              : null) ?? refusal(cause, data))
          : error instanceof ApiError && error.status < 500
            ? error
            : undefined;
      if (refused) {
        if (!idem) throw refused;
        const body = errorBody(refused, idem.requestId);
        if (await storeRolledBackResponse(deps.db, idem, { status: refused.status, body })) throw refused;
        // The key already holds an answer: the catalog or a place changed since that request was placed
        // (place_order checks them before it claims the key), and a retry gets the first answer.
        return { replay: true };
      }
      // Multi-line orders lock their rows in one order, so this is rare; the whole call is safe to repeat.
      if (cause?.code === DEADLOCK && attempt < 3) continue;
      throw error;
    }
  }
}

/** Turns place_order's refusal (a stable code and a JSON detail) into the API's error. */
function refusal(error: DriverError, data: CreateOrder): ApiError {
  const detail = JSON.parse(error.detail || "[]") as unknown[];
  switch (error.message) {
    case "NO_SUCH_PRODUCT": {
      const missing = new Set(detail as string[]);
      return validationError(
        data.items
          .map((item, i) => ({ item, i }))
          .filter(({ item }) => missing.has(item.productId))
          .map(({ i }) => ({ path: `items.${i}.productId`, message: "no such product on sale" })),
      );
    }
    case "NO_SUCH_SALE_UNIT": {
      const missing = detail as Array<{ productId: string; saleUnitId: string | null }>;
      return validationError(
        data.items
          .map((item, i) => ({ item, i }))
          .filter(({ item }) =>
            missing.some((m) => m.productId === item.productId && m.saleUnitId === (item.saleUnitId ?? null)),
          )
          .map(({ i }) => ({
            path: `items.${i}.saleUnitId`,
            message: "not a sale unit of this product on sale",
          })),
      );
    }
    case "BAD_QUANTITY":
      return quantityRefusal(data, detail as SaleUnitRefusal[]);
    case "NO_SUCH_SERVICE_POINT":
      return validationError([{ path: "fulfilment.servicePointId", message: "no such service point" }]);
    case "NO_SUCH_CONSIGNOR":
      return validationError([{ path: "onBehalfOf.consignorId", message: "no such villager" }]);
    case "NO_SUCH_FLASH_SALE":
      return validationError([{ path: "flashSaleId", message: "no such flash sale" }]);
    case "NOT_IN_FLASH_SALE":
      return validationError([
        { path: "items", message: "a flash sale order is one item: the sale's product and sale unit" },
      ]);
    case "FLASH_SALE_NOT_LIVE": {
      const when = detail as unknown as { startsAt: string; endsAt: string };
      const started = new Date(when.startsAt).getTime() <= Date.now();
      return new ApiError(
        "FLASH_SALE_NOT_LIVE",
        started ? "This flash sale is over." : "This flash sale has not started yet.",
        {
          details: {
            startsAt: new Date(when.startsAt).toISOString(),
            endsAt: new Date(when.endsAt).toISOString(),
          },
        },
      );
    }
    case "FLASH_SALE_LIMIT": {
      const { limit, already } = detail as unknown as { limit: number; already: number };
      return new ApiError(
        "FLASH_SALE_LIMIT",
        `One buyer may buy ${limit} in this sale; this phone has ${already} already.`,
        { details: { limit, already } },
      );
    }
    case "NO_SUCH_CAMPAIGN":
      return validationError([{ path: "campaignId", message: "no such harvest campaign" }]);
    case "NOT_IN_CAMPAIGN":
      return validationError([
        {
          path: "items",
          message: "a pre-order is one item: the campaign's product and sale unit (and no flash sale)",
        },
      ]);
    case "CAMPAIGN_NOT_OPEN": {
      const when = detail as unknown as { opensAt: string; closesAt: string };
      const opened = new Date(when.opensAt).getTime() <= Date.now();
      return new ApiError(
        "CAMPAIGN_NOT_OPEN",
        opened
          ? "Pre-orders for this harvest have closed."
          : "Pre-orders for this harvest have not opened yet.",
        {
          details: {
            opensAt: new Date(when.opensAt).toISOString(),
            closesAt: new Date(when.closesAt).toISOString(),
          },
        },
      );
    }
    case "CAMPAIGN_ORDER_LIMIT": {
      const { limit } = detail as unknown as { limit: number };
      return new ApiError("CAMPAIGN_ORDER_LIMIT", `One pre-order may be for at most ${limit}.`, {
        details: { limit },
      });
    }
    case "CAMPAIGN_BUYER_LIMIT": {
      const { limit, already } = detail as unknown as { limit: number; already: number };
      return new ApiError(
        "CAMPAIGN_BUYER_LIMIT",
        `One buyer may pre-order ${limit} in this campaign; this phone has ${already} already.`,
        { details: { limit, already } },
      );
    }
    case "NO_WAREHOUSE":
      return new ApiError("OUT_OF_STOCK", "The co-op has no warehouse stock to sell from.");
    case "OUT_OF_STOCK": {
      const lines = detail as Array<{
        productId: string;
        saleUnitId: string;
        requested: number;
        available: number;
      }>;
      return new ApiError("OUT_OF_STOCK", "Some items are not available in that quantity any more.", {
        details: {
          // In the item's sale units: requested units, whole units available. The unit is named when the
          // item named one (an item without it counts the default unit).
          lines: lines.map((l) => ({
            productId: l.productId,
            ...(data.items.some((i) => i.productId === l.productId && i.saleUnitId)
              ? { saleUnitId: l.saleUnitId }
              : {}),
            requested: l.requested,
            available: l.available,
          })),
        },
      });
    }
    default:
      return new ApiError("INTERNAL", "The order could not be placed. Please try again.");
  }
}
