import type { Executor } from "@coop/db";
import { locations, ratingRequests } from "@coop/db/schema";
import { newId, type RatingSubject } from "@coop/shared";
import { eq, sql } from "drizzle-orm";
import { queueSms } from "../notifications/queue-sms";

/** How long a rating link stays open after the event. */
export const RATING_LINK_DAYS = 14;

export interface RatingRequestInput {
  kind: RatingSubject;
  /** pickup: the order id; payout: the payout id; sale: the villager's sale credit (consignor entry) id. */
  subjectId: string;
  coopId: string;
  servicePointId: string;
  phone: string;
  /** A sale's order and villager: one sale request per villager and order, however many lots sold. */
  sale?: { orderId: string; consignorId: string };
}

/**
 * Opens the rating link of an event and texts it to the person's own phone, in the event's transaction: the
 * link exists exactly when the event committed. Once per event: a second call for the same event (or the same
 * villager's next lot of the same order) finds the unique row there and sends nothing. Returns the request id
 * when one was made.
 */
export async function requestRating(tx: Executor, input: RatingRequestInput): Promise<string | null> {
  const id = newId("ratingRequest");
  const [made] = await tx
    .insert(ratingRequests)
    .values({
      id,
      coopId: input.coopId,
      kind: input.kind,
      subjectId: input.subjectId,
      orderId: input.sale?.orderId ?? null,
      consignorId: input.sale?.consignorId ?? null,
      servicePointId: input.servicePointId,
      phone: input.phone,
      // The database's clock, the same one created_at reads, so the CHECK (expires_at > created_at) holds.
      expiresAt: sql`now() + make_interval(days => ${RATING_LINK_DAYS})`,
    })
    // No target: either unique index (the event, or a sale's order and villager) means "asked already".
    .onConflictDoNothing()
    .returning({ id: ratingRequests.id });
  if (!made) return null;
  const [point] = await tx
    .select({ nameZh: locations.nameZh })
    .from(locations)
    .where(eq(locations.id, input.servicePointId));
  await queueSms(tx, {
    to: input.phone,
    template: "rating_request",
    // The link itself is signed when the message is sent (sms-templates.ts), from the request id.
    // Not filed under the order (notifications.order_id): it is the rating request's message, not the order's.
    data: { ratingRequestId: id, kind: input.kind, servicePointName: point?.nameZh ?? null },
  });
  return id;
}
