import { newId, splitCommission } from "@coop/shared";
import type { consignorEntries, payouts } from "../schema";
import type { ConsignorRow } from "./people";

export type ConsignorEntryRow = typeof consignorEntries.$inferInsert & { id: string; amountFen: number };
export type PayoutRow = typeof payouts.$inferInsert & { id: string };

export interface SaleCreditInput {
  consignorId: string;
  lotId: string;
  orderId: string;
  orderLineId: string;
  quantity: number;
  grossFen: number;
  commissionBps: number;
  productNameZh: string;
  productNameEn: string;
  at: Date;
}

/**
 * The villagers' money ledger (明白账) for the demo. Balances are never set directly: they are the sum of
 * the entries, the same rule the real settlement code and its tests hold to.
 */
export class ConsignorLedger {
  readonly entries: ConsignorEntryRow[] = [];
  readonly payouts: PayoutRow[] = [];

  saleCredit(input: SaleCreditInput): void {
    const { villagerFen, coopFen } = splitCommission(input.grossFen, input.commissionBps);
    this.entries.push({
      id: newId("consignorEntry"),
      consignorId: input.consignorId,
      kind: "sale_credit",
      amountFen: villagerFen,
      grossFen: input.grossFen,
      commissionFen: coopFen,
      quantity: input.quantity,
      lotId: input.lotId,
      orderId: input.orderId,
      orderLineId: input.orderLineId,
      note: `售出${input.productNameZh} / sold ${input.productNameEn}`,
      createdAt: input.at,
    });
  }

  /** Cash paid at the villager's service point; refuses to take the balance below zero. */
  payout(consignor: ConsignorRow, amountFen: number, paidByUserId: string, at: Date): void {
    if (amountFen <= 0 || amountFen > this.balanceOf(consignor.id)) {
      throw new Error(`Demo payout of ${amountFen} fen exceeds ${consignor.name}'s balance`);
    }
    const payoutId = newId("payout");
    const note = "现金结算，村民签字确认 / paid in cash, receipt signed";
    this.payouts.push({
      id: payoutId,
      consignorId: consignor.id,
      servicePointId: consignor.servicePointId,
      amountFen,
      method: "cash",
      balanceAfterFen: this.balanceOf(consignor.id) - amountFen,
      paidByUserId,
      note,
      createdAt: at,
    });
    this.entries.push({
      id: newId("consignorEntry"),
      consignorId: consignor.id,
      kind: "payout",
      amountFen: -amountFen,
      payoutId,
      note,
      actorUserId: paidByUserId,
      createdAt: at,
    });
  }

  balanceOf(consignorId: string): number {
    return this.entries.filter((e) => e.consignorId === consignorId).reduce((sum, e) => sum + e.amountFen, 0);
  }

  /** Copies each villager's ledger sum onto consignors.balance_fen before they are inserted. */
  applyBalances(consignors: ConsignorRow[]): void {
    for (const consignor of consignors) consignor.balanceFen = this.balanceOf(consignor.id);
  }
}
