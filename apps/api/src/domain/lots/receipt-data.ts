import type { Executor } from "@coop/db";
import { consignors, coops, locations, lots, products, staffUsers } from "@coop/db/schema";
import { UNIT_LABELS } from "@coop/shared";
import { eq } from "drizzle-orm";
import type { ReceiptData } from "./receipt-pdf";

/** Everything printed on an intake receipt, gathered in one query. */
export async function receiptData(db: Executor, lotId: string, shopUrl: string): Promise<ReceiptData> {
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
  const q = r.lot.quantityReceived;
  const quantityText =
    r.unit === "gram" && q % 50 === 0 ? `${q / 500} 斤（${q} 克）` : `${q} ${UNIT_LABELS[r.unit].zh}`;
  return {
    coopName: r.coopName,
    lotNo: r.lot.lotNo,
    lotUrl: `${shopUrl.replace(/\/$/, "")}/staff/lots/${r.lot.id}`,
    villagerName: r.villagerName ?? "",
    villagerPhone: r.villagerPhone ?? "",
    productName: r.productName,
    quantityText,
    grade: r.lot.grade,
    bestBefore: r.lot.bestBefore,
    qcPassed: r.lot.qcPassed,
    qcReason: r.lot.qcReason,
    takenInAt: r.lot.createdAt,
    agentName: r.agentName,
    servicePointName: r.pointName,
  };
}
