import type { SaleUnit } from "@coop/shared/contract";
import { describe, expect, it } from "vitest";
import {
  addToCart,
  buyerQuantityText,
  type Cart,
  type CartLine,
  convertOldLines,
  decodeCart,
  emptyCart,
  encodeCart,
  MAX_CART_LINES,
  MAX_LINE_QUANTITY,
  maxUnits,
  parseBuyerQuantity,
  parseUnits,
  removeFromCart,
  setCartUnits,
  stepUnits,
  unitsFit,
  withoutLines,
} from "./cart";

const unit = (id: string, size: number, priceFen: number, over: Partial<SaleUnit> = {}): SaleUnit => ({
  id,
  label: { zh: id, en: id },
  size,
  priceFen,
  minUnits: 1,
  stepUnits: 1,
  isDefault: false,
  ...over,
});
const piece = unit("sun_piece", 1, 200, { isDefault: true });
const box = unit("sun_box", 30, 5800);
const jin = unit("sun_jin", 500, 1380, { isDefault: true });

const line = (productId: string, saleUnitId: string, units: number): CartLine => ({
  productId,
  saleUnitId,
  units,
});
const cart = (...lines: CartLine[]): Cart => ({ lines, old: [], lastKey: null });

describe("the cart cookie's value", () => {
  it("decodes what it encodes: product, sale unit and count", () => {
    const value = {
      ...cart(line("prd_a", "sun_piece", 30), line("prd_a", "sun_box", 1)),
      lastKey: "shop-key-1",
    };
    expect(decodeCart(encodeCart(value))).toEqual(value);
    expect(encodeCart(value)).toEqual({
      v: 2,
      l: [
        ["prd_a", "sun_piece", 30],
        ["prd_a", "sun_box", 1],
      ],
      k: "shop-key-1",
    });
  });

  it("starts empty from nothing or a value that is not a cart", () => {
    for (const value of [null, undefined, "", {}, { v: 3, l: [] }, [], 42, { v: 2, l: "x" }]) {
      expect(decodeCart(value)).toEqual(emptyCart());
    }
  });

  it("opens a cookie from before sale units (v1, base units) as old lines to convert, never crashing", () => {
    const old = decodeCart({
      v: 1,
      l: [
        ["prd_egg", 30],
        ["prd_egg", 1],
        ["prd bad id", 1],
        ["prd_neg", -3],
        ["prd_huge", MAX_LINE_QUANTITY + 1],
        ["only-one"],
      ],
      k: "shop-key-9",
    });
    expect(old).toEqual({ lines: [], old: [{ productId: "prd_egg", quantity: 31 }], lastKey: "shop-key-9" });
    // Old lines stay in the cookie until converted.
    expect(decodeCart(encodeCart(old))).toEqual(old);
  });

  it("drops lines it cannot trust: odd ids, zero, negative, fractional or huge counts", () => {
    const decoded = decodeCart({
      v: 2,
      l: [
        ["prd_ok", "sun_a", 2],
        ["prd bad id", "sun_a", 1],
        ["prd_x", "sun a", 1],
        ["prd_zero", "sun_a", 0],
        ["prd_half", "sun_a", 1.5],
        ["prd_huge", "sun_a", 10_001],
        ["prd_text", "sun_a", "3"],
        ["prd_two", 3],
      ],
    });
    expect(decoded.lines).toEqual([line("prd_ok", "sun_a", 2)]);
  });

  it("merges a line listed twice and keeps at most MAX_CART_LINES lines", () => {
    const many = Array.from({ length: MAX_CART_LINES + 5 }, (_, i) => [`prd_${i}`, "sun_a", 1]);
    expect(decodeCart({ v: 2, l: many }).lines).toHaveLength(MAX_CART_LINES);
    expect(
      decodeCart({
        v: 2,
        l: [
          ["prd_a", "sun_a", 2],
          ["prd_a", "sun_a", 3],
        ],
      }).lines,
    ).toEqual([line("prd_a", "sun_a", 5)]);
  });

  it("ignores a malformed last key", () => {
    expect(decodeCart({ v: 2, l: [], k: "no spaces allowed" }).lastKey).toBeNull();
  });
});

