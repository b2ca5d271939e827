import type { DbKind, Executor } from "@coop/db";
import { consignors } from "@coop/db/schema";
import { createTestDb, testDbKinds } from "@coop/db/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCollection, receiveCollection } from "../src/domain/collections/collections";
import { findConsignor } from "../src/domain/consignors/consignors";
import { createLot } from "../src/domain/lots/create-lot";
import { loadLotFor } from "../src/domain/lots/lot-access";
import { countLot, recordSpoilage, returnToConsignor } from "../src/domain/lots/lot-adjustments";
import { createPayout } from "../src/domain/settlement/payouts";
import { recordSale } from "../src/domain/settlement/record-sale";
import { buildStatement } from "../src/domain/settlement/statement";
import type { StaffPrincipal } from "../src/lib/context";
import { ApiError } from "../src/lib/errors";
import { makeConsignor, makeCoopWorld } from "./factories";
import { allLedgerViolations } from "./ledger-checks";

/**
 * Random sequences of everything that moves goods or money — intakes (some failing QC), collections,
 * receipts with breakage, FEFO sales, spoilage with charges, returns, counts and payouts — against a real
 * database. After every step: each lot's and each place's on-hand equals its ledger, nothing is negative,
 * every villager's balance equals what the model expects (earnings − deductions − payouts), and every sale
 * splits into villager share + commission to the fen. Business refusals (not enough stock, above the
 * balance) are allowed; any other error fails the run.
 */
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

