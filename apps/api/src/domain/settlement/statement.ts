import type { Executor } from "@coop/db";
import { consignorEntries, lots, products, stockMovements } from "@coop/db/schema";
import type { BaseUnit, StatementLineKind } from "@coop/shared";
import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { ConsignorRow } from "../consignors/consignors";
import { statementNoteLine } from "../line-codes";

type Kind = StatementLineKind;

interface Line {
  at: Date;
  kind: Kind;
  lotId?: string;
  lotNo?: string;
  orderId?: string;
  payoutId?: string;
  productName?: { zh: string; en: string };
  quantity?: number;
  unit?: BaseUnit;
  grossFen?: number;
  commissionFen?: number;
  amountFen: number;
  note?: string;
}

const MONEY_KIND: Record<string, Kind> = {
  sale_credit: "sale",
  deduction: "deduction",
  payout: "payout",
  purchase: "purchase",
  sale_reversal: "sale_reversal",
  adjustment: "adjustment",
};

const GOODS_KIND: Record<string, Kind> = {
  intake: "intake",
  discrepancy: "discrepancy",
  spoilage: "spoilage",
  return_to_consignor: "returned",
  count_adjustment: "discrepancy",
};

const defined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;

/**
 * A villager's statement (明白账) for [from, to): the balance before, every line in time order — goods taken
 * in, rejected, lost, spoiled, returned (no money), sales with gross and commission, deductions and payouts —
 * with the running balance, and the balance after. Opening + the lines' amounts = closing, to the fen.
 */
export async function buildStatement(db: Executor, consignor: ConsignorRow, from: Date, to: Date) {
  const [opening] = await db
    .select({ sum: sql<string | null>`sum(${consignorEntries.amountFen})` })
    .from(consignorEntries)
    .where(and(eq(consignorEntries.consignorId, consignor.id), lt(consignorEntries.createdAt, from)));
  const openingFen = Number(opening?.sum ?? 0);

  const productCols = {
    lotNo: lots.lotNo,
    nameZh: products.nameZh,
    nameEn: products.nameEn,
    unit: products.unit,
  };
  const money = await db
    .select({ e: consignorEntries, ...productCols })
    .from(consignorEntries)
    .leftJoin(lots, eq(lots.id, consignorEntries.lotId))
    .leftJoin(products, eq(products.id, lots.productId))
    .where(
      and(
        eq(consignorEntries.consignorId, consignor.id),
        gte(consignorEntries.createdAt, from),
        lt(consignorEntries.createdAt, to),
      ),
    );
  const goods = await db
    .select({ m: stockMovements, ...productCols, lotId: lots.id })
    .from(stockMovements)
    .innerJoin(lots, eq(lots.id, stockMovements.lotId))
    .innerJoin(products, eq(products.id, lots.productId))
    .where(
      and(
        eq(lots.consignorId, consignor.id),
        inArray(stockMovements.kind, Object.keys(GOODS_KIND) as never),
        gte(stockMovements.createdAt, from),
        lt(stockMovements.createdAt, to),
      ),
    );
  const rejected = await db
    .select({ lot: lots, nameZh: products.nameZh, nameEn: products.nameEn, unit: products.unit })
    .from(lots)
    .innerJoin(products, eq(products.id, lots.productId))
    .where(
      and(
        eq(lots.consignorId, consignor.id),
        eq(lots.qcPassed, false),
        gte(lots.createdAt, from),
        lt(lots.createdAt, to),
      ),
    );

  const lines: Array<Line & { order: number }> = [];
  for (const g of goods) {
    lines.push({
      order: 0,
      at: g.m.createdAt,
      kind: GOODS_KIND[g.m.kind]!,
      lotId: g.lotId,
      lotNo: g.lotNo ?? undefined,
      productName: { zh: g.nameZh, en: g.nameEn },
      quantity: g.m.quantityDelta,
      unit: g.unit,
      amountFen: 0,
      note: g.m.kind === "intake" ? undefined : (g.m.reason ?? undefined),
    });
  }
  for (const r of rejected) {
    lines.push({
      order: 0,
      at: r.lot.createdAt,
      kind: "rejected",
      lotId: r.lot.id,
      lotNo: r.lot.lotNo,
      productName: { zh: r.nameZh, en: r.nameEn },
      quantity: r.lot.quantityReceived,
      unit: r.unit,
      amountFen: 0,
      note: r.lot.qcReason ?? undefined,
    });
  }
  for (const row of money) {
    const e = row.e;
    lines.push({
      order: 1,
      at: e.createdAt,
      kind: MONEY_KIND[e.kind]!,
      lotId: e.lotId ?? undefined,
      lotNo: row.lotNo ?? undefined,
      orderId: e.orderId ?? undefined,
      payoutId: e.payoutId ?? undefined,
      productName: row.nameZh && row.nameEn ? { zh: row.nameZh, en: row.nameEn } : undefined,
      quantity: e.quantity ?? undefined,
      unit: row.unit ?? undefined,
      grossFen: e.grossFen ?? undefined,
      commissionFen: e.commissionFen ?? undefined,
      amountFen: e.amountFen,
      note: e.note ?? undefined,
    });
  }
  lines.sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);

  let balance = openingFen;
  const out = lines.map(({ order: _order, at, ...rest }) => {
    balance += rest.amountFen;
    const noteLine = rest.note ? statementNoteLine(rest.note, rest.kind) : undefined;
    return defined({ at: at.toISOString(), ...rest, balanceFen: balance, noteLine });
  });
  return {
    consignorId: consignor.id,
    consignorName: consignor.name,
    from: from.toISOString(),
    to: to.toISOString(),
    openingFen,
    lines: out,
    closingFen: balance,
  };
}
