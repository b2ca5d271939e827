import { newId } from "@coop/shared";
import type { lots, StockMovementKind, stockLevels, stockMovements } from "../schema";

export type LotRow = typeof lots.$inferInsert & {
  id: string;
  productId: string;
  locationId: string;
  onHand: number;
  createdAt: Date;
};
export type MovementRow = typeof stockMovements.$inferInsert & { id: string };
export type StockLevelRow = typeof stockLevels.$inferInsert & { onHand: number; reserved: number };

export interface MovementInput {
  kind: StockMovementKind;
  locationId: string;
  quantityDelta: number;
  at: Date;
  actorUserId: string | null;
  reason?: string;
  orderId?: string;
  batchId?: string;
}

export interface Allocation {
  lot: LotRow;
  quantity: number;
}

/**
 * The demo's stock, kept in memory while it is built. Every change goes through `record`, which appends a
 * ledger line and moves the lot's and the location's on-hand by the same delta: that is what makes "a lot's
 * on-hand = the sum of its movements" and "stock_levels = the sum of movements at the location" hold by
 * construction rather than by later arithmetic.
 */
export class StockBook {
  readonly lots: LotRow[] = [];
  readonly movements: MovementRow[] = [];
  private readonly levels = new Map<string, StockLevelRow>();
  /** When each lot reached where it is now: an order placed earlier cannot have drawn on it. */
  private readonly arrivedAt = new Map<string, Date>();

  /** Adds a lot with nothing on hand yet; its intake movement brings the stock in. */
  addLot(lot: Omit<LotRow, "onHand">): LotRow {
    const row: LotRow = { ...lot, onHand: 0 };
    this.lots.push(row);
    this.arrivedAt.set(row.id, row.createdAt);
    return row;
  }

  record(lot: LotRow, input: MovementInput): void {
    const level = this.level(lot.productId, input.locationId);
    if (lot.onHand + input.quantityDelta < 0 || level.onHand + input.quantityDelta < level.reserved) {
      throw new Error(`Demo stock would go negative: lot ${lot.lotNo}, ${input.kind} ${input.quantityDelta}`);
    }
    this.movements.push({
      id: newId("stockMovement"),
      productId: lot.productId,
      locationId: input.locationId,
      lotId: lot.id,
      kind: input.kind,
      quantityDelta: input.quantityDelta,
      reason: input.reason ?? null,
      actorUserId: input.actorUserId,
      orderId: input.orderId ?? null,
      batchId: input.batchId ?? null,
      createdAt: input.at,
    });
    lot.onHand += input.quantityDelta;
    level.onHand += input.quantityDelta;
  }

  /** Both sides of a move share a batch id, so the ledger shows them as one operation. */
  transfer(
    lot: LotRow,
    toLocationId: string,
    at: Date,
    actorUserId: string,
    batchId: string,
    reason: string,
  ) {
    const quantity = lot.onHand;
    this.record(lot, {
      kind: "transfer_out",
      locationId: lot.locationId,
      quantityDelta: -quantity,
      at,
      actorUserId,
      batchId,
      reason,
    });
    lot.locationId = toLocationId;
    this.record(lot, {
      kind: "transfer_in",
      locationId: toLocationId,
      quantityDelta: quantity,
      at,
      actorUserId,
      batchId,
      reason,
    });
    this.arrivedAt.set(lot.id, at);
  }

  /** What could be sold of a product at a location at a given moment (arrived by then, not held by orders). */
  available(productId: string, locationId: string, at: Date): number {
    const onHand = this.sellableLots(productId, locationId, at).reduce((sum, lot) => sum + lot.onHand, 0);
    return onHand - this.level(productId, locationId).reserved;
  }

  /** First-expiring-first-out, then oldest intake first: the order the warehouse is told to pick in. */
  allocate(productId: string, locationId: string, quantity: number, at: Date): Allocation[] {
    const result: Allocation[] = [];
    let missing = quantity;
    for (const lot of this.sellableLots(productId, locationId, at)) {
      if (missing === 0) break;
      const take = Math.min(missing, lot.onHand);
      result.push({ lot, quantity: take });
      missing -= take;
    }
    if (missing > 0)
      throw new Error(`Demo order needs ${quantity} of ${productId} but only ${quantity - missing}`);
    return result;
  }

  reserve(productId: string, locationId: string, quantity: number): void {
    const level = this.level(productId, locationId);
    if (level.reserved + quantity > level.onHand)
      throw new Error(`Cannot reserve ${quantity} of ${productId}`);
    level.reserved += quantity;
  }

  release(productId: string, locationId: string, quantity: number): void {
    this.level(productId, locationId).reserved -= quantity;
  }

  setLowStockThreshold(productId: string, locationId: string, threshold: number): void {
    this.level(productId, locationId).lowStockThreshold = threshold;
  }

  stockLevels(): StockLevelRow[] {
    return [...this.levels.values()];
  }

  private sellableLots(productId: string, locationId: string, at: Date): LotRow[] {
    return this.lots
      .filter(
        (lot) =>
          lot.productId === productId &&
          lot.locationId === locationId &&
          lot.qcPassed &&
          lot.onHand > 0 &&
          this.arrivedAt.get(lot.id)! <= at,
      )
      .sort(
        (a, b) =>
          (a.bestBefore ?? "9999-12-31").localeCompare(b.bestBefore ?? "9999-12-31") ||
          a.createdAt.getTime() - b.createdAt.getTime(),
      );
  }

  private level(productId: string, locationId: string): StockLevelRow {
    const key = `${productId}|${locationId}`;
    let level = this.levels.get(key);
    if (!level) {
      level = { productId, locationId, onHand: 0, reserved: 0, lowStockThreshold: null };
      this.levels.set(key, level);
    }
    return level;
  }
}
