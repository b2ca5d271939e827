import type { Database } from "@coop/db";
import { orders, pickupSmsCodes } from "@coop/db/schema";
import { newId } from "@coop/shared";
import { and, count, eq, gt, sql } from "drizzle-orm";
import { audit } from "../../lib/audit";
import type { StaffPrincipal } from "../../lib/context";
import { ApiError } from "../../lib/errors";
import { lockOrder } from "./cancel-order";
import { queueSms } from "./notify";
import { type PickupCodes, randomCode } from "./pickup-codes";
import { checkPickupProof, villagerPhone } from "./pickup-proof";

export const PICKUP_SMS_TTL_MINUTES = 10;
/** One-time codes per order per hour: a villager whose SMS is slow gets a second and third, no more. */
export const PICKUP_SMS_PER_HOUR = 3;

const mask = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

/**
 * Sends a one-time code to the villager's own phone, for an order the agent placed for them: the agent
 * types the phone the villager says; it must be the one on the villager's record. A wrong phone counts as a
 * wrong proof (pickup-proof.ts), as a wrong code does. The code is kept as a keyed hash and expires.
 */
export async function sendPickupSms(
  db: Database,
  codes: PickupCodes,
  staff: StaffPrincipal,
  input: { orderId: string; phone: string; requestId?: string | undefined },
) {
  const outcome = await db.transaction(async (tx) => {
    const order = await lockOrder(tx, input.orderId);
    if (!order) throw new ApiError("NOT_FOUND", "There is no such order.");
    if (staff.role === "agent" && staff.servicePointId !== order.pickupLocationId) {
      throw new ApiError("FORBIDDEN", "This order is picked up at another service point.");
    }
    if (!order.onBehalfOfConsignorId || order.fulfilmentType !== "pickup") {
      throw new ApiError(
        "INVALID_STATE",
        "Only an order placed for a villager is collected with an SMS code.",
      );
    }
    const phone = await villagerPhone(tx, order);
    if (phone !== input.phone || order.status === "picked_up" || order.pickupLockedAt) {
      // Counted, audited and refused like a wrong code (or "collected" / "locked"): committed, then thrown.
      const proof = await checkPickupProof(
        tx,
        order,
        { method: "sms", phone: input.phone, smsCode: "" },
        codes,
        { staff, requestId: input.requestId },
      );
      if (!proof.ok) return { refused: proof.error };
    }
    const [sentLately] = await tx
      .select({ n: count() })
      .from(pickupSmsCodes)
      .where(
        and(
          eq(pickupSmsCodes.orderId, order.id),
          gt(pickupSmsCodes.createdAt, sql`now() - interval '1 hour'`),
        ),
      );
    if ((sentLately?.n ?? 0) >= PICKUP_SMS_PER_HOUR) {
      throw new ApiError("RATE_LIMITED", "Three codes were sent this hour. Check the villager's ID instead.");
    }
    const code = randomCode();
    const expiresAt = new Date(Date.now() + PICKUP_SMS_TTL_MINUTES * 60_000);
    // Older codes stop working: only the newest one sent is valid.
    await tx
      .update(pickupSmsCodes)
      .set({ usedAt: new Date() })
      .where(and(eq(pickupSmsCodes.orderId, order.id), sql`${pickupSmsCodes.usedAt} IS NULL`));
    await tx.insert(pickupSmsCodes).values({
      id: newId("pickupSmsCode"),
      orderId: order.id,
      codeHash: codes.smsHash(order.id, code),
      sentTo: input.phone,
      sentByUserId: staff.id,
      expiresAt,
    });
    await queueSms(tx, {
      to: input.phone,
      template: "pickup_verification",
      data: { orderId: order.id, smsCode: code, minutes: PICKUP_SMS_TTL_MINUTES },
      orderId: order.id,
    });
    await audit(tx, {
      actorUserId: staff.id,
      action: "pickup.sms_sent",
      entityType: "order",
      entityId: order.id,
      data: { sentTo: mask(input.phone), agentName: staff.displayName },
      requestId: input.requestId,
    });
    return { sentTo: mask(input.phone), expiresAt: expiresAt.toISOString() };
  });
  if ("refused" in outcome) throw outcome.refused;
  return outcome;
}

/** An admin lifts the lock after too many wrong codes (having spoken to the buyer and the agent). */
export async function unlockPickup(
  db: Database,
  staff: StaffPrincipal,
  input: { orderId: string; reason: string; requestId?: string | undefined },
) {
  await db.transaction(async (tx) => {
    const order = await lockOrder(tx, input.orderId);
    if (!order) throw new ApiError("NOT_FOUND", "There is no such order.");
    await tx.update(orders).set({ pickupFailures: 0, pickupLockedAt: null }).where(eq(orders.id, order.id));
    await audit(tx, {
      actorUserId: staff.id,
      action: "pickup.unlocked",
      entityType: "order",
      entityId: order.id,
      data: {
        reason: input.reason,
        failuresBefore: order.pickupFailures,
        wasLocked: order.pickupLockedAt !== null,
      },
      requestId: input.requestId,
    });
  });
}
