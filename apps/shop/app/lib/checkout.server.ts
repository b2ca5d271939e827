import type { CreateOrder, OrderCreated } from "@coop/shared/contract";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import type { ApiClient } from "./api.server";
import { ApiError, ApiUnavailableError } from "./api.server";
import { type Cart, convertOldLines } from "./cart";
import {
  type CheckoutField,
  checkoutFieldOf,
  type PricedCart,
  type PricedProduct,
  priceCart,
} from "./checkout";
import { rememberOrder } from "./my-orders";
import { readMyOrders, saveMyOrders, savePendingPayment } from "./my-orders.server";
import { savePlace } from "./places.server";

/**
 * Every product of a cart as the API sells it now (null: no longer sold), fetched side by side, with what
 * can be had at the pickup point given (absent: what the warehouse can deliver).
 */
export async function cartProducts(
  api: ApiClient,
  productIds: readonly string[],
  servicePointId?: string,
): Promise<Map<string, PricedProduct | null>> {
  const products = await Promise.all(productIds.map((id) => api.getProduct(id, servicePointId)));
  return new Map(productIds.map((id, index) => [id, products[index] ?? null]));
}

/**
 * The cart priced from the API, each line checked against what can be had at the place given. Lines of an old
 * cookie (base units) are converted first (`convertOldLines`): `converted` is then the cart to store, with
 * the products whose lines could not be converted.
 */
export async function pricedCart(
  api: ApiClient,
  cart: Cart,
  servicePointId?: string,
): Promise<PricedCart & { converted: { cart: Cart; dropped: string[] } | null }> {
  const ids = [...new Set([...cart.lines, ...cart.old].map((line) => line.productId))];
  const products = await cartProducts(api, ids, servicePointId);
  const converted = cart.old.length > 0 ? convertOldLines(cart, products) : null;
  return { ...priceCart((converted?.cart ?? cart).lines, products), converted };
}

/** error.details of a 409 OUT_OF_STOCK: the lines the API could not reserve, and what it has there. */
const OutOfStockDetails = z.object({
  lines: z.array(
    z.object({
      productId: z.string(),
      saleUnitId: z.string().optional(),
      requested: z.number().int(),
      available: z.number().int().min(0).optional(),
    }),
  ),
});

/** The short lines of an OUT_OF_STOCK answer; an answer without them (an older API) names none. */
export function outOfStockLines(details: unknown): Array<{
  productId: string;
  saleUnitId?: string | undefined;
  requested: number;
  available?: number | undefined;
}> {
  const parsed = OutOfStockDetails.safeParse(details);
  return parsed.success ? parsed.data.lines : [];
}

/**
 * After an order is placed: the phone remembers the order's access token and the place it was for (the
 * place to count next time), and the buyer goes on to pay (online) or to the order's page. `extraCookies`
 * are set with them (the checkout empties the cart).
 */
export async function afterOrderPlaced(
  request: Request,
  order: OrderCreated,
  fulfilment: CreateOrder["fulfilment"],
  extraCookies: string[] = [],
) {
  const headers = new Headers();
  for (const cookie of extraCookies) headers.append("Set-Cookie", cookie);
  headers.append(
    "Set-Cookie",
    await savePlace(
      fulfilment.type === "pickup"
        ? { type: "pickup", servicePointId: fulfilment.servicePointId }
        : { type: "delivery" },
    ),
  );
  const known = await readMyOrders(request);
  headers.append(
    "Set-Cookie",
    await saveMyOrders(rememberOrder(known, { id: order.id, token: order.accessToken })),
  );
  const orderPath = `/orders/${encodeURIComponent(order.id)}`;
  if (order.payment.clientSecret) {
    headers.append(
      "Set-Cookie",
      await savePendingPayment({ orderId: order.id, clientSecret: order.payment.clientSecret }),
    );
    return redirect(`${orderPath}/pay`, { headers });
  }
  return redirect(`${orderPath}?placed=1`, { headers });
}

/** Refusals of an order that every way of ordering answers alike (catalog keys checkout.problems.*). */
export type PlacementProblem =
  | "unavailable"
  | "pointClosed"
  | "checkFields"
  | "paymentUnavailable"
  | "inProgress"
  | "tryAgain"
  | "rateLimited";

/**
 * What to tell the buyer when placing an order failed for a reason common to the checkout and the sale page,
 * with the fields to mark; null for anything else (the caller's own refusals, or a bug to throw).
 */
export function placementProblem(error: unknown): {
  problem: PlacementProblem;
  status: number;
  fields: Partial<Record<CheckoutField, CheckoutField>>;
} | null {
  if (error instanceof ApiUnavailableError) return { problem: "unavailable", status: 503, fields: {} };
  if (!(error instanceof ApiError)) return null;
  // A point closed since the page was loaded: the page comes back without it, asking for another.
  if (error.code === "SERVICE_POINT_CLOSED")
    return { problem: "pointClosed", status: 409, fields: { servicePointId: "servicePointId" } };
  if (error.code === "VALIDATION_FAILED") {
    const fields: Partial<Record<CheckoutField, CheckoutField>> = {};
    for (const issue of error.fields) {
      const field = checkoutFieldOf(issue.path);
      if (field) fields[field] = field;
    }
    return { problem: "checkFields", status: 400, fields };
  }
  if (error.code === "PAYMENT_UNAVAILABLE") return { problem: "paymentUnavailable", status: 503, fields: {} };
  if (error.code === "IDEMPOTENCY_IN_PROGRESS") return { problem: "inProgress", status: 409, fields: {} };
  if (error.code === "IDEMPOTENCY_KEY_REUSED") return { problem: "tryAgain", status: 409, fields: {} };
  if (error.code === "RATE_LIMITED") return { problem: "rateLimited", status: 429, fields: {} };
  return null;
}
