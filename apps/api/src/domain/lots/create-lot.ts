import type { Executor } from "@coop/db";
import { campaignPledges, consignors, harvestCampaigns, locations, lots, products } from "@coop/db/schema";
import { bestBeforeProblem, chinaDate, newId } from "@coop/shared";
import type { CreateLot } from "@coop/shared/contract";
import { eq } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { sqlStateOf } from "../../lib/db-errors";
import { ApiError, type FieldIssue } from "../../lib/errors";
import { usableIntakeDevice } from "../intake-devices/intake-devices";
import { queueIntakeSms } from "../notifications/villager-sms";
import { recordMovement } from "../stock/ledger";
import { deviceLotNumberIssues, nextLotNumber } from "./lot-number";

function invalid(fields: FieldIssue[]): never {
  throw new ApiError("VALIDATION_FAILED", fields.map((f) => `${f.path}: ${f.message}`).join("; "), {
    fields,
  });
}

type LotRow = typeof lots.$inferSelect;

/** The answer to an intake, the same for its first request and every replay of its command. */
function createdAnswer(lot: Pick<LotRow, "id" | "lotNo" | "qcPassed">) {
  return {
    id: lot.id,
    lotNo: lot.lotNo,
    status: lot.qcPassed ? ("in_stock" as const) : ("rejected" as const),
  };
}

/** Whether a stored lot is what this intake command asks for (its intake fields never change later). */
function sameIntake(lot: LotRow, data: CreateLot): boolean {
  const qcReason = data.qc.passed ? (data.qc.note ?? null) : data.qc.reason;
  return (
    lot.consignorId === data.consignorId &&
    lot.productId === data.productId &&
    lot.originLocationId === data.servicePointId &&
    lot.quantityReceived === data.quantity &&
    lot.grade === (data.grade ?? null) &&
    lot.bestBefore === (data.bestBefore ?? null) &&
    lot.qcPassed === data.qc.passed &&
    lot.qcReason === qcReason &&
    lot.intakeDeviceId === (data.intakeDeviceId ?? null) &&
    lot.pledgeId === (data.pledgeId ?? null) &&
    (data.lotNo === undefined || lot.lotNo === data.lotNo)
  );
}

/**
 * The lot an earlier request of this command made, if any: a command sent again (the answer was lost, the
 * phone retried days later, two tabs sent it at once) gets that lot, whatever the idempotency store still
 * remembers. The same command id with a different intake is refused.
 */
async function earlierLotOf(db: Executor, clientCommandId: string, data: CreateLot) {
  const [lot] = await db.select().from(lots).where(eq(lots.clientCommandId, clientCommandId));
  if (!lot) return undefined;
  if (!sameIntake(lot, data)) {
    // Which lot is named only to the point that took it in: a key is no way to read another point's lots.
    if (lot.originLocationId !== data.servicePointId) {
      throw new ApiError(
        "IDEMPOTENCY_KEY_REUSED",
        "This Idempotency-Key was already used for another intake. Use a new key for a new intake.",
      );
    }
    throw new ApiError(
      "IDEMPOTENCY_KEY_REUSED",
      `This Idempotency-Key already took in a different lot (${lot.lotNo}). Use a new key for a new intake.`,
      { details: { lotId: lot.id, lotNo: lot.lotNo } },
    );
  }
  return createdAnswer(lot);
}

const lotNumberTaken = (lotNo: string) =>
  new ApiError(
    "LOT_NUMBER_TAKEN",
    `Another lot already has the intake number ${lotNo}. Check the phone's intake numbering, or take the lot in again without a number.`,
    { fields: [{ path: "lotNo", message: "already used by another lot" }] },
  );

/**
 * Consignment intake (代销收货): records a lot at a service point. A lot that passes the quality check becomes
 * stock at the point (an "intake" ledger line); a failed one is recorded with its reason and handed back at
 * once, never stocked. Access (the agent's own point) is checked by the caller.
 *
 * `clientCommandId` (the request's Idempotency-Key) is kept on the lot, so the command makes one lot for
 * ever. A phone that took the lot in offline sends the number it already printed (`lotNo`, in its own
 * segment) with its `intakeDeviceId`; otherwise the server numbers the lot (decision 0021).
 */
