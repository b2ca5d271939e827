import { MAX_ORDER_UNITS } from "@coop/shared";
import { describe, expect, it } from "vitest";
import { type Cart, emptyCart, MAX_CART_LINES } from "./cart";
import { cartCookie, readCart, saveCart } from "./cart.server";
import { MAX_REMEMBERED_ORDERS, type RememberedOrder } from "./my-orders";
import { readMyOrders, readPendingPayment, saveMyOrders, savePendingPayment } from "./my-orders.server";

/** A request carrying what a Set-Cookie header stored. */
const requestWith = (...setCookies: string[]) =>
  new Request("http://shop.test/", {
    headers: { cookie: setCookies.map((header) => header.split(";")[0]).join("; ") },
  });

/** The biggest cart allowed, with ids a little longer than real ones (prd_ / sun_ + 26 characters). */
const fullCart: Cart = {
  lines: Array.from({ length: MAX_CART_LINES }, (_, i) => ({
    productId: `prd_${String(i).padStart(28, "x")}`,
    saleUnitId: `sun_${String(i).padStart(28, "x")}`,
    units: MAX_ORDER_UNITS,
  })),
  old: [],
  lastKey: `shop-${"0".repeat(36)}`,
};

describe("the cart cookie", () => {
  it("comes back as it was saved, signed", async () => {
    const saved = await saveCart({
      lines: [{ productId: "prd_a", saleUnitId: "sun_a", units: 6 }],
      old: [],
      lastKey: "shop-key-1",
    });
    expect(saved).toMatch(/^coop_cart=/);
    expect(saved).toMatch(/HttpOnly/i);
    expect(saved).toMatch(/SameSite=Lax/i);
    expect(await readCart(requestWith(saved))).toEqual({
      lines: [{ productId: "prd_a", saleUnitId: "sun_a", units: 6 }],
      old: [],
      lastKey: "shop-key-1",
    });
  });

  it("is thrown away when someone changes it", async () => {
    const saved = await saveCart({
      lines: [{ productId: "prd_a", saleUnitId: "sun_a", units: 6 }],
      old: [],
      lastKey: null,
    });
    const [pair] = saved.split(";");
    const [name, value] = pair!.split("=");
    const forged = `${name}=${value!.replace(/^./, (c) => (c === "e" ? "f" : "e"))}`;
    expect(await readCart(requestWith(forged))).toEqual(emptyCart());
    // An unsigned value that looks like a cart is not trusted either.
    const unsigned = `coop_cart=${btoa(JSON.stringify({ v: 1, l: [["prd_a", 1]] }))}`;
    expect(await readCart(requestWith(unsigned))).toEqual(emptyCart());
  });

  it("stays under the 4 KB a browser keeps, even full", async () => {
    const saved = await saveCart(fullCart);
    expect(saved.split(";")[0]!.length).toBeLessThan(4096);
    expect((await readCart(requestWith(saved))).lines).toHaveLength(MAX_CART_LINES);
  });

  it("is deleted when the cart is empty", async () => {
    const saved = await saveCart(emptyCart());
    expect(saved).toMatch(/Max-Age=0/i);
    expect(await cartCookie.parse(null)).toBeNull();
  });
});

describe("the orders remembered on a phone", () => {
  const token = (i: number) => `oat_${String(i).padStart(43, "a")}`;

  it("keep each order's access token in an httpOnly cookie, and stay under 4 KB when full", async () => {
    const orders: RememberedOrder[] = Array.from({ length: MAX_REMEMBERED_ORDERS }, (_, i) => ({
      id: `ord_${String(i).padStart(26, "0")}`,
      token: token(i),
    }));
    const saved = await saveMyOrders(orders);
    expect(saved).toMatch(/HttpOnly/i);
    expect(saved.split(";")[0]!.length).toBeLessThan(4096);
    expect(await readMyOrders(requestWith(saved))).toEqual(orders);
  });

  it("keep the payment step's client secret for one order until it is cleared", async () => {
    const saved = await savePendingPayment({ orderId: "ord_1", clientSecret: "pi_1_secret_2" });
    expect(await readPendingPayment(requestWith(saved))).toEqual({
      orderId: "ord_1",
      clientSecret: "pi_1_secret_2",
    });
    expect(await savePendingPayment(null)).toMatch(/Max-Age=0/i);
    expect(await readPendingPayment(requestWith())).toBeNull();
  });
});
