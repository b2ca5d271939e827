import { createHash } from "node:crypto";
import type { Sql } from "postgres";
import { CopyWriter, iso } from "./copy";
import { makeId } from "./ids";
import {
  agentUser,
  type CoopModel,
  chinaDate,
  LOC_TRANSIT,
  LOC_WAREHOUSE,
  LOT_REJECTED,
  LOT_STATUS,
  spLoc,
  USER_ADMIN,
  USER_WAREHOUSE,
} from "./model";
import { BENCH_ADMIN_LOGIN, BENCH_COOP_CODE, BENCH_DELIVERY, DAY_MS, HISTORY_START_MS } from "./scales";

export interface LoadIds {
  coopId: string;
  locationIds: string[];
  userIds: string[];
  consignorIds: string[];
  productIds: string[];
}

type Log = (message: string) => void;

/** Writes the model: parents before children, the big independent streams on two connections at once. */
export async function loadModel(sql: Sql, m: CoopModel, passwordHash: string, log: Log): Promise<LoadIds> {
  const seed = m.seed;
  const created = HISTORY_START_MS - 400 * DAY_MS;
  const coopId = makeId("coop", 0, created, seed);
  const locationIds = Array.from({ length: m.nLocations }, (_, i) =>
    makeId("location", i, created + i, seed),
  );
  const userIds = Array.from({ length: 2 + m.nSp }, (_, i) => makeId("user", i, created + i, seed));
  const consignorIds = Array.from({ length: m.nConsignors }, (_, c) =>
    makeId("consignor", c, m.consignorCreated[c]!, seed),
  );
  const productIds = m.products.map((p, i) => makeId("product", i, p.createdAt, seed));
  const lotIds = Array.from({ length: m.nLots }, (_, j) => makeId("lot", j, m.lotCreated[j]!, seed));
  const runIds = m.runs.map((r, i) => makeId("collection", i, r.departAt, seed));
  const orderIds = m.orders.map((o, k) => makeId("order", k, o.time, seed));
  const lineIds = Array.from({ length: m.lineCount }, (_, l) =>
    makeId("orderLine", l, m.orders[m.lineOrder.data[l]!]!.time, seed),
  );
  const payoutIds = m.payouts.map((p, i) => makeId("payout", i, p.at, seed));
  const spCode = (s: number) => `SP-B${String(s + 1).padStart(4, "0")}`;

  const timed = async (name: string, work: () => Promise<number>) => {
    const started = performance.now();
    const rows = await work();
    const s = (performance.now() - started) / 1000;
    log(
      `  ${name}: ${rows.toLocaleString("en")} rows in ${s.toFixed(1)} s (${Math.round(rows / s).toLocaleString("en")}/s)`,
    );
  };
  const copy = async (
    table: string,
    columns: readonly string[],
    emit: (w: CopyWriter) => Promise<void> | void,
  ) => {
    const w = await CopyWriter.open(sql, table, columns);
    await emit(w);
    return w.close();
  };

  // --- Places, people, catalog.
  await timed("coops, locations, staff", async () => {
    let n = await copy(
      "coops",
      [
        "id",
        "code",
        "name_zh",
        "name_en",
        "default_commission_bps",
        "delivery_fee_fen",
        "free_delivery_over_fen",
        "unpaid_order_seconds",
        "created_at",
      ],
      (w) =>
        w.row([
          coopId,
          BENCH_COOP_CODE,
          "衡阳市供销合作社（基准数据）",
          "Hengyang Co-op (benchmark data)",
          1000,
          BENCH_DELIVERY.deliveryFeeFen,
          BENCH_DELIVERY.freeDeliveryOverFen,
          1800,
          iso(created),
        ]),
    );
    n += await copy(
      "locations",
      [
        "id",
        "coop_id",
        "kind",
        "code",
        "name_zh",
        "name_en",
        "village",
        "address",
        "phone",
        "active",
        "created_at",
      ],
      (w) => {
        w.row([
          locationIds[LOC_WAREHOUSE],
          coopId,
          "warehouse",
          "WH-BENCH",
          "仓储配送中心",
          "Warehouse & Distribution Centre",
          null,
          "湖南省衡阳市珠晖区农产品物流园",
          "07348221560",
          true,
          iso(created),
        ]);
        w.row([
          locationIds[LOC_TRANSIT],
          coopId,
          "transit",
          `TRANSIT-${BENCH_COOP_CODE}`,
          "运输途中",
          "In transit",
          null,
          null,
          null,
          true,
          iso(created),
        ]);
        for (let s = 0; s < m.nSp; s++) {
          const v = m.spVillage[s]!;
          w.row([
            locationIds[spLoc(s)],
            coopId,
            "service_point",
            spCode(s),
            `${v.zh}商务服务点`,
            `${v.en} Service Point`,
            v.zh,
            `湖南省衡阳市${v.zh}党群服务中心`,
            `0734${String(5_800_000 + s).padStart(7, "0")}`,
            true,
            iso(created + s),
          ]);
        }
      },
    );
    n += await copy(
      "staff_users",
      [
        "id",
        "coop_id",
        "login",
        "password_hash",
        "display_name",
        "role",
        "service_point_id",
        "active",
        "created_at",
      ],
      (w) => {
        w.row([
          userIds[USER_ADMIN],
          coopId,
          BENCH_ADMIN_LOGIN,
          passwordHash,
          "基准管理员",
          "admin",
          null,
          true,
          iso(created),
        ]);
        w.row([
          userIds[USER_WAREHOUSE],
          coopId,
          "bench-warehouse",
          passwordHash,
          "基准仓库",
          "warehouse",
          null,
          true,
          iso(created),
        ]);
        for (let s = 0; s < m.nSp; s++) {
          w.row([
            userIds[agentUser(s)],
            coopId,
            `bench-agent-${String(s + 1).padStart(4, "0")}`,
            passwordHash,
            `${m.personName(s + 7)}（代办员）`,
            "agent",
            locationIds[spLoc(s)],
            true,
            iso(created),
          ]);
        }
      },
    );
    return n;
  });
  await timed("consignors", () =>
    copy(
      "consignors",
      [
        "id",
        "coop_id",
        "name",
        "phone",
        "service_point_id",
        "village",
        "show_on_product_pages",
        "balance_fen",
        "created_at",
      ],
      async (w) => {
        for (let c = 0; c < m.nConsignors; c++) {
          const s = m.consignorSp[c]!;
          w.row([
            consignorIds[c],
            coopId,
            m.personName(c),
            m.consignorPhone(c),
            locationIds[spLoc(s)],
            m.spVillage[s]!.zh,
            m.consignorShow[c] === 1,
            m.consignorBalance[c],
            iso(m.consignorCreated[c]!),
          ]);
          await w.maybeFlush();
        }
      },
    ),
  );
  await timed("products", () =>
    copy(
      "products",
      [
        "id",
        "coop_id",
        "sku",
        "name_zh",
        "name_en",
        "description_zh",
        "description_en",
        "kind",
        "unit",
        "price_fen",
        "commission_bps",
        "perishable",
        "active",
        "created_at",
        "updated_at",
      ],
      (w) => {
        m.products.forEach((p, i) => {
          const f = p.family;
          w.row([
            productIds[i],
            coopId,
            p.sku,
            p.nameZh,
            p.nameEn,
            `${p.nameZh}，产自本地农户。`,
            `${p.nameEn}, from local households.`,
            f.kind,
            f.unit,
            p.priceFen,
            p.commissionBps,
            f.shelfLifeDays !== null,
            true,
            iso(p.createdAt),
            iso(p.createdAt),
          ]);
        });
      },
    ),
  );

  // --- Lots (everything below refers to them).
  await timed("lots", () =>
    copy(
      "lots",
      [
        "id",
        "coop_id",
        "lot_no",
        "product_id",
        "consignor_id",
        "origin_location_id",
        "location_id",
        "status",
        "quantity_received",
        "on_hand",
        "grade",
        "best_before",
        "qc_passed",
        "qc_reason",
        "received_by_user_id",
        "created_at",
      ],
      async (w) => {
        for (let j = 0; j < m.nLots; j++) {
          const t = m.lotCreated[j]!;
          const origin = m.lotOrigin[j]!;
          const c = m.lotConsignor[j]!;
          const product = m.products[m.lotProduct[j]!]!;
          const rejected = m.lotStatus[j] === LOT_REJECTED;
          const place = origin === LOC_WAREHOUSE ? "WH" : spCode(origin - 2).slice(3);
          const shelf = product.family.shelfLifeDays;
          w.row([
            lotIds[j],
            coopId,
            `${place}-${chinaDate(t).replaceAll("-", "")}-${String(j + 1).padStart(7, "0")}`,
            productIds[m.lotProduct[j]!],
            c >= 0 ? consignorIds[c] : null,
            locationIds[origin],
            locationIds[m.lotLocation[j]!],
            LOT_STATUS[m.lotStatus[j]!],
            m.lotQty[j],
            m.lotOnHand[j],
            rejected ? null : m.lotGrade[j] === 0 ? "A" : "B",
            shelf !== null && !rejected ? chinaDate(t + shelf * DAY_MS) : null,
            !rejected,
            rejected ? "质检不合格 / failed quality check" : null,
            userIds[origin === LOC_WAREHOUSE ? USER_WAREHOUSE : agentUser(origin - 2)],
            iso(t),
          ]);
          await w.maybeFlush();
        }
      },
    ),
  );

  // --- The stock ledger on one connection, orders and money on another, at the same time.
  const levels = new Map<number, { onHand: number; reserved: number }>();
  const level = (p: number, loc: number) => {
    const key = p * m.nLocations + loc;
    let l = levels.get(key);
    if (!l) {
      l = { onHand: 0, reserved: 0 };
      levels.set(key, l);
    }
    return l;
  };
  const movements = timed("stock_movements", () =>
    copy(
      "stock_movements",
      [
        "id",
        "product_id",
        "location_id",
        "lot_id",
        "kind",
        "quantity_delta",
        "reason",
        "actor_user_id",
        "order_id",
        "batch_id",
        "created_at",
      ],
      async (w) => {
        let n = 0;
        const mv = (
          p: number,
          loc: number,
          lot: number,
          kind: string,
          delta: number,
          reason: string | null,
          actor: number,
          order: number,
          batch: string | null,
          at: number,
        ) => {
          w.row([
            makeId("stockMovement", n++, at, seed),
            productIds[p],
            locationIds[loc],
            lotIds[lot],
            kind,
            delta,
            reason,
            actor >= 0 ? userIds[actor] : null,
            order >= 0 ? orderIds[order] : null,
            batch,
            iso(at),
          ]);
          level(p, loc);
        };
        for (let j = 0; j < m.nLots; j++) {
          if (m.lotStatus[j] === LOT_REJECTED) continue;
          const p = m.lotProduct[j]!;
          const origin = m.lotOrigin[j]!;
          const qty = m.lotQty[j]!;
          const t = m.lotCreated[j]!;
          const supply = origin === LOC_WAREHOUSE;
          mv(
            p,
            origin,
            j,
            "intake",
            qty,
            supply ? "农资进货 / farm supply delivery" : "代销收货 / consignment intake",
            supply ? USER_WAREHOUSE : agentUser(origin - 2),
            -1,
            null,
            t,
          );
          const r = m.lotRun[j]!;
          if (r >= 0) {
            const run = m.runs[r]!;
            const agent = agentUser(run.sp);
            mv(p, origin, j, "transfer_out", -qty, "collection", agent, -1, runIds[r]!, run.departAt);
            mv(p, LOC_TRANSIT, j, "transfer_in", qty, "collection", agent, -1, runIds[r]!, run.departAt);
            if (run.receivedAt !== null) {
              mv(
                p,
                LOC_TRANSIT,
                j,
                "transfer_out",
                -qty,
                "received",
                USER_WAREHOUSE,
                -1,
                runIds[r]!,
                run.receivedAt,
              );
              mv(
                p,
                LOC_WAREHOUSE,
                j,
                "transfer_in",
                qty,
                "received",
                USER_WAREHOUSE,
                -1,
                runIds[r]!,
                run.receivedAt,
              );
              const lost = m.lotLost[j]!;
              if (lost > 0) {
                mv(
                  p,
                  LOC_WAREHOUSE,
                  j,
                  "discrepancy",
                  -lost,
                  `集货途中破损 ${lost} / broken in collection`,
                  USER_WAREHOUSE,
                  -1,
                  runIds[r]!,
                  run.receivedAt + 15 * 60_000,
                );
              }
            }
          }
          level(p, m.lotLocation[j]!).onHand += m.lotOnHand[j]!;
          await w.maybeFlush();
        }
        for (let a = 0; a < m.allocCount; a++) {
          const line = m.allocLine.data[a]!;
          const k = m.lineOrder.data[line]!;
          const o = m.orders[k]!;
          const lot = m.allocLot.data[a]!;
          const actor = o.method === "cash_on_pickup" ? agentUser(o.pickupSp) : -1;
          mv(
            m.lotProduct[lot]!,
            LOC_WAREHOUSE,
            lot,
            "sale",
            -m.allocQty.data[a]!,
            "订单售出 / sold on an order",
            actor,
            k,
            null,
            o.soldAt!,
          );
          await w.maybeFlush();
        }
      },
    ),
  );

  const ordersAndMoney = (async () => {
    await timed("collection_runs", () =>
      copy(
        "collection_runs",
        [
          "id",
          "coop_id",
          "from_location_id",
          "to_location_id",
          "status",
          "created_by_user_id",
          "received_by_user_id",
          "created_at",
          "received_at",
        ],
        async (w) => {
          for (let r = 0; r < m.runs.length; r++) {
            const run = m.runs[r]!;
            const received = run.receivedAt !== null;
            w.row([
              runIds[r],
              coopId,
              locationIds[spLoc(run.sp)],
              locationIds[LOC_WAREHOUSE],
              received ? "received" : "in_transit",
              userIds[agentUser(run.sp)],
              received ? userIds[USER_WAREHOUSE] : null,
              iso(run.departAt),
              received ? iso(run.receivedAt!) : null,
            ]);
            await w.maybeFlush();
          }
        },
      ),
    );
    await timed("collection_run_lines", () =>
      copy(
        "collection_run_lines",
        ["run_id", "lot_id", "quantity_sent", "quantity_received", "discrepancy_kind", "note"],
        async (w) => {
          for (let j = 0; j < m.nLots; j++) {
            const r = m.lotRun[j]!;
            if (r < 0) continue;
            const received = m.runs[r]!.receivedAt !== null;
            const lost = m.lotLost[j]!;
            w.row([
              runIds[r],
              lotIds[j],
              m.lotQty[j],
              received ? m.lotQty[j]! - lost : null,
              lost > 0 ? "broken" : null,
              lost > 0 ? "路上颠簸破损 / broken on the road" : null,
            ]);
            await w.maybeFlush();
          }
        },
      ),
    );
    await timed("orders", () =>
      copy(
        "orders",
        [
          "id",
          "coop_id",
          "status",
          "contact_name",
          "contact_phone",
          "fulfilment_type",
          "pickup_location_id",
          "delivery_address",
          "payment_method",
          "subtotal_fen",
          "delivery_fee_fen",
          "total_fen",
          "access_token_hash",
          "pickup_code_hash",
          "placed_by_user_id",
          "on_behalf_of_consignor_id",
          "expires_at",
          "created_at",
          "updated_at",
        ],
        async (w) => {
          for (let k = 0; k < m.orders.length; k++) {
            const o = m.orders[k]!;
            const pickup = o.pickupSp >= 0;
            const token = createHash("sha256").update(`bench-order-${seed}-${k}`).digest("hex");
            w.row([
              orderIds[k],
              coopId,
              o.status,
              m.personName(o.contact + 3),
              phoneOf(o.contact),
              pickup ? "pickup" : "delivery",
              pickup ? locationIds[spLoc(o.pickupSp)] : null,
              pickup ? null : `湖南省衡阳市蒸湘区蒸湘北路 ${(o.contact % 300) + 1} 号`,
              o.method,
              o.subtotalFen,
              o.deliveryFeeFen,
              o.subtotalFen + o.deliveryFeeFen,
              token,
              // A stand-in for the keyed hash of the code (the API's secret is not known here).
              pickup ? createHash("sha256").update(`bench-code-${seed}-${k}`).digest("hex") : null,
              null,
              null,
              null,
              iso(o.time),
              iso(o.updatedAt),
            ]);
            await w.maybeFlush();
          }
        },
      ),
    );
    await timed("order_lines", () =>
      copy(
        "order_lines",
        ["id", "order_id", "product_id", "location_id", "quantity", "unit_price_fen", "line_total_fen"],
        async (w) => {
          for (let l = 0; l < m.lineCount; l++) {
            const q = m.lineQty.data[l]!;
            const price = m.linePrice.data[l]!;
            w.row([
              lineIds[l],
              orderIds[m.lineOrder.data[l]!],
              productIds[m.lineProduct.data[l]!],
              locationIds[LOC_WAREHOUSE],
              q,
              price,
              q * price,
            ]);
            await w.maybeFlush();
          }
        },
      ),
    );
    await timed("order_line_lots", () =>
      copy("order_line_lots", ["order_line_id", "lot_id", "quantity"], async (w) => {
        for (let a = 0; a < m.allocCount; a++) {
          w.row([lineIds[m.allocLine.data[a]!], lotIds[m.allocLot.data[a]!], m.allocQty.data[a]]);
          await w.maybeFlush();
        }
      }),
    );
    await timed("order_status_history", () =>
      copy(
        "order_status_history",
        ["id", "order_id", "from_status", "to_status", "actor_user_id", "note", "created_at"],
        async (w) => {
          let n = 0;
          for (let k = 0; k < m.orders.length; k++) {
            for (const [from, to, at, actor] of m.orders[k]!.history) {
              w.row([
                makeId("orderStatusChange", n++, at, seed),
                orderIds[k],
                from,
                to,
                actor >= 0 ? userIds[actor] : null,
                null,
                iso(at),
              ]);
            }
            await w.maybeFlush();
          }
        },
      ),
    );
    await timed("payments", () =>
      copy(
        "payments",
        [
          "id",
          "order_id",
          "method",
          "provider",
          "provider_ref",
          "amount_fen",
          "refunded_fen",
          "status",
          "received_by_user_id",
          "location_id",
          "created_at",
          "updated_at",
        ],
        async (w) => {
          for (let k = 0; k < m.orders.length; k++) {
            const o = m.orders[k]!;
            if (!o.payment) continue;
            const stripe = o.payment.provider === "stripe";
            // Cash names who took it and where (payments_cash_has_receiver): the agent who handed it over.
            const handOver = stripe ? undefined : o.history.find(([, to]) => to === "picked_up");
            const receiver = handOver && handOver[3] >= 0 ? userIds[handOver[3]] : null;
            w.row([
              makeId("payment", k, o.time, seed),
              orderIds[k],
              o.method,
              o.payment.provider,
              stripe ? `pi_bench_${seed}_${k}` : null,
              o.subtotalFen + o.deliveryFeeFen,
              0,
              o.payment.status,
              receiver,
              stripe || o.pickupSp < 0 ? null : locationIds[spLoc(o.pickupSp)],
              iso(stripe ? o.time : o.payment.at),
              iso(o.payment.at),
            ]);
            await w.maybeFlush();
          }
        },
      ),
    );
    await timed("payouts", () =>
      copy(
        "payouts",
        [
          "id",
          "consignor_id",
          "service_point_id",
          "amount_fen",
          "method",
          "balance_after_fen",
          "paid_by_user_id",
          "note",
          "created_at",
        ],
        async (w) => {
          m.payouts.forEach((p, i) => {
            const s = m.consignorSp[p.consignor]!;
            w.row([
              payoutIds[i],
              consignorIds[p.consignor],
              locationIds[spLoc(s)],
              p.amountFen,
              p.method,
              p.balanceAfterFen,
              userIds[agentUser(s)],
              "月度结算 / monthly settlement",
              iso(p.at),
            ]);
          });
          await w.flush();
        },
      ),
    );
    await timed("consignor_entries", () =>
      copy(
        "consignor_entries",
        [
          "id",
          "consignor_id",
          "kind",
          "amount_fen",
          "gross_fen",
          "commission_fen",
          "quantity",
          "lot_id",
          "order_id",
          "order_line_id",
          "payout_id",
          "note",
          "actor_user_id",
          "created_at",
        ],
        async (w) => {
          let n = 0;
          for (let a = 0; a < m.allocCount; a++) {
            const credit = m.credit(a);
            if (!credit) continue;
            const lot = m.allocLot.data[a]!;
            const line = m.allocLine.data[a]!;
            const k = m.lineOrder.data[line]!;
            const product = m.products[m.lotProduct[lot]!]!;
            const at = m.orders[k]!.soldAt!;
            w.row([
              makeId("consignorEntry", n++, at, seed),
              consignorIds[m.lotConsignor[lot]!],
              "sale_credit",
              credit.villagerFen,
              credit.grossFen,
              credit.coopFen,
              m.allocQty.data[a],
              lotIds[lot],
              orderIds[k],
              lineIds[line],
              null,
              `售出${product.family.zh} / sold ${product.family.en}`,
              null,
              iso(at),
            ]);
            await w.maybeFlush();
          }
          for (let i = 0; i < m.payouts.length; i++) {
            const p = m.payouts[i]!;
            w.row([
              makeId("consignorEntry", n++, p.at, seed),
              consignorIds[p.consignor],
              "payout",
              -p.amountFen,
              null,
              null,
              null,
              null,
              null,
              null,
              payoutIds[i],
              "月度结算 / monthly settlement",
              userIds[agentUser(m.consignorSp[p.consignor]!)],
              iso(p.at),
            ]);
            await w.maybeFlush();
          }
        },
      ),
    );
    // The sales ledger the reports are built from (decision 0044): one line per lot draw, as recordSale
    // writes it; no order here is refunded, so there are no reversals.
    await timed("sale_entries", () =>
      copy(
        "sale_entries",
        [
          "id",
          "coop_id",
          "kind",
          "order_id",
          "order_line_id",
          "lot_id",
          "product_id",
          "point_id",
          "origin_location_id",
          "consignor_id",
          "channel",
          "quantity",
          "gross_fen",
          "commission_fen",
          "villager_fen",
          "created_at",
        ],
        async (w) => {
          for (let a = 0; a < m.allocCount; a++) {
            const lot = m.allocLot.data[a]!;
            const line = m.allocLine.data[a]!;
            const k = m.lineOrder.data[line]!;
            const o = m.orders[k]!;
            const credit = m.credit(a);
            const quantity = m.allocQty.data[a]!;
            w.row([
              makeId("saleEntry", a, o.soldAt!, seed),
              coopId,
              "sale",
              orderIds[k],
              lineIds[line],
              lotIds[lot],
              productIds[m.lotProduct[lot]!],
              o.pickupSp >= 0 ? locationIds[spLoc(o.pickupSp)] : null,
              locationIds[m.lotOrigin[lot]!],
              credit ? consignorIds[m.lotConsignor[lot]!] : null,
              o.method === "cash_on_pickup" ? "cash" : "online",
              quantity,
              credit ? credit.grossFen : quantity * m.linePrice.data[line]!,
              credit ? credit.coopFen : 0,
              credit ? credit.villagerFen : 0,
              iso(o.soldAt!),
            ]);
            await w.maybeFlush();
          }
        },
      ),
    );
  })();
  await Promise.all([movements, ordersAndMoney]);

  // Open cash-on-pickup orders hold their units at the warehouse.
  for (let p = 0; p < m.nProducts; p++) {
    if (m.reservedWh[p]! > 0) level(p, LOC_WAREHOUSE).reserved += m.reservedWh[p]!;
  }
  await timed("stock_levels", () =>
    copy(
      "stock_levels",
      ["product_id", "location_id", "on_hand", "reserved", "low_stock_threshold"],
      async (w) => {
        for (const [key, l] of levels) {
          const p = Math.floor(key / m.nLocations);
          const loc = key % m.nLocations;
          w.row([productIds[p], locationIds[loc], l.onHand, l.reserved, null]);
          await w.maybeFlush();
        }
      },
    ),
  );
  await timed("sales_rollups (rebuilt from the sales ledger)", async () => {
    await sql`SELECT coop_rebuild_all_sales_rollups()`;
    const [row] = await sql`SELECT count(*)::int AS n FROM sales_rollups`;
    return row!.n as number;
  });
  return { coopId, locationIds, userIds, consignorIds, productIds };
}

function phoneOf(i: number) {
  return `1${String(3_000_000_000 + ((i * 7_919) % 6_999_999_999)).slice(0, 10)}`;
}
