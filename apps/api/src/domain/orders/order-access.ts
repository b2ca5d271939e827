import type { Executor } from "@coop/db";
import { mayAccessOrder } from "@coop/shared";
import type { StaffPrincipal } from "../../lib/context";
import { ApiError } from "../../lib/errors";
import { hashToken } from "../auth/tokens";
import { buyerPickupCode, getOrderRow, orderViews } from "./order-views";
import type { PickupCodes } from "./pickup-codes";

/** Who asks about an order: a staff login, or a buyer holding the order's access token (or neither). */
export interface OrderCaller {
  staff?: StaffPrincipal | undefined;
  orderToken?: string | undefined;
}

type OrderRow = NonNullable<Awaited<ReturnType<typeof getOrderRow>>>;

/**
 * Who may see or act on an order: its buyer (the order's access token), admins and warehouse staff, and
 * the agent of its pickup point. Anyone else gets 404 rather than 403, so order ids cannot be probed.
 */
export async function orderForCaller(
  db: Executor,
  id: string,
  caller: OrderCaller,
  options: { buyerAllowed: boolean },
): Promise<{ order: OrderRow; staff: StaffPrincipal | undefined }> {
  const order = await getOrderRow(db, id);
  const { staff, orderToken } = caller;
  const isBuyer = Boolean(order && orderToken && hashToken(orderToken) === order.accessTokenHash);
  if (!order || (!staff && !isBuyer)) {
    if (!staff && !orderToken)
      throw new ApiError("UNAUTHENTICATED", "Open the order from its link, or log in.");
    throw new ApiError("NOT_FOUND", "There is no such order.");
  }
  if (isBuyer && !staff) {
    if (!options.buyerAllowed) throw new ApiError("FORBIDDEN", "Only the co-op can do this.");
    return { order, staff: undefined };
  }
  if (!mayAccessOrder(staff!, order)) {
    throw new ApiError("FORBIDDEN", "This order belongs to another service point.");
  }
  return { order, staff };
}

/** An order only staff may act on (packing, hand-over …): the order and the staff member acting. */
export async function orderForStaff(
  db: Executor,
  id: string,
  caller: OrderCaller,
): Promise<{ order: OrderRow; staff: StaffPrincipal }> {
  const { order, staff } = await orderForCaller(db, id, caller, { buyerAllowed: false });
  if (!staff) throw new ApiError("UNAUTHENTICATED", "Please log in first.");
  return { order, staff };
}

/** The order now; its pickup code only for its buyer (a caller with its token and no staff login). */
export async function orderViewFor(db: Executor, id: string, caller: OrderCaller, codes: PickupCodes) {
  const row = (await getOrderRow(db, id))!;
  const [order] = await orderViews(db, [row]);
  const buyerToken = !caller.staff ? caller.orderToken : undefined;
  if (buyerToken && hashToken(buyerToken) === row.accessTokenHash) {
    return { ...order!, pickupCode: buyerPickupCode(row, buyerToken, codes) };
  }
  return order!;
}
