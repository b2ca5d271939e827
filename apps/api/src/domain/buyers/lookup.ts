import type { Executor } from "@coop/db";
import { orders } from "@coop/db/schema";
import { and, desc, eq, isNotNull } from "drizzle-orm";
import { ApiError } from "../../lib/errors";
import type { Caller } from "../../middleware/client-address";
import { orderViews } from "../orders/order-views";
import type { PickupCodes } from "../orders/pickup-codes";
import { clientKey, giveBack, take } from "./rate-limits";
import type { BuyerSecrets } from "./secrets";
import { issueViewToken } from "./view-tokens";

/** Wrong look-ups allowed per phone and per client in an hour: 5 guesses at 10^6 codes is 1 in 200,000. */
export const LOOKUP_MISSES_PER_PHONE_PER_HOUR = 5;
export const LOOKUP_MISSES_PER_CLIENT_PER_HOUR = 10;
/** How far back a look-up searches a phone's pickup orders. */
const LOOKUP_RECENT_ORDERS = 100;

/**
 * One order found by its contact phone and pickup code, for a buyer on a device with neither the order's
 * link nor a session. Each try is counted (per phone and per client, in the database) BEFORE the code is
 * checked and given back only when it matches, so a guesser gets 5 tries an hour at a phone however many
 * requests run at once. A miss is 404 whether the phone has orders or not.
 */
export async function lookupOrder(
  db: Executor,
  deps: { codes: PickupCodes; secrets: BuyerSecrets },
  input: { phone: string; pickupCode: string; caller: Caller },
) {
  const counted = await take(
    db,
    [
      {
        bucket: `buyer:lookup:phone:${input.phone}`,
        limit: LOOKUP_MISSES_PER_PHONE_PER_HOUR,
        windowSeconds: 3600,
      },
      {
        bucket: `buyer:lookup:client:${clientKey(input.caller)}`,
        limit: LOOKUP_MISSES_PER_CLIENT_PER_HOUR,
        windowSeconds: 3600,
      },
    ],
    "Too many order look-ups that found nothing.",
  );
  const rows = await db
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.contactPhone, input.phone),
        eq(orders.fulfilmentType, "pickup"),
        isNotNull(orders.pickupCodeHash),
      ),
    )
    .orderBy(desc(orders.id))
    .limit(LOOKUP_RECENT_ORDERS);
  const found = rows.find((row) =>
    deps.codes.matches(row.pickupLocationId ?? "", input.pickupCode, row.pickupCodeHash),
  );
  if (!found) {
    throw new ApiError(
      "NOT_FOUND",
      "No order has this phone number and pickup code. Check both against the order's text message.",
    );
  }
  await giveBack(db, counted);
  const [order] = await orderViews(db, [found]);
  const view = issueViewToken(deps.secrets, found.id);
  // The caller has just shown the code, so the answer may carry it.
  return {
    order: { ...order!, pickupCode: input.pickupCode },
    viewToken: view.token,
    viewExpiresAt: view.expiresAt,
  };
}
