import {
  CHINA_UTC_OFFSET_MS,
  chinaDate as chinaDateOf,
  chinaDayStartMs,
  deliveryFeeFen as deliveryFee,
  ONLINE_PAYMENT_METHODS,
  splitCommission,
} from "@coop/shared";
import { FAMILIES, type ProductFamily, personName, phone, style, village } from "./names";
import { Random } from "./random";
import { BENCH_DELIVERY, DAY_MS, HISTORY_END_MS, HISTORY_START_MS, type Scale } from "./scales";

/**
 * The generated co-op, simulated in memory in compact typed arrays before anything is written. Stock only ever
 * changes through `take` (lots drawn oldest-arrival first, the lot and its level moving together), so the
 * invariants the tests check hold by construction: a lot's on-hand is the sum of its ledger lines, a level is
 * the sum of the ledger at its place, a villager's balance is the sum of their entries, and each sale credit's
 * share plus commission is its gross.
 */

export const HOUR_MS = 3_600_000;
const CHINA_OFFSET_MS = CHINA_UTC_OFFSET_MS;

export const LOC_WAREHOUSE = 0;
export const LOC_TRANSIT = 1;
/** Location index of service point s. */
export const spLoc = (s: number) => 2 + s;

export const USER_ADMIN = 0;
export const USER_WAREHOUSE = 1;
/** Staff index of service point s's agent. */
export const agentUser = (s: number) => 2 + s;

export const LOT_IN_STOCK = 0;
export const LOT_IN_TRANSIT = 1;
export const LOT_DEPLETED = 2;
export const LOT_REJECTED = 3;
export const LOT_STATUS = ["in_stock", "in_transit", "depleted", "rejected"] as const;

export type OrderStatus =
  | "pending_payment"
  | "confirmed"
  | "paid"
  | "packed"
  | "shipped"
  | "ready_for_pickup"
  | "delivered"
  | "picked_up"
  | "cancelled";

export interface OrderRecord {
  time: number;
  method: "cash_on_pickup" | "card" | "alipay" | "wechat_pay";
  pickupSp: number; // -1 = delivery
  firstLine: number;
  lineCount: number;
  subtotalFen: number;
  deliveryFeeFen: number;
  status: OrderStatus;
  /** Status changes: [from, to, at, actor user index or -1]. */
  history: Array<[OrderStatus | null, OrderStatus, number, number]>;
  /** When the sale was recorded (payment or hand-over); null if never sold. */
  soldAt: number | null;
  payment: { provider: "stripe" | "cash"; status: "succeeded" | "canceled"; at: number } | null;
  contact: number;
  updatedAt: number;
}

export interface ProductRecord {
  family: ProductFamily;
  sku: string;
  nameZh: string;
  nameEn: string;
  priceFen: number;
  commissionBps: number | null;
  createdAt: number;
}

export interface RunRecord {
  sp: number;
  departAt: number;
  receivedAt: number | null;
}

export interface PayoutRecord {
  consignor: number;
  at: number;
  amountFen: number;
  balanceAfterFen: number;
  method: "cash" | "transfer";
}

/** Growable typed arrays: the allocation and credit lists are millions long at prefecture scale. */
class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(v: number) {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}
/** The China date of an instant given in ms (@coop/shared china-time.ts). */
export function chinaDate(ms: number): string {
  return chinaDateOf(new Date(ms));
}
/** Midnight China time of the day containing ms, as a UTC instant. */
const chinaDayStart = chinaDayStartMs;

export class CoopModel {
  readonly rng: Random;
  readonly nSp: number;
  readonly nConsignors: number;
  readonly nProducts: number;
  readonly nLots: number;
  readonly nLocations: number;

  // Places and people.
  readonly spVillage: Array<{ zh: string; en: string }> = [];
  readonly consignorSp: Int32Array;
  readonly consignorCreated: Float64Array;
  readonly consignorShow: Uint8Array;
  readonly consignorBalance: Float64Array;
  readonly products: ProductRecord[] = [];
  readonly produceIdx: number[] = [];
  readonly supplyIdx: number[] = [];

