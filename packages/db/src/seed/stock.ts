import { newId } from "@coop/shared";
import { type ProductSpec, SUPPLIES_STOCKED_AT_SERVICE_POINTS } from "./catalog";
import { addMinutes, type Clock, chinaDatePlusDays, compactChinaDate } from "./clock";
import type { ConsignorRow, PlaceRef } from "./people";
import type { Random } from "./random";
import { type LotRow, StockBook } from "./stock-book";

export interface SeededProduct {
  id: string;
  spec: ProductSpec;
}

export interface ServicePointRef extends PlaceRef {
  agentUserId: string;
}

export interface StockContext {
  coopId: string;
  rng: Random;
  clock: Clock;
  warehouse: PlaceRef;
  servicePoints: readonly ServicePointRef[];
  warehouseUserId: string;
  products: readonly SeededProduct[];
  consignors: readonly ConsignorRow[];
}

/** Consignments are spread over the last three weeks, so statements and stock ages look lived-in. */
const MAX_INTAKE_AGE_DAYS = 21;

/**
 * Lays down the demo stock: villagers' consignments at their service points, collection runs to the
 * warehouse, one short delivery, two intakes that failed quality checks, and farm supplies at the warehouse
 * and at some service points.
 */
export class StockBuilder {
  readonly book = new StockBook();
  private readonly lotSequence = new Map<string, number>();
  private readonly collectionRuns = new Map<string, string>();

  constructor(private readonly ctx: StockContext) {}

  build(): this {
    const { rng, products, consignors, servicePoints } = this.ctx;
    const produce = rng.shuffle(products.filter((p) => p.spec.kind === "produce"));

    // Each villager brings one "signature" product (so every product has consigned stock) and one or two
    // more, the way a household sells eggs and also a crock of pickles.
    consignors.forEach((consignor, i) => {
      const signature = produce[i % produce.length]!;
      const others = rng.shuffle(produce.filter((p) => p !== signature)).slice(0, rng.int(1, 2));
      for (const product of [signature, ...others]) {
        const age = this.intakeAge(product);
        // Yesterday's intakes wait at the service point for the next collection run; a few older ones are
        // still there too (the truck skips a village when the road is bad).
        this.consign(product, consignor, age, { collect: age >= 2 && rng.chance(0.85) });
      }
    });

    this.recordShortDelivery();
    this.rejectAtIntake("EGG-TU", servicePoints[2]!, 2, "蛋壳破损 / cracked shells");
    this.rejectAtIntake(
      "PKL-MUSTARD",
      servicePoints[4]!,
      5,
      "坛口发霉、有异味 / mould at the crock mouth, off smell",
    );

    for (const product of products.filter((p) => p.spec.kind === "supply")) {
      this.receiveSupply(product, this.ctx.warehouse, this.ctx.warehouseUserId, rng.int(10, 45), 1);
      if (!SUPPLIES_STOCKED_AT_SERVICE_POINTS.includes(product.spec.sku)) continue;
      servicePoints.forEach((point, i) => {
        // SP-HS02 always stocks them: a demo order there is an agent buying fertilizer for a villager.
        if (i === 1 || rng.chance(0.5)) {
          this.receiveSupply(product, point, point.agentUserId, rng.int(5, 30), 5);
        }
      });
    }

    for (const product of products) {
      if (product.spec.lowStockThreshold !== undefined) {
        this.book.setLowStockThreshold(product.id, this.ctx.warehouse.id, product.spec.lowStockThreshold);
      }
    }
    return this;
  }

