import { MAX_ORDER_UNITS } from "@coop/shared";
import { describe, expect, it } from "vitest";
import { addToCart, emptyCart } from "./cart";
import { reorderIntoCart, reorderItemOf, reorderItems, reorderValue } from "./my-orders-reorder";

const egg = (saleUnitId: string, units: number) => ({ productId: "prd_egg", saleUnitId, units });

describe("reorder (再买一次)", () => {
  it("puts each line back in the unit it was bought in, beside what the cart holds", () => {
    const cart = addToCart(emptyCart(), egg("sun_piece", 10)).cart;
    const result = reorderIntoCart(
      cart,
      [egg("sun_piece", 30), egg("sun_box", 1), { productId: "prd_oil", saleUnitId: "sun_bottle", units: 2 }],
      "shop-key-0001",
    );
    expect(result.cart.lines).toEqual([
      egg("sun_piece", 40),
      egg("sun_box", 1),
      { productId: "prd_oil", saleUnitId: "sun_bottle", units: 2 },
    ]);
    expect(result.added).toBe(3);
  });

  it("a line from before sale units goes in as an old line, converted when the cart opens", () => {
    const item = reorderItemOf({ productId: "prd_egg", quantity: 30, saleUnit: null });
    expect(item).toEqual({ productId: "prd_egg", quantity: 30 });
    const result = reorderIntoCart(emptyCart(), [item], null);
    expect(result.cart.old).toEqual([{ productId: "prd_egg", quantity: 30 }]);
    expect(
      reorderItemOf({ productId: "prd_egg", quantity: 60, saleUnit: { id: "sun_box" }, units: 2 }),
    ).toEqual(egg("sun_box", 2));
  });

  it("adds nothing twice when the same form is sent again", () => {
    const once = reorderIntoCart(emptyCart(), [egg("sun_piece", 30)], "shop-key-0002");
    const twice = reorderIntoCart(once.cart, [egg("sun_piece", 30)], "shop-key-0002");
    expect(twice.replayed).toBe(true);
    expect(twice.cart.lines).toEqual([egg("sun_piece", 30)]);
  });

  it("skips an item the cart cannot take and keeps the rest", () => {
    const full = addToCart(emptyCart(), egg("sun_piece", MAX_ORDER_UNITS)).cart;
    const result = reorderIntoCart(full, [egg("sun_piece", 1), egg("sun_box", 2)], null);
    expect(result.skipped).toBe(1);
    expect(result.cart.lines).toEqual([egg("sun_piece", MAX_ORDER_UNITS), egg("sun_box", 2)]);
  });

  it("reads only well-formed items from the form", () => {
    const values = [
      reorderValue(egg("sun_box", 3)),
      reorderValue({ productId: "prd_a", quantity: 3 }),
      "prd_b:-1",
      "prd_b:sun_x:0",
      "bad",
      7,
      "prd c:2",
    ];
    expect(reorderItems(values)).toEqual([egg("sun_box", 3), { productId: "prd_a", quantity: 3 }]);
  });
});
