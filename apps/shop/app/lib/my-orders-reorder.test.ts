import { describe, expect, it } from "vitest";
import { addToCart, emptyCart, MAX_LINE_QUANTITY } from "./cart";
import { reorderIntoCart, reorderItems, reorderValue } from "./my-orders-reorder";

describe("reorder (再买一次)", () => {
  it("adds each item of the order to what the cart already holds", () => {
    const cart = addToCart(emptyCart(), "prd_egg", 10).cart;
    const result = reorderIntoCart(
      cart,
      [
        { productId: "prd_egg", quantity: 30 },
        { productId: "prd_oil", quantity: 500 },
      ],
      "shop-key-0001",
    );
    expect(result.cart.lines).toEqual([
      { productId: "prd_egg", quantity: 40 },
      { productId: "prd_oil", quantity: 500 },
    ]);
    expect(result.added).toBe(2);
  });

  it("adds nothing twice when the same form is sent again", () => {
    const once = reorderIntoCart(emptyCart(), [{ productId: "prd_egg", quantity: 30 }], "shop-key-0002");
    const twice = reorderIntoCart(once.cart, [{ productId: "prd_egg", quantity: 30 }], "shop-key-0002");
    expect(twice.replayed).toBe(true);
    expect(twice.cart.lines).toEqual([{ productId: "prd_egg", quantity: 30 }]);
  });

  it("skips an item the cart cannot take and keeps the rest", () => {
    const full = addToCart(emptyCart(), "prd_egg", MAX_LINE_QUANTITY).cart;
    const result = reorderIntoCart(
      full,
      [
        { productId: "prd_egg", quantity: 1 },
        { productId: "prd_oil", quantity: 2 },
      ],
      null,
    );
    expect(result.skipped).toBe(1);
    expect(result.cart.lines).toEqual([
      { productId: "prd_egg", quantity: MAX_LINE_QUANTITY },
      { productId: "prd_oil", quantity: 2 },
    ]);
  });

  it("reads only well-formed items from the form", () => {
    const values = [reorderValue({ productId: "prd_a", quantity: 3 }), "prd_b:-1", "bad", 7, "prd c:2"];
    expect(reorderItems(values)).toEqual([{ productId: "prd_a", quantity: 3 }]);
  });
});
