import type { Executor } from "@coop/db";
import { consignors, payments } from "@coop/db/schema";
import { mayActAtPoint, newId } from "@coop/shared";
import { eq } from "drizzle-orm";
import type { StaffPrincipal } from "../../lib/context";
import { ApiError } from "../../lib/errors";
import { PROGRESS_TEXT, STATEMENT_TEXT } from "../line-codes";
import { postConsignorEntry } from "../settlement/consignor-ledger";
import { recordOrderSale } from "./order-lifecycle";
import { invalid } from "./order-rules";
import { transition } from "./order-status";

// What is particular to an order a staff member places for a villager (帮代办, `onBehalfOf`): who may, and
// paying it from the villager's balance. The order itself is written like every other one, by place_order
// (place-order.ts, decision 0035): the same prices, fee, sourcing, reservation and idempotency key.

/** The villager an assisted order is for, once the staff member is known to be allowed to order for them. */
export async function villagerFor(db: Executor, staff: StaffPrincipal, consignorId: string) {
  const [consignor] = await db.select().from(consignors).where(eq(consignors.id, consignorId));
  if (!consignor) invalid([{ path: "onBehalfOf.consignorId", message: "no such villager" }]);
  if (!mayActAtPoint(staff, consignor.servicePointId, { allowWarehouse: true })) {
    throw new ApiError("FORBIDDEN", "This villager belongs to another service point.");
  }
  if (staff.role === "warehouse")
    throw new ApiError("FORBIDDEN", "Warehouse staff do not place orders for villagers.");
  return consignor;
}

/**
 * Pays a just-placed order from the villager's consignment balance, in the transaction that placed it: the
 * purchase on their statement (refused with 409 INSUFFICIENT_BALANCE, and the order with it, when the
 * balance does not cover it), the payment, the sale (FEFO, as every paid order: recordOrderSale), and the
 * order paid at once.
 */
export async function payFromVillagerBalance(
  tx: Executor,
  input: { orderId: string; consignorId: string; totalFen: number; actorUserId: string },
) {
  const { orderId, consignorId, totalFen, actorUserId } = input;
  await postConsignorEntry(
    tx,
    {
      consignorId,
      kind: "purchase",
      amountFen: -totalFen,
      orderId,
      note: STATEMENT_TEXT.farm_supplies,
      actorUserId,
    },
    { requireBalance: true },
  );
  await tx.insert(payments).values({
    id: newId("payment"),
    orderId,
    method: "consignor_balance",
    provider: "consignor_balance",
    amountFen: totalFen,
    status: "succeeded",
  });
  await recordOrderSale(tx, orderId, actorUserId);
  await transition(tx, orderId, ["confirmed"], "paid", {
    actorUserId,
    note: PROGRESS_TEXT.set_against_earnings,
  });
}
