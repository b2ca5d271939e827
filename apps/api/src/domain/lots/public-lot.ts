import type { Executor } from "@coop/db";
import { consignorEntries, consignors, locations, lots, products, stockMovements } from "@coop/db/schema";
import { LOT_EARNING_ENTRY_KINDS, type LotEarningEntryKind } from "@coop/shared";
import { maskName, type PUBLIC_LOT_PLACE_VALUES } from "@coop/shared/receipt";
import { and, asc, eq, inArray } from "drizzle-orm";
import { lotFamily } from "./lot-family";

export type PublicLotPlace = (typeof PUBLIC_LOT_PLACE_VALUES)[number];

/**
 * The villager's own page of one lot (the receipt's QR code and the intake SMS). It answers for that lot
 * and the parts split off it for delivery (one intake, wherever its units went), and says nothing of any
 * other lot or person: no ids, no phone, no buyers, no staff, the villager's name masked as on the paper.
 * Projected field by field, so a column added to a table never reaches the page by accident.
 */
export async function publicLotView(db: Executor, lotId: string) {
  const [head] = await db
    .select({
      lot: lots,
      productZh: products.nameZh,
      productEn: products.nameEn,
      unit: products.unit,
      pointZh: locations.nameZh,
      pointEn: locations.nameEn,
      villagerName: consignors.name,
    })
    .from(lots)
    .innerJoin(products, eq(products.id, lots.productId))
    .innerJoin(locations, eq(locations.id, lots.originLocationId))
    .leftJoin(consignors, eq(consignors.id, lots.consignorId))
    .where(eq(lots.id, lotId));
  // Only an intake lot has a receipt: a part split off for a delivery run is shown through its parent.
  if (!head || head.lot.parentLotId !== null || head.lot.consignorId === null) return null;
  const { lot } = head;

  const family = await lotFamily(db, lot.id);
  const ids = family.map((l) => l.id);
  const places = await db
    .select({ id: locations.id, kind: locations.kind })
    .from(locations)
    .where(
      inArray(
        locations.id,
        family.map((l) => l.locationId),
      ),
    );
  const kindOf = new Map(places.map((p) => [p.id, p.kind]));

  const movements = await db
    .select({ at: stockMovements.createdAt, kind: stockMovements.kind, delta: stockMovements.quantityDelta })
    .from(stockMovements)
    .where(
      and(
        inArray(stockMovements.lotId, ids),
        inArray(stockMovements.kind, ["sale", "customer_return", "return_to_consignor"]),
      ),
    )
    .orderBy(asc(stockMovements.createdAt), asc(stockMovements.id));
  const sales = movements
    .filter((m) => m.kind === "sale")
    .map((m) => ({ at: m.at.toISOString(), quantity: -m.delta }));
  // Net of what buyers brought back, which went back on the shelf.
  const soldQuantity =
    sales.reduce((sum, s) => sum + s.quantity, 0) -
    movements.filter((m) => m.kind === "customer_return").reduce((sum, m) => sum + m.delta, 0);
  const returnedQuantity = movements
    .filter((m) => m.kind === "return_to_consignor")
    .reduce((sum, m) => sum - m.delta, 0);

  const entries = await db
    .select({
      at: consignorEntries.createdAt,
      kind: consignorEntries.kind,
      amountFen: consignorEntries.amountFen,
      grossFen: consignorEntries.grossFen,
      commissionFen: consignorEntries.commissionFen,
      quantity: consignorEntries.quantity,
    })
    .from(consignorEntries)
    .where(
      and(
        inArray(consignorEntries.lotId, ids),
        // The villager's own ledger only, so a line can never come from another person's account.
        eq(consignorEntries.consignorId, lot.consignorId!),
        inArray(consignorEntries.kind, [...LOT_EARNING_ENTRY_KINDS]),
      ),
    )
    .orderBy(asc(consignorEntries.createdAt), asc(consignorEntries.id));
  const earnings = entries.map((e) => ({
    at: e.at.toISOString(),
    kind: e.kind as LotEarningEntryKind,
    amountFen: e.amountFen,
    grossFen: e.grossFen,
    commissionFen: e.commissionFen,
    quantity: e.quantity,
  }));

  const onHand = family.reduce((sum, l) => sum + l.onHand, 0);
  return {
    lotNo: lot.lotNo,
    villager: maskName(head.villagerName ?? ""),
    product: { zh: head.productZh, en: head.productEn },
    unit: head.unit,
    quantityReceived: lot.quantityReceived,
    grade: lot.grade,
    bestBefore: lot.bestBefore,
    qcPassed: lot.qcPassed,
    qcReason: lot.qcReason,
    takenInAt: lot.createdAt.toISOString(),
    servicePoint: { zh: head.pointZh, en: head.pointEn },
    place: placeOf(lot, family, kindOf),
    onHand,
    soldQuantity,
    returnedQuantity,
    sales,
    earnings,
    earnedFen: earnings.reduce((sum, e) => sum + e.amountFen, 0),
  };
}

export type PublicLotView = NonNullable<Awaited<ReturnType<typeof publicLotView>>>;

function placeOf(
  lot: typeof lots.$inferSelect,
  family: Array<typeof lots.$inferSelect>,
  kindOf: Map<string, string>,
): PublicLotPlace {
  if (!lot.qcPassed || lot.status === "rejected") return "rejected";
  if (family.some((l) => l.status === "blocked")) return "blocked";
  const present = family.filter((l) => l.onHand > 0 || l.status === "in_transit");
  if (present.some((l) => l.status === "in_transit")) return "on_the_way";
  if (present.some((l) => kindOf.get(l.locationId) === "warehouse")) return "at_warehouse";
  if (present.length > 0) return "at_point";
  return lot.status === "returned" ? "returned" : "sold_out";
}