export async function createLot(
  db: Executor,
  input: {
    data: CreateLot;
    actorUserId: string;
    requestId?: string;
    now?: Date;
    clientCommandId?: string;
  },
) {
  const { data, clientCommandId } = input;
  const now = input.now ?? new Date();
  if ((data.intakeDeviceId === undefined) !== (data.lotNo === undefined)) {
    const missing = data.lotNo === undefined ? "lotNo" : "intakeDeviceId";
    invalid([{ path: missing, message: "send intakeDeviceId and lotNo together, or neither" }]);
  }
  if (clientCommandId) {
    const earlier = await earlierLotOf(db, clientCommandId, data);
    if (earlier) return earlier;
  }
  try {
    return await insertLot(db, { ...input, now });
  } catch (error) {
    // Two requests of one command at once: the second met the first's lot (its UNIQUE client_command_id
    // or lot number) after the check above. Its transaction is rolled back whole (no second ledger line
    // or audit row); it answers the first's lot.
    const taken = error instanceof ApiError && error.code === "LOT_NUMBER_TAKEN";
    if (!taken && sqlStateOf(error) !== "23505") throw error;
    if (clientCommandId) {
      const earlier = await earlierLotOf(db, clientCommandId, data);
      if (earlier) return earlier;
    }
    if (!taken && data.lotNo) {
      const [holder] = await db.select({ id: lots.id }).from(lots).where(eq(lots.lotNo, data.lotNo));
      if (holder) throw lotNumberTaken(data.lotNo);
    }
    throw error;
  }
}

async function insertLot(
  db: Executor,
  input: { data: CreateLot; actorUserId: string; requestId?: string; now: Date; clientCommandId?: string },
) {
  const { data, now } = input;
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
    const bestBefore = bestBeforeProblem({
      perishable: product?.perishable ?? false,
      qcPassed: data.qc.passed,
      bestBefore: data.bestBefore,
      today: chinaDate(now),
    });
    if (bestBefore === "required") {
      issues.push({ path: "bestBefore", message: "a best-before date is needed for perishable produce" });
    } else if (bestBefore === "dateInPast") {
      issues.push({ path: "bestBefore", message: "the best-before date has already passed" });
    }
    if (data.pledgeId) {
      const [pledge] = await tx
        .select({ consignorId: campaignPledges.consignorId, productId: harvestCampaigns.productId })
        .from(campaignPledges)
        .innerJoin(harvestCampaigns, eq(harvestCampaigns.id, campaignPledges.campaignId))
        .where(eq(campaignPledges.id, data.pledgeId));
      if (!pledge || pledge.consignorId !== data.consignorId) {
        issues.push({ path: "pledgeId", message: "this villager has no such pledge" });
      } else if (pledge.productId !== data.productId) {
        issues.push({ path: "pledgeId", message: "the pledge is for another product" });
      }
    }
    if (issues.length) invalid(issues);

    let lotNo: string;
    if (data.intakeDeviceId && data.lotNo) {
      const device = await usableIntakeDevice(tx, data.intakeDeviceId, point!.id);
      const numberIssues = deviceLotNumberIssues(data.lotNo, point!, device.segment, now);
      if (numberIssues.length) invalid(numberIssues);
      const [holder] = await tx.select({ id: lots.id }).from(lots).where(eq(lots.lotNo, data.lotNo));
      if (holder) throw lotNumberTaken(data.lotNo);
      lotNo = data.lotNo;
    } else {
      lotNo = await nextLotNumber(tx, point!, now);
    }

    const id = newId("lot");
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
      clientCommandId: input.clientCommandId ?? null,
      intakeDeviceId: data.intakeDeviceId ?? null,
      pledgeId: data.pledgeId ?? null,
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
    // The villager's own receipt (issue 9): taken in with the link to the lot's page, or refused and returned.
    await queueIntakeSms(tx, {
      lot: {
        id,
        lotNo,
        quantity: data.quantity,
        qcPassed: passed,
        qcReason: data.qc.passed ? null : data.qc.reason,
      },
      consignor: consignor!,
      product: product!,
    });
    return createdAnswer({ id, lotNo, qcPassed: passed });
  });
}
