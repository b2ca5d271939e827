import { describe, expect, it } from "vitest";
import {
  checkoutFieldOf,
  checkoutTotals,
  deliveryFeeFor,
  deliveryPossible,
  normalizePhone,
  type PricedProduct,
  priceCart,
  shortLines,
} from "./checkout";
import { outOfStockLines } from "./checkout.server";

const product = (id: string, over: Partial<PricedProduct> = {}): PricedProduct => ({
  id,
  name: { zh: `货${id}`, en: `Goods ${id}` },
  unit: "piece",
  priceFen: 200,
  available: 100,
  kind: "produce",
  ...over,
});

describe("pricing a cart", () => {
  const piece = {
    id: "sun_piece",
    label: { zh: "个", en: "piece" },
    size: 1,
    priceFen: 200,
    minUnits: 1,
    stepUnits: 1,
    isDefault: true,
  };
  const box = {
    ...piece,
    id: "sun_box",
    label: { zh: "盒(30个)", en: "box of 30" },
    size: 30,
    priceFen: 5800,
    isDefault: false,
  };
  const jin = { ...piece, id: "sun_jin", label: { zh: "斤", en: "jin" }, size: 500, priceFen: 1380 };
  const eggs = (over: Partial<PricedProduct> = {}) => product("eggs", { saleUnits: [piece, box], ...over });

  it("prices every line at its sale unit's price from the API, never from the cart, and adds them up", () => {
    const products = new Map<string, PricedProduct | null>([
      ["eggs", eggs()],
      ["radish", product("radish", { unit: "gram", priceFen: 1380, saleUnits: [jin] })],
    ]);
    const priced = priceCart(
      [
        { productId: "eggs", saleUnitId: "sun_piece", units: 30 },
        { productId: "eggs", saleUnitId: "sun_box", units: 1 },
        { productId: "radish", saleUnitId: "sun_jin", units: 3 },
      ],
      products,
    );
    // 30 loose eggs are 30 × ¥2.00, not a ¥58 box; the box is ¥58.00.
    expect(priced.lines.map((line) => line.lineTotalFen)).toEqual([6000, 5800, 4140]);
    expect(priced.lines.map((line) => line.quantity)).toEqual([30, 30, 1500]);
    expect(priced.subtotalFen).toBe(15_940);
    expect(priced.gone).toEqual([]);
  });

  it("names lines whose product or unit is no longer sold", () => {
    const priced = priceCart(
      [
        { productId: "gone", saleUnitId: "sun_piece", units: 1 },
        { productId: "eggs", saleUnitId: "sun_tray", units: 1 },
        { productId: "eggs", saleUnitId: "sun_piece", units: 5 },
      ],
      new Map([
        ["gone", null],
        ["eggs", eggs()],
      ]),
    );
    expect(priced.gone).toEqual([
      { productId: "gone", saleUnitId: "sun_piece" },
      { productId: "eggs", saleUnitId: "sun_tray" },
    ]);
    expect(priced.subtotalFen).toBe(1000);
  });

  it("checks availability as units × size over every line of the product", () => {
    const lines = [
      { productId: "eggs", saleUnitId: "sun_piece", units: 12 },
      { productId: "eggs", saleUnitId: "sun_box", units: 1 },
    ];
    const enough = priceCart(lines, new Map([["eggs", eggs({ available: 42 })]]));
    expect(enough.lines.map((line) => line.short)).toEqual([false, false]);
    const short = priceCart(lines, new Map([["eggs", eggs({ available: 41 })]]));
    expect(short.lines.map((line) => line.short)).toEqual([true, true]);
    expect(short.lines[1]?.availableUnits).toBe(1);
  });

  it("flags a count off the unit's steps (the co-op changed them since)", () => {
    const dozens = { ...piece, minUnits: 6, stepUnits: 6 };
    const priced = priceCart(
      [{ productId: "eggs", saleUnitId: "sun_piece", units: 8 }],
      new Map([["eggs", eggs({ saleUnits: [dozens] })]]),
    );
    expect(priced.lines[0]?.unfit).toBe(true);
  });
});