describe("adding to the cart", () => {
  it("adds a new line at the end and adds up a line of the same unit", () => {
    const once = addToCart(cart(line("prd_a", "sun_a", 1)), line("prd_b", "sun_piece", 6), "shop-key-1");
    expect(once.outcome).toBe("added");
    expect(once.cart.lines).toEqual([line("prd_a", "sun_a", 1), line("prd_b", "sun_piece", 6)]);
    const twice = addToCart(once.cart, line("prd_b", "sun_piece", 4), "shop-key-2");
    expect(twice.cart.lines[1]).toEqual(line("prd_b", "sun_piece", 10));
  });

  it("keeps two units of one product as two lines (30 个 and 1 盒(30个))", () => {
    const loose = addToCart(emptyCart(), line("prd_egg", "sun_piece", 30)).cart;
    const both = addToCart(loose, line("prd_egg", "sun_box", 1)).cart;
    expect(both.lines).toEqual([line("prd_egg", "sun_piece", 30), line("prd_egg", "sun_box", 1)]);
    expect(removeFromCart(both, "prd_egg", "sun_piece").lines).toEqual([line("prd_egg", "sun_box", 1)]);
    expect(setCartUnits(both, "prd_egg", "sun_box", 2).lines[1]).toEqual(line("prd_egg", "sun_box", 2));
    expect(setCartUnits(both, "prd_egg", "sun_box", 2).lines[0]).toEqual(line("prd_egg", "sun_piece", 30));
  });

  it("adds nothing when the same form (same key) arrives again", () => {
    const first = addToCart(emptyCart(), line("prd_a", "sun_a", 6), "shop-key-1");
    const again = addToCart(first.cart, line("prd_a", "sun_a", 6), "shop-key-1");
    expect(again.outcome).toBe("replayed");
    expect(again.cart.lines).toEqual([line("prd_a", "sun_a", 6)]);
  });

  it("refuses a new line when the cart is full, and more units than an order line takes", () => {
    const full = cart(...Array.from({ length: MAX_CART_LINES }, (_, i) => line(`prd_${i}`, "sun_a", 1)));
    expect(addToCart(full, line("prd_new", "sun_a", 1)).outcome).toBe("full");
    // Another unit of a product already there is a new line too.
    expect(addToCart(full, line("prd_0", "sun_b", 1)).outcome).toBe("full");
    // More of a line already in a full cart is fine.
    expect(addToCart(full, line("prd_0", "sun_a", 1)).outcome).toBe("added");
    expect(addToCart(cart(line("prd_a", "sun_a", 10_000)), line("prd_a", "sun_a", 1)).outcome).toBe(
      "tooMuch",
    );
  });

  it("sets, removes and drops lines", () => {
    const value = cart(line("prd_a", "sun_a", 1), line("prd_b", "sun_b", 2));
    expect(setCartUnits(value, "prd_a", "sun_a", 0).lines).toEqual([line("prd_b", "sun_b", 2)]);
    expect(setCartUnits(value, "prd_a", "sun_a", -1)).toEqual(value);
    expect(withoutLines(value, [{ productId: "prd_a", saleUnitId: "sun_a" }]).lines).toEqual([
      line("prd_b", "sun_b", 2),
    ]);
  });
});

describe("the stepper (− / +) and the unit's minimum", () => {
  const dozen = unit("sun_dozen", 1, 200, { minUnits: 6, stepUnits: 6 });

  it("moves by the unit's step from its minimum and never below it", () => {
    expect(stepUnits(piece, 1, 1)).toBe(2);
    expect(stepUnits(piece, 1, -1)).toBe(1);
    expect(stepUnits(dozen, 6, 1)).toBe(12);
    expect(stepUnits(dozen, 12, -1)).toBe(6);
    expect(stepUnits(dozen, 6, -1)).toBe(6);
    // A count typed off the steps moves to the next step in that direction; below the minimum, to it.
    expect(stepUnits(dozen, 8, 1)).toBe(12);
    expect(stepUnits(dozen, 8, -1)).toBe(6);
    expect(stepUnits(dozen, 2, 1)).toBe(6);
    expect(stepUnits(dozen, Number.NaN, 1)).toBe(6);
  });

  it("stops at the most one order line may take", () => {
    expect(maxUnits(jin)).toBe(2000); // 1,000,000 g
    expect(stepUnits(jin, 2000, 1)).toBe(2000);
    expect(stepUnits(piece, 10_000, 1)).toBe(10_000);
  });

  it("takes only counts on the steps, and only whole typed numbers", () => {
    expect(unitsFit(dozen, 6)).toBe(true);
    expect(unitsFit(dozen, 18)).toBe(true);
    expect(unitsFit(dozen, 7)).toBe(false);
    expect(unitsFit(dozen, 0)).toBe(false);
    expect(parseUnits(" 30 ")).toBe(30);
    for (const input of ["", "0", "1.5", "-1", "abc", "1e3"]) expect(parseUnits(input), input).toBeNull();
  });
});

describe("converting an old cookie's lines", () => {
  const egg = { saleUnits: [piece, box] };

  it("orders each in the largest unit it fills exactly, merged with a line of that unit, once", () => {
    const old: Cart = {
      lines: [line("prd_egg", "sun_box", 1)],
      old: [
        { productId: "prd_egg", quantity: 30 },
        { productId: "prd_pk", quantity: 1500 },
        { productId: "prd_few", quantity: 7 },
      ],
      lastKey: null,
    };
    const products = new Map([
      ["prd_egg", egg],
      ["prd_pk", { saleUnits: [jin] }],
      ["prd_few", egg],
    ]);
    const { cart: converted, dropped } = convertOldLines(old, products);
    expect(converted.lines).toEqual([
      line("prd_egg", "sun_box", 2),
      line("prd_pk", "sun_jin", 3),
      line("prd_few", "sun_piece", 7),
    ]);
    expect(converted.old).toEqual([]);
    expect(dropped).toEqual([]);
  });

  it("drops, and names, lines no unit fits (part of a 斤) or whose product is gone", () => {
    const old: Cart = {
      lines: [],
      old: [
        { productId: "prd_pk", quantity: 750 },
        { productId: "prd_gone", quantity: 2 },
        { productId: "prd_egg", quantity: 3 },
      ],
      lastKey: "shop-key-1",
    };
    const products = new Map<string, { saleUnits: SaleUnit[] } | null>([
      ["prd_pk", { saleUnits: [jin] }],
      ["prd_gone", null],
      ["prd_egg", egg],
    ]);
    const { cart: converted, dropped } = convertOldLines(old, products);
    expect(converted).toEqual({ lines: [line("prd_egg", "sun_piece", 3)], old: [], lastKey: "shop-key-1" });
    expect(dropped).toEqual(["prd_pk", "prd_gone"]);
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