  /**
   * Makes sure `quantity` of a product can be sold at a location at a moment, adding an older lot if the
   * random consignments left too little. Keeps the scripted demo orders valid whatever the catalog holds.
   */
  ensureAvailable(product: SeededProduct, locationId: string, quantity: number, at: Date): void {
    const shortfall = quantity - this.book.available(product.id, locationId, at);
    if (shortfall <= 0) return;
    const daysBefore = Math.ceil((this.ctx.clock.now.getTime() - at.getTime()) / 86_400_000);
    const age = daysBefore + this.ctx.rng.int(1, 3);
    const shelfLife = product.spec.shelfLifeDays;
    if (shelfLife !== null && age >= shelfLife) {
      throw new Error(`A demo order of ${product.spec.sku} is older than its ${shelfLife}-day shelf life`);
    }
    const { step } = product.spec.lotSize;
    const size = Math.max(this.lotSize(product), Math.ceil(shortfall / step) * step);
    if (product.spec.kind === "supply") {
      const place = this.place(locationId);
      const receiver = "agentUserId" in place ? place.agentUserId : this.ctx.warehouseUserId;
      this.receiveSupply(product, place, receiver, age, 1, size);
      return;
    }
    const toWarehouse = locationId === this.ctx.warehouse.id;
    const candidates = this.ctx.consignors.filter((c) => toWarehouse || c.servicePointId === locationId);
    this.consign(product, this.ctx.rng.pick(candidates), age, { quantity: size, collect: toWarehouse });
  }

  /** Lots whose stock has all been sold read as depleted; rejected lots stay rejected. */
  finishLotStatuses(): void {
    for (const lot of this.book.lots) {
      if (lot.qcPassed) lot.status = lot.onHand > 0 ? "in_stock" : "depleted";
    }
  }

  private consign(
    product: SeededProduct,
    consignor: ConsignorRow,
    ageDays: number,
    options: { quantity?: number; collect: boolean },
  ): LotRow {
    const point = this.ctx.servicePoints.find((p) => p.id === consignor.servicePointId)!;
    const intakeAt = this.ctx.clock.daysAgo(ageDays, this.ctx.rng.int(0, 5));
    const size = options.quantity ?? this.lotSize(product);
    const lot = this.book.addLot({
      ...this.lotIdentity(point, intakeAt),
      productId: product.id,
      consignorId: consignor.id,
      originLocationId: point.id,
      locationId: point.id,
      status: "in_stock",
      quantityReceived: size,
      grade: this.ctx.rng.chance(0.8) ? "A" : "B",
      bestBefore: product.spec.shelfLifeDays ? chinaDatePlusDays(intakeAt, product.spec.shelfLifeDays) : null,
      qcPassed: true,
      receivedByUserId: point.agentUserId,
      createdAt: intakeAt,
    });
    this.book.record(lot, {
      kind: "intake",
      locationId: point.id,
      quantityDelta: size,
      at: intakeAt,
      actorUserId: point.agentUserId,
      reason: "代销收货 / consignment intake",
    });
    if (options.collect) this.collect(lot, point, ageDays - 1);
    return lot;
  }

  /** The collection run the day after intake; all lots of one point on one run share a batch id. */
  private collect(lot: LotRow, point: ServicePointRef, runDaysAgo: number): void {
    const runKey = `${point.code}|${runDaysAgo}`;
    let batchId = this.collectionRuns.get(runKey);
    if (!batchId) {
      batchId = newId("batch");
      this.collectionRuns.set(runKey, batchId);
    }
    // Afternoon runs, one point after another: a fixed time per point keeps the run's lines together.
    const at = this.ctx.clock.daysAgo(runDaysAgo, 3 + this.ctx.servicePoints.indexOf(point) * 0.25);
    this.book.transfer(
      lot,
      this.ctx.warehouse.id,
      at,
      this.ctx.warehouseUserId,
      batchId,
      "集货入库 / collection run to the warehouse",
    );
  }

  /** The warehouse counts two eggs fewer than the agent did: recorded against the lot, not hidden. */
  private recordShortDelivery(): void {
    const eggs = this.product("EGG-TU");
    const lot = this.book.lots.find(
      (l) => l.productId === eggs.id && l.locationId === this.ctx.warehouse.id && l.onHand >= 50,
    );
    if (!lot) return;
    const arrival = this.book.movements.find((m) => m.lotId === lot.id && m.kind === "transfer_in")!;
    this.book.record(lot, {
      kind: "discrepancy",
      locationId: lot.locationId,
      quantityDelta: -2,
      at: addMinutes(arrival.createdAt as Date, 15),
      actorUserId: this.ctx.warehouseUserId,
      batchId: arrival.batchId ?? undefined,
      reason: "集货途中破损 2 枚 / 2 eggs broken in collection",
    });
  }

