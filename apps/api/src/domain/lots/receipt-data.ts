import type { Executor } from "@coop/db";
import { consignors, coops, locations, lots, products, staffUsers } from "@coop/db/schema";
import { type ReceiptView, receiptQuantityText } from "@coop/shared/receipt";
import { eq } from "drizzle-orm";
import type { PublicLinks } from "./public-link";

/**
 * Everything printed on an intake receipt, gathered in one query. The QR code carries the villager's own
 * public page of the lot (a signed link), not the staff console the villager cannot open.
 */
export async function receiptData(db: Executor, lotId: string, links: PublicLinks): Promise<ReceiptView> {
  const [row] = await db
    .select({
      lot: lots,
      coopName: coops.nameZh,
      pointName: locations.nameZh,
      villagerName: consignors.name,
      villagerPhone: consignors.phone,
      productName: products.nameZh,
      unit: products.unit,
      agentName: staffUsers.displayName,
    })
    .from(lots)
    .innerJoin(coops, eq(coops.id, lots.coopId))
    .innerJoin(locations, eq(locations.id, lots.originLocationId))
    .innerJoin(products, eq(products.id, lots.productId))
    .leftJoin(consignors, eq(consignors.id, lots.consignorId))
    .leftJoin(staffUsers, eq(staffUsers.id, lots.receivedByUserId))
    .where(eq(lots.id, lotId));
  const r = row!;
  return {
    coopName: r.coopName,
    lotNo: r.lot.lotNo,
    lotUrl: links.lotUrl(r.lot.id),
    villagerName: r.villagerName ?? "",
    villagerPhone: r.villagerPhone ?? "",
    productName: r.productName,
    quantityText: receiptQuantityText(r.lot.quantityReceived, r.unit),
    grade: r.lot.grade,
    bestBefore: r.lot.bestBefore,
    qcPassed: r.lot.qcPassed,
    qcReason: r.lot.qcReason,
    takenInAt: r.lot.createdAt.toISOString(),
    agentName: r.agentName,
    servicePointName: r.pointName,
  };
}