  // Lots.
  readonly lotProduct: Int32Array;
  readonly lotConsignor: Int32Array; // -1 = farm supply bought in
  readonly lotOrigin: Int32Array; // location index
  readonly lotLocation: Int32Array; // location index now
  readonly lotCreated: Float64Array;
  readonly lotQty: Int32Array;
  readonly lotOnHand: Int32Array;
  readonly lotStatus: Uint8Array;
  readonly lotRun: Int32Array; // -1 = not collected
  readonly lotLost: Int32Array; // units short at receiving
  readonly lotGrade: Uint8Array;
  readonly runs: RunRecord[] = [];

  // Orders and sales.
  readonly orders: OrderRecord[] = [];
  readonly lineProduct = new IntList(1 << 16);
  readonly lineQty = new IntList(1 << 16);
  readonly linePrice = new IntList(1 << 16);
  readonly lineOrder = new IntList(1 << 16);
  /** One entry per (order line, lot) drawn: also the sale ledger line and, for a villager's lot, a credit. */
  readonly allocLine = new IntList(1 << 16);
  readonly allocLot = new IntList(1 << 16);
  readonly allocQty = new IntList(1 << 16);
  /** Reserved units at the warehouse per product (open cash-on-pickup orders). */
  readonly reservedWh: Int32Array;
  readonly payouts: PayoutRecord[] = [];
  /** Payout entries interleave with credits by time; each villager's entries are walked in time order. */

  constructor(
    readonly scale: Scale,
    readonly seed: number,
  ) {
    this.rng = new Random(seed);
    this.nSp = scale.servicePoints;
    this.nConsignors = scale.consignors;
    this.nProducts = scale.products;
    this.nLots = scale.lots;
    this.nLocations = 2 + this.nSp;
    this.consignorSp = new Int32Array(this.nConsignors);
    this.consignorCreated = new Float64Array(this.nConsignors);
    this.consignorShow = new Uint8Array(this.nConsignors);
    this.consignorBalance = new Float64Array(this.nConsignors);
    const n = this.nLots;
    this.lotProduct = new Int32Array(n);
    this.lotConsignor = new Int32Array(n);
    this.lotOrigin = new Int32Array(n);
    this.lotLocation = new Int32Array(n);
    this.lotCreated = new Float64Array(n);
    this.lotQty = new Int32Array(n);
    this.lotOnHand = new Int32Array(n);
    this.lotStatus = new Uint8Array(n);
    this.lotRun = new Int32Array(n).fill(-1);
    this.lotLost = new Int32Array(n);
    this.lotGrade = new Uint8Array(n);
    this.reservedWh = new Int32Array(this.nProducts);
  }

  build(): this {
    this.buildPeopleAndCatalog();
    this.buildLots();
    this.sellOrders();
    this.payOut();
    return this;
  }

  get lineCount() {
    return this.lineProduct.length;
  }
  get allocCount() {
    return this.allocLine.length;
  }

  personName(i: number) {
    return personName(i);
  }
  consignorPhone(c: number) {
    return phone(c);
  }

