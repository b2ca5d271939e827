import type { Executor } from "@coop/db";
import { consignors, locations, lots, products } from "@coop/db/schema";
import { newId } from "@coop/shared";
import type { CreateLot } from "@coop/shared/contract";
import { eq } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError, type FieldIssue } from "../../lib/errors";
import { recordMovement } from "../stock/ledger";
import { chinaDateStamp, nextLotNumber } from "./lot-number";

function invalid(fields: FieldIssue[]): never {
  throw new ApiError("VALIDATION_FAILED", fields.map((f) => `${f.path}: ${f.message}`).join("; "), {
    fields,
  });
}

/**
 * Consignment intake (代销收货): records a lot at a service point. A lot that passes the quality check becomes
 * stock at the point (an "intake" ledger line); a failed one is recorded with its reason and handed back at
 * once, never stocked. Access (the agent's own point) is checked by the caller.
 */
export async function createLot(
  db: Executor,
  input: { data: CreateLot; actorUserId: string; requestId?: string; now?: Date },
) {
  const { data } = input;
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const [point] = await tx.select().from(locations).where(eq(locations.id, data.servicePointId));
    const [product] = await tx.select().from(products).where(eq(products.id, data.productId));
    const [consignor] = await tx.select().from(consignors).where(eq(consignors.id, data.consignorId));

    const issues: FieldIssue[] = [];
    if (point?.kind !== "service_point")
      issues.push({ path: "servicePointId", message: "no such service point" });
    if (!product?.active) issues.push({ path: "productId", message: "no such product on sale" });
    else if (product.kind !== "produce") {
      issues.push({ path: "productId", message: "farm supplies are not taken in on consignment" });
    }
    if (!consignor) issues.push({ path: "consignorId", message: "no such villager" });
    else if (point && consignor.servicePointId !== point.id) {
      issues.push({ path: "consignorId", message: "this villager is registered at another service point" });
    }
    if (product?.perishable && data.qc.passed && !data.bestBefore) {
      issues.push({ path: "bestBefore", message: "a best-before date is needed for perishable produce" });
    }
    if (data.bestBefore && data.bestBefore.replaceAll("-", "") < chinaDateStamp(now)) {
      issues.push({ path: "bestBefore", message: "the best-before date has already passed" });
    }
    if (issues.length) invalid(issues);

    const id = newId("lot");
    const lotNo = await nextLotNumber(tx, point!, now);
    const passed = data.qc.passed;
    await tx.insert(lots).values({
      id,
      coopId: point!.coopId,
      lotNo,
      productId: product!.id,
      consignorId: consignor!.id,
      originLocationId: point!.id,
      locationId: point!.id,
      status: passed ? "in_stock" : "rejected",
      quantityReceived: data.quantity,
      onHand: 0,
      grade: data.grade ?? null,
      bestBefore: data.bestBefore ?? null,
      qcPassed: passed,
      qcReason: data.qc.passed ? (data.qc.note ?? null) : data.qc.reason,
      receivedByUserId: input.actorUserId,
      createdAt: now,
    });
    if (passed) {
      await recordMovement(tx, {
        productId: product!.id,
        locationId: point!.id,
        lotId: id,
        kind: "intake",
        quantityDelta: data.quantity,
        reason: `intake ${lotNo}`,
        actorUserId: input.actorUserId,
      });
    }
    await audit(tx, {
      actorUserId: input.actorUserId,
      action: passed ? "lot.intake" : "lot.reject",
      entityType: "lot",
      entityId: id,
      data,
      requestId: input.requestId,
    });
    return { id, lotNo, status: passed ? ("in_stock" as const) : ("rejected" as const) };
  });
}