  /** Failed quality checks go straight back to the villager: recorded, but never stocked or moved. */
  private rejectAtIntake(sku: string, point: ServicePointRef, ageDays: number, reason: string): void {
    const product = this.product(sku);
    const consignor = this.ctx.consignors.find((c) => c.servicePointId === point.id)!;
    const intakeAt = this.ctx.clock.daysAgo(ageDays, this.ctx.rng.int(0, 5));
    this.book.addLot({
      ...this.lotIdentity(point, intakeAt),
      productId: product.id,
      consignorId: consignor.id,
      originLocationId: point.id,
      locationId: point.id,
      status: "rejected",
      quantityReceived: this.lotSize(product),
      grade: null,
      bestBefore: null,
      qcPassed: false,
      qcReason: reason,
      receivedByUserId: point.agentUserId,
      createdAt: intakeAt,
    });
  }

  /** A supplier delivery of a farm supply; service points get smaller deliveries than the warehouse. */
  private receiveSupply(
    product: SeededProduct,
    place: PlaceRef,
    receivedByUserId: string,
    ageDays: number,
    sizeDivisor: number,
    quantity?: number,
  ): void {
    const receivedAt = this.ctx.clock.daysAgo(ageDays, this.ctx.rng.int(0, 5));
    const size = quantity ?? this.lotSize(product, sizeDivisor);
    const lot = this.book.addLot({
      ...this.lotIdentity(place, receivedAt),
      productId: product.id,
      consignorId: null,
      originLocationId: place.id,
      locationId: place.id,
      status: "in_stock",
      quantityReceived: size,
      qcPassed: true,
      receivedByUserId,
      createdAt: receivedAt,
    });
    this.book.record(lot, {
      kind: "intake",
      locationId: place.id,
      quantityDelta: size,
      at: receivedAt,
      actorUserId: receivedByUserId,
      reason: "农资进货 / farm supply delivery",
    });
  }

  /** Intake numbers as printed on receipts: "HS01-20260109-0003" at a service point, "WH-HY-…" at the warehouse. */
  private lotIdentity(place: PlaceRef, at: Date) {
    const prefix = `${place.code.replace(/^SP-/, "")}-${compactChinaDate(at)}`;
    const sequence = (this.lotSequence.get(prefix) ?? 0) + 1;
    this.lotSequence.set(prefix, sequence);
    return {
      id: newId("lot"),
      coopId: this.ctx.coopId,
      lotNo: `${prefix}-${String(sequence).padStart(4, "0")}`,
    };
  }

  private lotSize(product: SeededProduct, divisor = 1): number {
    const { min, max, step } = product.spec.lotSize;
    const roundUp = (n: number) => Math.max(step, Math.ceil(n / divisor / step) * step);
    return this.ctx.rng.stepped(roundUp(min), Math.max(roundUp(min), roundUp(max)), step);
  }

  /** Short-lived produce must have come in recently enough to still be within its best-before date. */
  private intakeAge(product: SeededProduct): number {
    const shelfLife = product.spec.shelfLifeDays;
    const oldest = shelfLife
      ? Math.max(1, Math.min(MAX_INTAKE_AGE_DAYS, shelfLife - 2))
      : MAX_INTAKE_AGE_DAYS;
    return this.ctx.rng.int(1, oldest);
  }

  private product(sku: string): SeededProduct {
    const product = this.ctx.products.find((p) => p.spec.sku === sku);
    if (!product) throw new Error(`Demo catalog has no ${sku}`);
    return product;
  }

  private place(locationId: string): PlaceRef | ServicePointRef {
    if (locationId === this.ctx.warehouse.id) return this.ctx.warehouse;
    const point = this.ctx.servicePoints.find((p) => p.id === locationId);
    if (!point) throw new Error(`Unknown demo location ${locationId}`);
    return point;
  }
}