  private buildPeopleAndCatalog() {
    const { rng } = this;
    for (let s = 0; s < this.nSp; s++) this.spVillage.push(village(s));
    for (let c = 0; c < this.nConsignors; c++) {
      this.consignorSp[c] = c % this.nSp;
      this.consignorCreated[c] = HISTORY_START_MS - rng.int(1, 700) * DAY_MS + rng.int(0, 36_000_000);
      this.consignorShow[c] = rng.chance(0.4) ? 1 : 0;
    }
    const produce = FAMILIES.filter((f) => f.kind === "produce");
    const supply = FAMILIES.filter((f) => f.kind === "supply");
    for (let i = 0; i < this.nProducts; i++) {
      const isSupply = i % 5 === 4;
      const family = isSupply ? supply[Math.floor(i / 5) % supply.length]! : produce[i % produce.length]!;
      const v = village(Math.floor(i / produce.length) + 7);
      const [styleZh, styleEn] = style(Math.floor(i / 3));
      const price = Math.max(1, Math.round(family.priceFen * (0.8 + rng.next() * 0.6)));
      this.products.push({
        family,
        sku: `${family.sku}-${String(i + 1).padStart(5, "0")}`,
        nameZh: `${v.zh.replace("村", "")}${styleZh}${family.zh}`,
        nameEn: `${v.en.replace(" Village", "")} ${styleEn ? `${styleEn} ` : ""}${family.en}`,
        priceFen: price,
        commissionBps: family.commissionBps,
        // One second apart, so product ids (time-ordered) follow the index and catalog pages are stable.
        createdAt: HISTORY_START_MS - 30 * DAY_MS + i * 1000,
      });
      (isSupply ? this.supplyIdx : this.produceIdx).push(i);
    }
  }

  /** The produce a villager brings: two or three products of their own, fixed by their index. */
  private consignorProduct(c: number, k: number): number {
    const h = Math.imul(c * 3 + k + 1, 0x9e3779b1) >>> 0;
    return this.produceIdx[h % this.produceIdx.length]!;
  }

  private lotSize(p: number): number {
    const { min, max, step } = this.products[p]!.family.lot;
    return min + step * this.rng.int(0, Math.floor((max - min) / step));
  }

  private buildLots() {
    const { rng } = this;
    const span = HISTORY_END_MS - HISTORY_START_MS;
    const runIndex = new Map<number, number>();
    for (let j = 0; j < this.nLots; j++) {
      const t = HISTORY_START_MS + Math.floor(rng.next() * (span - HOUR_MS));
      this.lotCreated[j] = t;
      this.lotGrade[j] = rng.chance(0.8) ? 0 : 1;
      // 60 % consignments from villagers at their service point, 40 % farm-supply deliveries to the warehouse.
      if (rng.chance(0.6)) {
        const c = rng.int(0, this.nConsignors - 1);
        const s = this.consignorSp[c]!;
        const p = this.consignorProduct(c, rng.int(0, 2));
        const qty = this.lotSize(p);
        this.lotProduct[j] = p;
        this.lotConsignor[j] = c;
        this.lotOrigin[j] = spLoc(s);
        this.lotLocation[j] = spLoc(s);
        this.lotQty[j] = qty;
        if (rng.chance(0.005)) {
          this.lotStatus[j] = LOT_REJECTED;
          this.lotOnHand[j] = 0;
          continue;
        }
        this.lotOnHand[j] = qty;
        this.lotStatus[j] = LOT_IN_STOCK;
        // A few lots stay at the point (sold from its own shelf, or waiting); the rest go on the point's
        // weekly collection run, which leaves at 15:00 and reaches the warehouse at 10:00 the next day.
        if (rng.chance(0.03)) continue;
        const intakeDay = Math.floor((chinaDayStart(t) - chinaDayStart(HISTORY_START_MS)) / DAY_MS);
        let day = intakeDay + 1;
        while ((day + s) % 7 !== 0) day++;
        const departAt = chinaDayStart(HISTORY_START_MS) + day * DAY_MS + 7 * HOUR_MS; // 15:00 China
        if (departAt >= HISTORY_END_MS) continue;
        const receivedAt = departAt + 19 * HOUR_MS;
        const key = s * 10_000 + day;
        let r = runIndex.get(key);
        if (r === undefined) {
          r = this.runs.length;
          runIndex.set(key, r);
          this.runs.push({ sp: s, departAt, receivedAt: receivedAt <= HISTORY_END_MS ? receivedAt : null });
        }
        this.lotRun[j] = r;
        if (receivedAt > HISTORY_END_MS) {
          this.lotLocation[j] = LOC_TRANSIT;
          this.lotStatus[j] = LOT_IN_TRANSIT;
          continue;
        }
        this.lotLocation[j] = LOC_WAREHOUSE;
        if (qty > 1 && rng.chance(0.02)) {
          this.lotLost[j] = Math.max(1, Math.min(qty - 1, Math.floor(qty * (0.01 + rng.next() * 0.09))));
        }
      } else {
        const p = this.supplyIdx[rng.int(0, this.supplyIdx.length - 1)]!;
        const qty = this.lotSize(p);
        this.lotProduct[j] = p;
        this.lotConsignor[j] = -1;
        this.lotOrigin[j] = LOC_WAREHOUSE;
        this.lotLocation[j] = LOC_WAREHOUSE;
        this.lotQty[j] = qty;
        this.lotOnHand[j] = qty;
        this.lotStatus[j] = LOT_IN_STOCK;
      }
    }
  }

