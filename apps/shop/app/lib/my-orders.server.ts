import { createCookie } from "@remix-run/node";
import { env } from "../env.server";
import { decodeRememberedOrders, encodeRememberedOrders, type RememberedOrder } from "./my-orders";

const cookieOptions = {
  path: "/",
  sameSite: "lax" as const,
  httpOnly: true,
  secure: env.NODE_ENV === "production",
  secrets: [env.SESSION_SECRET],
};

/** The buyer's orders on this phone with their access tokens: httpOnly, signed, kept for a year. */
export const myOrdersCookie = createCookie("coop_orders", { ...cookieOptions, maxAge: 60 * 60 * 24 * 365 });

/**
 * The Stripe client secret of the order being paid, from placing it to the payment step (the API gives it
 * only once). Short-lived: an unpaid order is released after at most a day.
 */
export const paymentCookie = createCookie("coop_pay", { ...cookieOptions, maxAge: 60 * 60 * 24 });

export async function readMyOrders(request: Request): Promise<RememberedOrder[]> {
  return decodeRememberedOrders(await myOrdersCookie.parse(request.headers.get("Cookie")));
}

export function saveMyOrders(orders: readonly RememberedOrder[]): Promise<string> {
  return myOrdersCookie.serialize(encodeRememberedOrders(orders));
}

export interface PendingPayment {
  orderId: string;
  clientSecret: string;
}

export async function readPendingPayment(request: Request): Promise<PendingPayment | null> {
  const value: unknown = await paymentCookie.parse(request.headers.get("Cookie"));
  if (!value || typeof value !== "object") return null;
  const { orderId, clientSecret } = value as Record<string, unknown>;
  return typeof orderId === "string" && typeof clientSecret === "string" ? { orderId, clientSecret } : null;
}

export function savePendingPayment(payment: PendingPayment | null): Promise<string> {
  return payment ? paymentCookie.serialize(payment) : paymentCookie.serialize("", { maxAge: 0 });
}
