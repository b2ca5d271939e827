import { createCookie } from "@remix-run/node";
import { env } from "../env.server";
import { type Cart, decodeCart, encodeCart } from "./cart";

/**
 * The cart cookie: signed (a changed value is thrown away), httpOnly (no script reads it), a month long.
 * It holds product ids and quantities only; prices always come from the API.
 */
export const cartCookie = createCookie("coop_cart", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  secure: env.NODE_ENV === "production",
  secrets: [env.SESSION_SECRET],
  maxAge: 60 * 60 * 24 * 30,
});

export async function readCart(request: Request): Promise<Cart> {
  return decodeCart(await cartCookie.parse(request.headers.get("Cookie")));
}

/** The Set-Cookie header that stores a cart; an empty cart deletes the cookie. */
export function saveCart(cart: Cart): Promise<string> {
  if (cart.lines.length === 0) return cartCookie.serialize("", { maxAge: 0 });
  return cartCookie.serialize(encodeCart(cart));
}