  /** When lot j can be sold from the warehouse; Infinity if it never gets there. */
  arrivalAt(j: number): number {
    if (this.lotLocation[j] !== LOC_WAREHOUSE || this.lotStatus[j] === LOT_REJECTED) return Infinity;
    const r = this.lotRun[j]!;
    return r < 0 ? this.lotCreated[j]! : this.runs[r]!.receivedAt!;
  }

  /**
   * Orders in time order. Each line draws warehouse stock that had arrived by the order's time, oldest
   * arrival first; open cash-on-pickup orders only reserve.
   */
  private sellOrders() {
    const { rng } = this;
    const P = this.nProducts;
    // Each product's warehouse lots in arrival order (counting sort by product, then sort by arrival).
    const arrival = new Float64Array(this.nLots);
    const counts = new Int32Array(P + 1);
    for (let j = 0; j < this.nLots; j++) {
      arrival[j] = this.arrivalAt(j);
      if (arrival[j] !== Infinity) counts[this.lotProduct[j]! + 1]!++;
    }
    for (let p = 0; p < P; p++) counts[p + 1]! += counts[p]!;
    const start = counts.slice();
    const queue = new Int32Array(counts[P]!);
    const fill = counts.slice();
    for (let j = 0; j < this.nLots; j++) {
      if (arrival[j] !== Infinity) queue[fill[this.lotProduct[j]!]!++] = j;
    }
    for (let p = 0; p < P; p++) {
      const slice = Array.from(queue.subarray(start[p]!, start[p + 1]!));
      slice.sort((a, b) => arrival[a]! - arrival[b]! || a - b);
      queue.set(slice, start[p]!);
    }
    const head = start.slice(0, P); // first lot with stock left
    const arrived = start.slice(0, P); // first lot not yet arrived
    const stockSum = new Float64Array(P); // on hand of arrived lots
    const advance = (p: number, t: number) => {
      let a = arrived[p]!;
      const end = start[p + 1]!;
      while (a < end && arrival[queue[a]!]! <= t) {
        const j = queue[a]!;
        this.lotOnHand[j]! -= this.lotLost[j]!;
        stockSum[p]! += this.lotOnHand[j]!;
        a++;
      }
      arrived[p] = a;
    };
    const take = (p: number, need: number, line: number) => {
      let h = head[p]!;
      while (need > 0) {
        const j = queue[h]!;
        const got = Math.min(need, this.lotOnHand[j]!);
        if (got > 0) {
          this.lotOnHand[j]! -= got;
          stockSum[p]! -= got;
          need -= got;
          this.allocLine.push(line);
          this.allocLot.push(j);
          this.allocQty.push(got);
        }
        if (this.lotOnHand[j] === 0) h++;
      }
      head[p] = h;
    };

    const firstOrderAt = HISTORY_START_MS + 10 * DAY_MS;
    const span = HISTORY_END_MS - 10 * 60_000 - firstOrderAt;
    const N = this.scale.orders;
    const wanted: Array<[number, number]> = [];
    for (let k = 0; k < N; k++) {
      const t = firstOrderAt + Math.floor(((k + rng.next()) * span) / N);
      const cash = rng.chance(0.35);
      const method = cash ? "cash_on_pickup" : rng.pick(ONLINE_PAYMENT_METHODS);
      const pickupSp = cash || rng.chance(0.4) ? rng.int(0, this.nSp - 1) : -1;
      const lines = rng.int(1, 3);
      wanted.length = 0;
      for (let tries = 0; wanted.length < lines && tries < lines * 4; tries++) {
        // A random lot's product: demand follows supply, as it does for a co-op that sells what comes in.
        const p = this.lotProduct[rng.int(0, this.nLots - 1)]!;
        if (wanted.some(([q]) => q === p)) continue;
        advance(p, t);
        const available = stockSum[p]! - this.reservedWh[p]!;
        const { min, max, step } = this.products[p]!.family.lot;
        const mean = (min + max) / 2;
        let q = Math.max(step, Math.round((mean * (0.1 + rng.next() * 1.1)) / step) * step);
        if (q > available) q = Math.floor(available / step) * step;
        if (q <= 0) continue;
        wanted.push([p, q]);
      }
      if (wanted.length === 0) continue;

      // What happens to the order, cut off at the end of the history.
      const steps: Array<[OrderStatus, number, number]> = [];
      let soldAt: number | null = null;
      const cancelled = rng.chance(0.03);
      const agent = pickupSp >= 0 ? agentUser(pickupSp) : -1;
      if (cash) {
        steps.push(["confirmed", t, -1]);
        if (cancelled) steps.push(["cancelled", t + 20 * HOUR_MS, agent]);
        else {
          const handOver = t + rng.int(26, 96) * HOUR_MS;
          steps.push(["ready_for_pickup", t + 24 * HOUR_MS, USER_WAREHOUSE]);
          steps.push(["picked_up", handOver, agent]);
        }
      } else {
        steps.push(["pending_payment", t, -1]);
        if (cancelled) steps.push(["cancelled", t + 30 * 60_000, -1]);
        else {
          steps.push(["paid", t + 2 * 60_000, -1]);
          if (pickupSp >= 0) {
            steps.push(["ready_for_pickup", t + 24 * HOUR_MS, USER_WAREHOUSE]);
            steps.push(["picked_up", t + rng.int(30, 120) * HOUR_MS, agent]);
          } else {
            steps.push(["packed", t + 20 * HOUR_MS, USER_WAREHOUSE]);
            steps.push(["shipped", t + 24 * HOUR_MS, USER_WAREHOUSE]);
            steps.push(["delivered", t + rng.int(48, 96) * HOUR_MS, -1]);
          }
        }
      }
      const done = steps.filter(([, at]) => at <= HISTORY_END_MS);
      const status = done.at(-1)![0];
      if (cash && status === "picked_up") soldAt = done.at(-1)![1];
      if (!cash && done.some(([s]) => s === "paid")) soldAt = t + 2 * 60_000;
      const reserves = cash && (status === "confirmed" || status === "ready_for_pickup");
      if (status === "cancelled" || (!cash && status === "pending_payment")) {
        // Cancelled: the reservation was released; nothing sold. (No order is left pending: the API's
        // expiry sweep would otherwise start working through them during the benchmark.)
        if (status === "pending_payment") continue;
      }

      const orderIndex = this.orders.length;
      const firstLine = this.lineCount;
      let subtotal = 0;
      for (const [p, q] of wanted) {
        const line = this.lineCount;
        const price = this.products[p]!.priceFen;
        this.lineProduct.push(p);
        this.lineQty.push(q);
        this.linePrice.push(price);
        this.lineOrder.push(orderIndex);
        subtotal += q * price;
        if (status === "cancelled") continue;
        if (reserves) this.reservedWh[p]! += q;
        else take(p, q, line);
      }
      const deliveryFeeFen = deliveryFee(BENCH_DELIVERY, pickupSp < 0 ? "delivery" : "pickup", subtotal);
      const history: OrderRecord["history"] = [];
      let from: OrderStatus | null = null;
      for (const [to, at, actor] of done) {
        history.push([from, to, at, actor]);
        from = to;
      }
      let payment: OrderRecord["payment"] = null;
      if (!cash) {
        payment =
          status === "cancelled"
            ? { provider: "stripe", status: "canceled", at: done.at(-1)![1] }
            : { provider: "stripe", status: "succeeded", at: soldAt! };
      } else if (soldAt !== null) payment = { provider: "cash", status: "succeeded", at: soldAt };
      this.orders.push({
        time: t,
        method,
        pickupSp,
        firstLine,
        lineCount: wanted.length,
        subtotalFen: subtotal,
        deliveryFeeFen,
        status,
        history,
        soldAt,
        payment,
        contact: rng.int(0, 9_999_999),
        updatedAt: done.at(-1)![1],
      });
    }
    // Lots that reached the warehouse after the last order of their product still lose their breakage.
    for (let p = 0; p < P; p++) advance(p, HISTORY_END_MS);
    for (let j = 0; j < this.nLots; j++) {
      if (this.lotStatus[j] === LOT_IN_STOCK && this.lotOnHand[j] === 0) this.lotStatus[j] = LOT_DEPLETED;
    }
  }