const command = fc.oneof(
  {
    arbitrary: fc.record({
      op: fc.constant("intake" as const),
      v: fc.nat(2),
      egg: fc.boolean(),
      qty: fc.integer({ min: 1, max: 60 }),
      pass: fc.nat(5).map((n) => n > 0),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ op: fc.constant("collect" as const), point: fc.nat(1), mask: fc.nat(255) }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("receive" as const),
      run: fc.nat(20),
      broken: fc.array(fc.nat(3), { maxLength: 8 }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("sale" as const),
      egg: fc.boolean(),
      where: fc.nat(2),
      qty: fc.integer({ min: 1, max: 80 }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("spoil" as const),
      lot: fc.nat(40),
      qty: fc.integer({ min: 1, max: 10 }),
      charge: fc.nat(150),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("return" as const),
      lot: fc.nat(40),
      qty: fc.integer({ min: 1, max: 10 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("count" as const),
      lot: fc.nat(40),
      delta: fc.integer({ min: -3, max: 3 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("payout" as const),
      v: fc.nat(2),
      amount: fc.integer({ min: 1, max: 4000 }),
    }),
    weight: 2,
  },
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

async function runScenario(kind: DbKind, commands: Command[]) {
  const t = await createTestDb(kind);
  try {
    const db: Executor = t.db;
    const w = await makeCoopWorld(db);
    const admin: StaffPrincipal = {
      ...w.admin,
      coopId: w.coop.id,
      sessionId: "ses_test",
      mustChangePassword: false,
      servicePointId: null,
    };
    const villagers = [
      await makeConsignor(db, w.coop.id, w.pointA.id),
      await makeConsignor(db, w.coop.id, w.pointA.id),
      await makeConsignor(db, w.coop.id, w.pointB.id),
    ];
    const places = [w.pointA.id, w.pointB.id, w.warehouse.id];
    const expectedBalance = new Map(villagers.map((v) => [v.id, 0]));
    const lotIds: string[] = [];
    const runIds: string[] = [];

    for (const [step, cmd] of commands.entries()) {
      try {
        switch (cmd.op) {
          case "intake": {
            const v = villagers[cmd.v]!;
            const lot = await createLot(db, {
              actorUserId: w.admin.id,
              data: {
                consignorId: v.id,
                productId: cmd.egg ? w.egg.id : w.pickle.id,
                servicePointId: v.servicePointId,
                quantity: cmd.egg ? cmd.qty : cmd.qty * 100,
                bestBefore: inDays(1 + ((step * 7) % 30)),
                qc: cmd.pass ? { passed: true } : { passed: false, reason: "不合格" },
              },
            });
            lotIds.push(lot.id);
            break;
          }
          case "collect": {
            const point = places[cmd.point]!;
            const lots = await Promise.all(lotIds.map((id) => loadLotFor(db, admin, id, "read")));
            const eligible = lots.filter(
              (l) => l.locationId === point && l.status === "in_stock" && l.onHand > 0,
            );
            const picked = eligible.filter((_, i) => (cmd.mask >> i) & 1);
            if (picked.length === 0) break;
            runIds.push(
              await createCollection(db, {
                fromServicePointId: point,
                lotIds: picked.map((l) => l.id),
                actorUserId: w.admin.id,
              }),
            );
            break;
          }
          case "receive": {
            if (runIds.length === 0) break;
            const runId = runIds[cmd.run % runIds.length]!;
            const lines = await Promise.all(
              (await db.query.collectionRunLines.findMany({ where: (l, { eq }) => eq(l.runId, runId) })).map(
                async (line, i) => {
                  const broken = Math.min(cmd.broken[i] ?? 0, line.quantitySent);
                  return {
                    lotId: line.lotId,
                    receivedQuantity: line.quantitySent - broken,
                    discrepancyKind: broken > 0 ? ("broken" as const) : undefined,
                  };
                },
              ),
            );
            await receiveCollection(db, { runId, lines, actorUserId: w.admin.id });
            break;
          }
          case "sale": {
            const product = cmd.egg ? w.egg : w.pickle;
            const quantity = cmd.egg ? cmd.qty : cmd.qty * 50;
            const allocations = await db.transaction((tx) =>
              recordSale(tx, {
                productId: product.id,
                locationId: places[cmd.where]!,
                quantity,
                unitPriceFen: product.priceFen,
                fromReserved: false,
              }),
            );
            expect(allocations.reduce((s, a) => s + a.quantity, 0)).toBe(quantity);
            for (const a of allocations) {
              expect(a.villagerFen + a.commissionFen).toBe(a.grossFen);
              expect(a.grossFen).toBe(a.quantity * product.priceFen);
              if (a.consignorId)
                expectedBalance.set(a.consignorId, expectedBalance.get(a.consignorId)! + a.villagerFen);
            }
            break;
          }
          case "spoil":
          case "return":
          case "count": {
            if (lotIds.length === 0) break;
            const lot = await loadLotFor(db, admin, lotIds[cmd.lot % lotIds.length]!, "operate");
            if (cmd.op === "spoil") {
              await recordSpoilage(db, lot, {
                quantity: cmd.qty,
                reason: "坏了",
                chargeFen: cmd.charge,
                actorUserId: w.admin.id,
              });
              expectedBalance.set(lot.consignorId!, expectedBalance.get(lot.consignorId!)! - cmd.charge);
            } else if (cmd.op === "return") {
              await returnToConsignor(db, lot, {
                quantity: cmd.qty,
                reason: "退回",
                actorUserId: w.admin.id,
              });
            } else {
              await countLot(db, lot, {
                countedQuantity: Math.max(0, lot.onHand + cmd.delta),
                reason: "盘点",
                actorUserId: w.admin.id,
              });
            }
            break;
          }
          case "payout": {
            const v = villagers[cmd.v]!;
            await createPayout(db, {
              consignor: v,
              amountFen: cmd.amount,
              method: "cash",
              actorUserId: w.admin.id,
            });
            expectedBalance.set(v.id, expectedBalance.get(v.id)! - cmd.amount);
            break;
          }
        }
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500) throw error;
      }

      expect(await allLedgerViolations(db), `after step ${step}: ${JSON.stringify(cmd)}`).toEqual({});
      const balances = await db
        .select({ id: consignors.id, balanceFen: consignors.balanceFen })
        .from(consignors);
      expect(Object.fromEntries(balances.map((b) => [b.id, b.balanceFen]))).toEqual(
        Object.fromEntries(expectedBalance),
      );
    }

    // Every villager's statement reconciles: opening + every line = closing = balance.
    for (const v of villagers) {
      const row = await findConsignor(db, v.id);
      const s = await buildStatement(db, row, new Date(0), new Date(Date.now() + 60_000));
      expect(s.openingFen + s.lines.reduce((sum, l) => sum + l.amountFen, 0)).toBe(s.closingFen);
      expect(s.closingFen).toBe(expectedBalance.get(v.id));
    }
  } finally {
    await t.close();
  }
}

describe.each(testDbKinds())("ledger properties under random operations (%s)", (kind) => {
  it("keeps stock, villager balances and sale splits exact after every step", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 30 }), (commands) =>
        runScenario(kind, commands),
      ),
      { numRuns: kind === "postgres" ? 40 : 10, endOnFailure: true },
    );
  }, 600_000);
});
