import { describe, expect, it } from "vitest";
import {
  addToCart,
  buyerQuantityText,
  type Cart,
  decodeCart,
  emptyCart,
  encodeCart,
  MAX_CART_LINES,
  MAX_LINE_QUANTITY,
  parseBuyerQuantity,
  removeFromCart,
  setCartQuantity,
  withoutProducts,
} from "./cart";

const cart = (...lines: Array<[string, number]>): Cart => ({
  lines: lines.map(([productId, quantity]) => ({ productId, quantity })),
  lastKey: null,
});

describe("the cart cookie's value", () => {
  it("decodes what it encodes", () => {
    const value = { ...cart(["prd_a", 6], ["prd_b", 500]), lastKey: "shop-key-1" };
    expect(decodeCart(encodeCart(value))).toEqual(value);
    expect(encodeCart(value)).toEqual({
      v: 1,
      l: [
        ["prd_a", 6],
        ["prd_b", 500],
      ],
      k: "shop-key-1",
    });
  });

  it("starts empty from nothing, an old format or a value that is not a cart", () => {
    for (const value of [null, undefined, "", {}, { v: 2, l: [] }, [], 42, { v: 1, l: "x" }]) {
      expect(decodeCart(value)).toEqual(emptyCart());
    }
  });

  it("drops lines it cannot trust: odd ids, zero, negative, fractional or huge quantities", () => {
    const decoded = decodeCart({
      v: 1,
      l: [
        ["prd_ok", 2],
        ["prd bad id", 1],
        ["prd_zero", 0],
        ["prd_neg", -3],
        ["prd_half", 1.5],
        ["prd_huge", MAX_LINE_QUANTITY + 1],
        ["prd_text", "3"],
        ["only-one"],
      ],
    });
    expect(decoded.lines).toEqual([{ productId: "prd_ok", quantity: 2 }]);
  });

  it("merges a product listed twice and keeps at most MAX_CART_LINES products", () => {
    const many = Array.from({ length: MAX_CART_LINES + 5 }, (_, i) => [`prd_${i}`, 1]);
    expect(decodeCart({ v: 1, l: many }).lines).toHaveLength(MAX_CART_LINES);
    expect(
      decodeCart({
        v: 1,
        l: [
          ["prd_a", 2],
          ["prd_a", 3],
        ],
      }).lines,
    ).toEqual([{ productId: "prd_a", quantity: 5 }]);
  });

  it("ignores a malformed last key", () => {
    expect(decodeCart({ v: 1, l: [], k: "no spaces allowed" }).lastKey).toBeNull();
  });
});

describe("adding to the cart", () => {
  it("adds a new product at the end and adds up a product already there", () => {
    const once = addToCart(cart(["prd_a", 1]), "prd_b", 6, "shop-key-1");
    expect(once.outcome).toBe("added");
    expect(once.cart.lines).toEqual([
      { productId: "prd_a", quantity: 1 },
      { productId: "prd_b", quantity: 6 },
    ]);
    const twice = addToCart(once.cart, "prd_b", 4, "shop-key-2");
    expect(twice.cart.lines[1]).toEqual({ productId: "prd_b", quantity: 10 });
  });

  it("adds nothing when the same form (same key) arrives again", () => {
    const first = addToCart(emptyCart(), "prd_a", 6, "shop-key-1");
    const again = addToCart(first.cart, "prd_a", 6, "shop-key-1");
    expect(again.outcome).toBe("replayed");
    expect(again.cart.lines).toEqual([{ productId: "prd_a", quantity: 6 }]);
  });

  it("refuses a product more when the cart is full, and more of one product than an order takes", () => {
    const full = cart(...Array.from({ length: MAX_CART_LINES }, (_, i): [string, number] => [`prd_${i}`, 1]));
    expect(addToCart(full, "prd_new", 1).outcome).toBe("full");
    // More of a product already in a full cart is fine.
    expect(addToCart(full, "prd_0", 1).outcome).toBe("added");
    expect(addToCart(cart(["prd_a", MAX_LINE_QUANTITY]), "prd_a", 1).outcome).toBe("tooMuch");
  });

  it("sets, removes and drops products", () => {
    const value = cart(["prd_a", 1], ["prd_b", 2]);
    expect(setCartQuantity(value, "prd_a", 5).lines[0]).toEqual({ productId: "prd_a", quantity: 5 });
    expect(setCartQuantity(value, "prd_a", 0).lines).toEqual([{ productId: "prd_b", quantity: 2 }]);
    expect(setCartQuantity(value, "prd_a", -1)).toEqual(value);
    expect(removeFromCart(value, "prd_b").lines).toEqual([{ productId: "prd_a", quantity: 1 }]);
    expect(withoutProducts(value, ["prd_a", "prd_b"]).lines).toEqual([]);
  });
});

describe("what a buyer types", () => {
  it("reads goods sold by weight in 斤 and turns them into grams", () => {
    expect(parseBuyerQuantity("1", "gram")).toBe(500);
    expect(parseBuyerQuantity("0.5", "gram")).toBe(250);
    expect(parseBuyerQuantity(" 2.5 ", "gram")).toBe(1250);
    expect(buyerQuantityText(1250, "gram")).toBe("2.5");
  });

  it("reads pieces, bags and millilitres as whole numbers", () => {
    expect(parseBuyerQuantity("6", "piece")).toBe(6);
    expect(parseBuyerQuantity("2.5", "piece")).toBeNull();
    expect(parseBuyerQuantity("2", "bag")).toBe(2);
    expect(parseBuyerQuantity("500", "ml")).toBe(500);
    expect(buyerQuantityText(6, "piece")).toBe("6");
  });

  it("refuses nothing, zero, words and more than one order may take", () => {
    for (const input of ["", "0", "abc", "-1", "1e3", "2000000"]) {
      expect(parseBuyerQuantity(input, "piece"), input).toBeNull();
    }
    expect(parseBuyerQuantity("0.0001", "gram")).toBeNull();
  });
});
