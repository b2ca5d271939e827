import type { Executor } from "@coop/db";
import { consignors, orders, pickupSmsCodes } from "@coop/db/schema";
import type { HandOver } from "@coop/shared/contract";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { audit } from "../../lib/audit";
import type { StaffPrincipal } from "../../lib/context";
import { ApiError } from "../../lib/errors";
import { type PickupCodes, sameHex } from "./pickup-codes";

type OrderRow = typeof orders.$inferSelect;

/** Wrong proofs (codes, SMS codes, phone numbers) after which an order is locked until an admin unlocks it. */
export const MAX_PICKUP_FAILURES = 5;

/**
 * What the agent presents at hand-over: the buyer's code; for an order the agent placed for a villager,
 * the villager's phone and the one-time code sent to it, or an ID check the agent vouches for by name.
 */
export type PickupProof =
  | { method: "code"; code: string }
  | { method: "sms"; phone: string; smsCode: string }
  | { method: "id_check"; idType: string; last4: string };

export function proofOf(body: HandOver): PickupProof {
  if (body.pickupCode) return { method: "code", code: body.pickupCode };
  if (body.villagerSms) {
    return { method: "sms", phone: body.villagerSms.phone, smsCode: body.villagerSms.smsCode };
  }
  // The contract refuses a body with no proof, so this is the ID check.
  return { method: "id_check", idType: body.idCheck!.idType, last4: body.idCheck!.last4.toUpperCase() };
}

export interface PickupAuditContext {
  staff: StaffPrincipal;
  requestId?: string | undefined;
}

/** One audit line per hand-over attempt, right or wrong. Never the code itself. */
export async function auditPickup(
  db: Executor,
  ctx: PickupAuditContext,
  orderId: string,
  action: "pickup.handed_over" | "pickup.refused" | "pickup.wrong_proof",
  data: Record<string, unknown>,
) {
  await audit(db, {
    actorUserId: ctx.staff.id,
    action,
    entityType: "order",
    entityId: orderId,
    data: { ...data, agentName: ctx.staff.displayName },
    requestId: ctx.requestId,
  });
}

/**
 * Checks the proof against the order, whose row the caller holds locked (FOR UPDATE), so attempts on one
 * order are counted one after another: no burst of parallel guesses gets past the limit. A wrong proof is
 * counted and audited HERE, and the caller must COMMIT before refusing (it returns the refusal instead of
 * throwing it), or the count would roll back with the request.
 */
export async function checkPickupProof(
  tx: Executor,
  order: OrderRow,
  proof: PickupProof,
  codes: PickupCodes,
  ctx: PickupAuditContext,
): Promise<{ ok: true; note: string } | { ok: false; error: ApiError }> {
  const method = proof.method;
  if (order.status === "picked_up") {
    await auditPickup(tx, ctx, order.id, "pickup.refused", { method, reason: "ALREADY_PICKED_UP" });
    return {
      ok: false,
      error: new ApiError("ALREADY_PICKED_UP", "已取货: this order was collected already."),
    };
  }
  if (order.pickupLockedAt) {
    await auditPickup(tx, ctx, order.id, "pickup.refused", { method, reason: "PICKUP_LOCKED" });
    return { ok: false, error: locked() };
  }
  if (method !== "code" && !order.onBehalfOfConsignorId) {
    // Not a guess: the agent chose a way this order does not have. Refused, not counted.
    return {
      ok: false,
      error: new ApiError(
        "VALIDATION_FAILED",
        "Only an order placed for a villager can be collected without the buyer's code.",
        { fields: [{ path: "pickupCode", message: "the buyer's 6-digit code is needed" }] },
      ),
    };
  }
  const verdict = await verify(tx, order, proof, codes);
  if (verdict.ok) {
    await auditPickup(tx, ctx, order.id, "pickup.handed_over", {
      method,
      ...(proof.method === "id_check" ? { idType: proof.idType, idLast4: proof.last4 } : {}),
    });
    return { ok: true, note: verdict.note };
  }
  const [after] = await tx
    .update(orders)
    .set({
      pickupFailures: sql`${orders.pickupFailures} + 1`,
      pickupLockedAt: sql`CASE WHEN ${orders.pickupFailures} + 1 >= ${MAX_PICKUP_FAILURES} THEN now() END`,
    })
    .where(eq(orders.id, order.id))
    .returning({ failures: orders.pickupFailures });
  const failures = after!.failures;
  const nowLocked = failures >= MAX_PICKUP_FAILURES;
  await auditPickup(tx, ctx, order.id, "pickup.wrong_proof", {
    method,
    reason: verdict.reason,
    failures,
    locked: nowLocked,
  });
  if (nowLocked) return { ok: false, error: locked() };
  const attemptsLeft = MAX_PICKUP_FAILURES - failures;
  return {
    ok: false,
    error: new ApiError(
      "PICKUP_CODE_WRONG",
      verdict.reason === "sms_expired"
        ? "The SMS code has expired or was used. Send a new one."
        : "The code is not right. Ask the buyer to show it again.",
      {
        fields: [
          { path: proof.method === "sms" ? "villagerSms.smsCode" : "pickupCode", message: "does not match" },
        ],
        details: { attemptsLeft, reason: verdict.reason },
      },
    ),
  };
}

const locked = () =>
  new ApiError(
    "PICKUP_LOCKED",
    `Too many wrong codes: this order is locked for hand-over until an admin unlocks it.`,
    { details: { maxFailures: MAX_PICKUP_FAILURES } },
  );

async function verify(
  tx: Executor,
  order: OrderRow,
  proof: PickupProof,
  codes: PickupCodes,
): Promise<{ ok: true; note: string } | { ok: false; reason: string }> {
  if (proof.method === "code") {
    return codes.matches(order.pickupLocationId!, proof.code, order.pickupCodeHash)
      ? { ok: true, note: "凭取货码 / with the pickup code" }
      : { ok: false, reason: "wrong_code" };
  }
  if (proof.method === "id_check") {
    return { ok: true, note: `核对证件 / ID checked: ${proof.idType} …${proof.last4}` };
  }
  const phone = await villagerPhone(tx, order);
  if (phone !== proof.phone) return { ok: false, reason: "wrong_phone" };
  const [sent] = await tx
    .select()
    .from(pickupSmsCodes)
    .where(
      and(
        eq(pickupSmsCodes.orderId, order.id),
        eq(pickupSmsCodes.sentTo, phone),
        isNull(pickupSmsCodes.usedAt),
        gt(pickupSmsCodes.expiresAt, sql`now()`),
      ),
    )
    .orderBy(desc(pickupSmsCodes.createdAt))
    .limit(1);
  if (!sent) return { ok: false, reason: "sms_expired" };
  if (!sameHex(codes.smsHash(order.id, proof.smsCode), sent.codeHash))
    return { ok: false, reason: "wrong_sms_code" };
  await tx.update(pickupSmsCodes).set({ usedAt: new Date() }).where(eq(pickupSmsCodes.id, sent.id));
  return { ok: true, note: "村民手机验证码 / villager's phone and SMS code" };
}

/** The phone on the villager's own record (not the order's contact, which the agent typed in). */
export async function villagerPhone(db: Executor, order: OrderRow): Promise<string | null> {
  if (!order.onBehalfOfConsignorId) return null;
  const [villager] = await db
    .select({ phone: consignors.phone })
    .from(consignors)
    .where(eq(consignors.id, order.onBehalfOfConsignorId));
  return villager?.phone ?? null;
}
