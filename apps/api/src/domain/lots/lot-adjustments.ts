import type { Executor } from "@coop/db";
import { lots } from "@coop/db/schema";
import { eq } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { postConsignorEntry } from "../settlement/consignor-ledger";
import { recordMovement } from "../stock/ledger";

type Lot = typeof lots.$inferSelect;
interface Actor {
  actorUserId: string;
  requestId?: string | undefined;
}

function assertStocked(lot: Lot, what: string) {
  if (lot.status !== "in_stock") {
    throw new ApiError("INVALID_STATE", `Only a lot in stock can be ${what}; this one is ${lot.status}.`);
  }
}

function assertQuantity(lot: Lot, quantity: number) {
  if (quantity > lot.onHand) {
    throw new ApiError("VALIDATION_FAILED", `Only ${lot.onHand} left in this lot.`, {
      fields: [{ path: "quantity", message: `at most ${lot.onHand}` }],
    });
  }
}

async function afterDecrease(tx: Executor, lot: Lot, quantity: number, statusWhenEmpty: Lot["status"]) {
  if (lot.onHand - quantity === 0)
    await tx.update(lots).set({ status: statusWhenEmpty }).where(eq(lots.id, lot.id));
}

/** Unsold or expired goods handed back to the villager (no money changes hands). */
export function returnToConsignor(
  db: Executor,
  lot: Lot,
  input: { quantity: number; reason: string } & Actor,
) {
  assertStocked(lot, "returned");
  if (!lot.consignorId) throw new ApiError("INVALID_STATE", "This lot has no villager to return it to.");
  assertQuantity(lot, input.quantity);
  return db.transaction(async (tx) => {
    await recordMovement(tx, {
      productId: lot.productId,
      locationId: lot.locationId,
      lotId: lot.id,
      kind: "return_to_consignor",
      quantityDelta: -input.quantity,
      reason: input.reason,
      actorUserId: input.actorUserId,
    });
    await afterDecrease(tx, lot, input.quantity, "returned");
    await audit(tx, { ...input, action: "lot.return", entityType: "lot", entityId: lot.id, data: input });
  });
}

/**
 * Spoiled goods leave stock. By the settlement rules (docs/SETTLEMENT.md) the villager simply earns nothing
 * on them; an agreed disposal charge, if any, is a separate deduction line on their statement.
 */
export function recordSpoilage(
  db: Executor,
  lot: Lot,
  input: { quantity: number; reason: string; chargeFen: number } & Actor,
) {
  assertStocked(lot, "written off");
  assertQuantity(lot, input.quantity);
  if (input.chargeFen > 0 && !lot.consignorId) {
    throw new ApiError("VALIDATION_FAILED", "Only a villager's lot can carry a disposal charge.", {
      fields: [{ path: "chargeFen", message: "must be 0 for co-op stock" }],
    });
  }
  return db.transaction(async (tx) => {
    await recordMovement(tx, {
      productId: lot.productId,
      locationId: lot.locationId,
      lotId: lot.id,
      kind: "spoilage",
      quantityDelta: -input.quantity,
      reason: input.reason,
      actorUserId: input.actorUserId,
    });
    await afterDecrease(tx, lot, input.quantity, "depleted");
    if (input.chargeFen > 0) {
      await postConsignorEntry(tx, {
        consignorId: lot.consignorId!,
        kind: "deduction",
        amountFen: -input.chargeFen,
        quantity: input.quantity,
        lotId: lot.id,
        note: input.reason,
        actorUserId: input.actorUserId,
      });
    }
    await audit(tx, { ...input, action: "lot.spoilage", entityType: "lot", entityId: lot.id, data: input });
  });
}

/** A cycle count: the counted quantity becomes the lot's on-hand, the difference a ledger line. */
export function countLot(db: Executor, lot: Lot, input: { countedQuantity: number; reason: string } & Actor) {
  assertStocked(lot, "counted");
  const delta = input.countedQuantity - lot.onHand;
  return db.transaction(async (tx) => {
    if (delta !== 0) {
      await recordMovement(tx, {
        productId: lot.productId,
        locationId: lot.locationId,
        lotId: lot.id,
        kind: "count_adjustment",
        quantityDelta: delta,
        reason: input.reason,
        actorUserId: input.actorUserId,
      });
      if (input.countedQuantity === 0)
        await tx.update(lots).set({ status: "depleted" }).where(eq(lots.id, lot.id));
    }
    await audit(tx, {
      ...input,
      action: "lot.count",
      entityType: "lot",
      entityId: lot.id,
      data: { ...input, delta },
    });
    return { delta };
  });
}
