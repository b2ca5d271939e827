import type { SaleUnit } from "@coop/shared/contract";
import { describe, expect, it } from "vitest";
import { chooseSaleUnit, smallestSaleUnit } from "./sale-units";

const unit = (id: string, size: number, priceFen: number, extra: Partial<SaleUnit> = {}): SaleUnit => ({
  id,
  label: { zh: id, en: id },
  size,
  priceFen,
  minUnits: 1,
  stepUnits: 1,
  isDefault: false,
  ...extra,
});
const egg = [unit("个", 1, 200, { isDefault: true }), unit("盒(30个)", 30, 5800)];
const jin = [unit("斤", 500, 1380, { isDefault: true })];

describe("a cart line in sale units", () => {
  it("takes the largest unit the quantity fills exactly", () => {
    expect(chooseSaleUnit(egg, 30)).toEqual({ unit: egg[1], units: 1 });
    expect(chooseSaleUnit(egg, 60)).toEqual({ unit: egg[1], units: 2 });
    expect(chooseSaleUnit(egg, 31)).toEqual({ unit: egg[0], units: 31 });
  });

  it("finds no unit for part of a 斤, or below a unit's minimum", () => {
    expect(chooseSaleUnit(jin, 1000)).toEqual({ unit: jin[0], units: 2 });
    expect(chooseSaleUnit(jin, 1250)).toBeNull();
    expect(chooseSaleUnit([unit("盒", 10, 900, { minUnits: 2 })], 10)).toBeNull();
    expect(chooseSaleUnit(undefined, 10)).toBeNull();
    expect(smallestSaleUnit(egg)?.size).toBe(1);
  });
});
