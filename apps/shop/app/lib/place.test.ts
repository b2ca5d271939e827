import { describe, expect, it } from "vitest";
import {
  catalogPlace,
  decodePlace,
  encodePlace,
  placeFromForm,
  placeView,
  pointsByVillage,
  stillOffered,
} from "./place";

const point = (id: string, village: string, zh: string) => ({
  id,
  village,
  name: { zh, en: zh },
  address: null,
  openingHours: null,
});

describe("the remembered place", () => {
  it("round-trips a point and delivery; anything else is none chosen", () => {
    for (const place of [
      { type: "pickup", servicePointId: "loc_01abc" } as const,
      { type: "delivery" } as const,
    ]) {
      expect(decodePlace(encodePlace(place))).toEqual(place);
    }
    for (const bad of [undefined, null, "", "pickup:", "pickup:<script>", "warehouse", 42]) {
      expect(decodePlace(bad)).toBeNull();
    }
    expect(placeFromForm("delivery")).toEqual({ type: "delivery" });
    expect(placeFromForm("loc_1")).toEqual({ type: "pickup", servicePointId: "loc_1" });
    expect(placeFromForm("a b")).toBeNull();
  });

  it("forgets a point that is no longer offered and asks the catalog for the point only", () => {
    const points = [point("loc_1", "竹山村", "竹山村服务点")];
    expect(stillOffered({ type: "pickup", servicePointId: "loc_2" }, points)).toBeNull();
    expect(stillOffered({ type: "pickup", servicePointId: "loc_1" }, points)).toEqual({
      type: "pickup",
      servicePointId: "loc_1",
    });
    expect(stillOffered({ type: "delivery" }, [])).toEqual({ type: "delivery" });
    expect(catalogPlace({ type: "pickup", servicePointId: "loc_1" })).toBe("loc_1");
    expect(catalogPlace({ type: "delivery" })).toBeUndefined();
    expect(placeView({ type: "pickup", servicePointId: "loc_1" }, points)).toEqual({
      type: "pickup",
      id: "loc_1",
      name: { zh: "竹山村服务点", en: "竹山村服务点" },
    });
  });

  it("groups the open points by village", () => {
    const groups = pointsByVillage([
      point("a", "竹山村", "竹山村二组"),
      point("b", "白石村", "白石村服务点"),
      point("c", "竹山村", "竹山村服务点"),
    ]);
    expect(groups.map((g) => [g.village, g.points.map((p) => p.id)])).toEqual([
      ["白石村", ["b"]],
      ["竹山村", ["a", "c"]],
    ]);
  });
});
