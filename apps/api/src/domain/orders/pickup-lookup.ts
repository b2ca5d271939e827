import type { Database } from "@coop/db";
import { auditLog, orderLines, orders } from "@coop/db/schema";
import { awaitingPickup } from "@coop/shared";
import type { PickupMatch } from "@coop/shared/contract";
import { and, count, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { audit } from "../../lib/audit";
import type { StaffPrincipal } from "../../lib/context";
import { ApiError } from "../../lib/errors";
import { maskName, type PickupCodes, phoneTail } from "./pickup-codes";

/** Codes a staff member may type that match nothing waiting, per window, before lookups are refused. */
export const LOOKUP_MISSES_ALLOWED = 10;
export const LOOKUP_MISS_WINDOW_MINUTES = 15;

/**
 * Every order waiting at the point whose code is `code`: one probe of orders_pickup_code_idx, whatever the
 * number of waiting orders (a 6-digit code can be shared by several orders at a big point, so all are
 * returned, with the buyer's name masked and the phone's last 4 digits for the agent to choose).
 *
 * A code that matches nothing waiting is a miss, audited and counted against the staff member: after
 * LOOKUP_MISSES_ALLOWED misses in LOOKUP_MISS_WINDOW_MINUTES every lookup is refused (429), so the lookup
 * cannot be used to try codes until one hits.
 */
export async function lookupPickup(
  db: Database,
  codes: PickupCodes,
  staff: StaffPrincipal,
  input: { code: string; servicePointId?: string | undefined; requestId?: string | undefined },
): Promise<{ matches: PickupMatch[] }> {
  const pointId = staff.role === "agent" ? staff.servicePointId : input.servicePointId;
  if (!pointId) {
    throw new ApiError("VALIDATION_FAILED", "Say which service point to search.", {
      fields: [{ path: "servicePointId", message: "required for admins" }],
    });
  }
  if (staff.role === "agent" && input.servicePointId && input.servicePointId !== pointId) {
    throw new ApiError("FORBIDDEN", "This belongs to another service point.");
  }
  const misses = await recentMisses(db, staff.id);
  if (misses >= LOOKUP_MISSES_ALLOWED) {
    throw new ApiError(
      "RATE_LIMITED",
      `Too many codes that matched nothing: wait ${LOOKUP_MISS_WINDOW_MINUTES} minutes, or find the order by the buyer's phone.`,
    );
  }
  const found = await db
    .select()
    .from(orders)
    .where(
      and(eq(orders.pickupLocationId, pointId), eq(orders.pickupCodeHash, codes.hash(pointId, input.code))),
    )
    .orderBy(desc(orders.createdAt));
  const waiting = found.filter((o) => awaitingPickup(o.status));
  if (waiting.length === 0) {
    const collected = found.some((o) => o.status === "picked_up");
    await audit(db, {
      actorUserId: staff.id,
      action: "pickup.lookup_miss",
      entityType: "location",
      entityId: pointId,
      data: { result: collected ? "already_picked_up" : "not_found", missesBefore: misses },
      requestId: input.requestId,
    });
    const triesLeft = Math.max(0, LOOKUP_MISSES_ALLOWED - misses - 1);
    if (collected) {
      throw new ApiError("ALREADY_PICKED_UP", "已取货: the order with this code was collected already.", {
        details: { triesLeft },
      });
    }
    throw new ApiError("NOT_FOUND", "No order waiting here has this code. Ask the buyer to check it.", {
      details: { triesLeft },
    });
  }
  await audit(db, {
    actorUserId: staff.id,
    action: "pickup.lookup",
    entityType: "location",
    entityId: pointId,
    data: { orderIds: waiting.map((o) => o.id) },
    requestId: input.requestId,
  });
  const lines = await db
    .select({ orderId: orderLines.orderId, locationId: orderLines.locationId })
    .from(orderLines)
    .where(
      inArray(
        orderLines.orderId,
        waiting.map((o) => o.id),
      ),
    );
  return {
    matches: waiting.map((o) => {
      const own = lines.filter((l) => l.orderId === o.id);
      const allHere = own.every((l) => l.locationId === pointId);
      return {
        orderId: o.id,
        status: o.status,
        canHandOver: o.status === "ready_for_pickup" || allHere,
        locked: o.pickupLockedAt !== null,
        buyerName: maskName(o.contactName),
        phoneTail: phoneTail(o.contactPhone),
        totalFen: o.totalFen,
        paymentMethod: o.paymentMethod,
        itemCount: own.length,
        placedForVillager: o.onBehalfOfConsignorId !== null,
        createdAt: o.createdAt.toISOString(),
      };
    }),
  };
}

/** Misses by this staff member in the window (audit_log_actor_idx: actor, then time). */
async function recentMisses(db: Database, staffId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.actorUserId, staffId),
        gt(auditLog.createdAt, sql`now() - make_interval(mins => ${LOOKUP_MISS_WINDOW_MINUTES}::int)`),
        eq(auditLog.action, "pickup.lookup_miss"),
      ),
    );
  return row?.n ?? 0;
}