  /** The villager's share and the co-op's commission of allocation a (null if the lot is a farm supply). */
  credit(a: number): { grossFen: number; villagerFen: number; coopFen: number } | null {
    const lot = this.allocLot.data[a]!;
    if (this.lotConsignor[lot]! < 0) return null;
    const line = this.allocLine.data[a]!;
    const grossFen = this.allocQty.data[a]! * this.linePrice.data[line]!;
    const product = this.products[this.lotProduct[lot]!]!;
    const { villagerFen, coopFen } = splitCommission(grossFen, product.commissionBps ?? 1000);
    return { grossFen, villagerFen, coopFen };
  }

  saleTimeOfAlloc(a: number): number {
    return this.orders[this.lineOrder.data[this.allocLine.data[a]!]!]!.soldAt!;
  }

  /**
   * Month-end payouts: a few days into each month, most villagers with ¥50 or more are paid 90 % of their
   * balance in whole yuan. Balances are walked per villager in time order, so each payout is within the
   * balance at its moment and balance_after is exact.
   */
  private payOut() {
    const C = this.nConsignors;
    const creditsOf: number[][] = Array.from({ length: C }, () => []);
    for (let a = 0; a < this.allocCount; a++) {
      const c = this.lotConsignor[this.allocLot.data[a]!]!;
      if (c >= 0) creditsOf[c]!.push(a);
    }
    const months: number[] = [];
    for (let m = new Date(HISTORY_START_MS + CHINA_OFFSET_MS); ; ) {
      const startUtc = Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1) - CHINA_OFFSET_MS;
      if (startUtc >= HISTORY_END_MS) break;
      months.push(startUtc);
      m = new Date(startUtc + CHINA_OFFSET_MS);
    }
    const rng = new Random(this.seed ^ 0x5eed);
    for (let c = 0; c < C; c++) {
      const list = creditsOf[c]!;
      const times = list.map((a) => this.saleTimeOfAlloc(a));
      const order = list.map((_, i) => i).sort((x, y) => times[x]! - times[y]! || x - y);
      let balance = 0;
      let k = 0;
      for (const monthStart of months) {
        const at = monthStart + rng.int(30, 120) * HOUR_MS + rng.int(0, 3_599_999);
        if (at >= HISTORY_END_MS) continue;
        while (k < order.length && times[order[k]!]! < at) {
          balance += this.credit(list[order[k]!]!)!.villagerFen;
          k++;
        }
        if (balance < 5_000 || !rng.chance(0.7)) continue;
        const amountFen = Math.floor((balance * 0.9) / 100) * 100;
        balance -= amountFen;
        this.payouts.push({
          consignor: c,
          at,
          amountFen,
          balanceAfterFen: balance,
          method: rng.chance(0.8) ? "cash" : "transfer",
        });
      }
      while (k < order.length) balance += this.credit(list[order[k++]!]!)!.villagerFen;
      this.consignorBalance[c] = balance;
    }
  }
}