describe("the delivery fee", () => {
  it("is the co-op's fee, free from the threshold on, and never for pickup", () => {
    const rule = { deliveryFeeFen: 1000, freeDeliveryOverFen: 9900 };
    expect(deliveryFeeFor(9899, rule)).toBe(1000);
    expect(deliveryFeeFor(9900, rule)).toBe(0);
    expect(deliveryFeeFor(100_000, { deliveryFeeFen: 1000, freeDeliveryOverFen: null })).toBe(1000);
    expect(checkoutTotals(2700, rule)).toEqual({
      pickup: { feeFen: 0, totalFen: 2700 },
      delivery: { feeFen: 1000, totalFen: 3700 },
    });
  });

  it("is offered only when an online payment is (cash is paid at a service point)", () => {
    expect(deliveryPossible(["cash_on_pickup"])).toBe(false);
    expect(deliveryPossible(["cash_on_pickup", "alipay"])).toBe(true);
  });
});

describe("API field paths on the checkout form", () => {
  it("point at the field to correct", () => {
    expect(checkoutFieldOf("contact.name")).toBe("name");
    expect(checkoutFieldOf("contact.phone")).toBe("phone");
    expect(checkoutFieldOf("fulfilment.servicePointId")).toBe("servicePointId");
    expect(checkoutFieldOf("fulfilment.address")).toBe("address");
    expect(checkoutFieldOf("payment.method")).toBe("paymentMethod");
    expect(checkoutFieldOf("items.1.productId")).toBe("items");
    expect(checkoutFieldOf("note")).toBeNull();
  });

  it("accept a mobile number however it is spaced", () => {
    expect(normalizePhone("139 1234 5678")).toBe("13912345678");
    expect(normalizePhone("139-1234-5678")).toBe("13912345678");
    expect(normalizePhone("12345678901")).toBeNull();
    expect(normalizePhone("1391234567")).toBeNull();
  });
});

describe("the lines of an OUT_OF_STOCK answer", () => {
  it("are read from error.details.lines, and none from anything else", () => {
    expect(outOfStockLines({ lines: [{ productId: "eggs", requested: 6 }] })).toEqual([
      { productId: "eggs", requested: 6 },
    ]);
    expect(outOfStockLines({})).toEqual([]);
    expect(outOfStockLines({ lines: [{ productId: "eggs" }] })).toEqual([]);
    expect(outOfStockLines(undefined)).toEqual([]);
  });

  it("say what the buyer can have now: that many, none, or (stock elsewhere) less than asked", () => {
    const products = new Map<string, PricedProduct | null>([
      ["few", product("few", { available: 4 })],
      ["none", product("none", { available: 0 })],
      ["elsewhere", product("elsewhere", { available: 500 })],
      ["gone", null],
    ]);
    const short = shortLines(
      [
        { productId: "few", requested: 6 },
        { productId: "none", requested: 2 },
        { productId: "elsewhere", requested: 60 },
        { productId: "gone", requested: 1 },
      ],
      products,
    );
    expect(short.map((line) => [line.productId, line.canHave])).toEqual([
      ["few", 4],
      ["none", 0],
      ["elsewhere", null],
      ["gone", 0],
    ]);
    expect(short[0]?.name).toEqual({ zh: "货few", en: "Goods few" });
    expect(short[3]?.name).toBeNull();
  });

  it("take the refusal's own figure for the place ordered, over the catalog's", () => {
    expect(
      outOfStockLines({ lines: [{ productId: "eggs", requested: 10, available: 8, locationId: "x" }] }),
    ).toEqual([{ productId: "eggs", requested: 10, available: 8 }]);
    const products = new Map<string, PricedProduct | null>([["eggs", product("eggs", { available: 148 })]]);
    const short = shortLines([{ productId: "eggs", requested: 10, available: 8 }], products);
    expect(short.map((line) => [line.productId, line.canHave])).toEqual([["eggs", 8]]);
  });
});
