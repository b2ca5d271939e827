import { describe, expect, it } from "vitest";
import { familyRows } from "./recall-family";

const member = (lotId: string, parentLotId: string | null) => ({
  lotId,
  lotNo: lotId.toUpperCase(),
  parentLotId,
  status: "blocked" as const,
  locationId: "loc_wh",
  locationKind: "warehouse" as const,
  locationName: { zh: "仓库", en: "Warehouse" },
  onHand: 0,
  blockedQuantity: 1,
});

describe("familyRows", () => {
  it("puts each split-off lot under the lot it came from and marks the lot asked for", () => {
    // The API lists generation by generation: root, children, grandchildren.
    const family = [member("p", null), member("p-1", "p"), member("p-2", "p"), member("p-1-1", "p-1")];
    const rows = familyRows(family, "p-2");
    expect(rows.map((r) => [r.lotId, r.depth, r.parentLotNo, r.asked])).toEqual([
      ["p", 0, null, false],
      ["p-1", 1, "P", false],
      ["p-1-1", 2, "P-1", false],
      ["p-2", 1, "P", true],
    ]);
  });

  it("shows a lot that was never split as a family of one", () => {
    expect(familyRows([member("p", null)], "p")).toEqual([
      expect.objectContaining({ lotId: "p", depth: 0, asked: true, parentLotNo: null }),
    ]);
  });
});
