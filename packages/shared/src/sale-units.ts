/**
 * A product is sold in sale units (个, 盒(30个), 斤, 瓶(500毫升)): each is a whole number of the product's base
 * units and has its own price in fen, so ¥13.80 per 斤 needs no fraction of a fen per gram. Orders count sale
 * units; stock, lots and the ledger count base units (units × size).
 */
export interface SaleUnitRule {
  labelZh: string;
  labelEn: string;
  /** Base units in one sale unit (500 g in 1 斤). */
  size: number;
  /** The fewest units one order line may take, and the step above it: min, min + step, min + 2·step… */
  minUnits: number;
  stepUnits: number;
}

/** The most sale units in one order line. */
export const MAX_ORDER_UNITS = 10_000;
/** The largest sale unit: 100 kg in grams, 100 l in ml. */
export const MAX_SALE_UNIT_SIZE = 100_000;

/** Whether `units` may be ordered in this sale unit; the reason a person can act on when not. */
export function unitsAllowed(
  unit: SaleUnitRule,
  units: number,
): { ok: true } | { ok: false; message: string } {
  if (!Number.isInteger(units) || units < 1) return { ok: false, message: "order at least one unit" };
  if (units < unit.minUnits)
    return { ok: false, message: `${unit.labelEn} is sold from ${unit.minUnits} at a time` };
  if ((units - unit.minUnits) % unit.stepUnits !== 0)
    return {
      ok: false,
      message: `${unit.labelEn} is sold in steps of ${unit.stepUnits} from ${unit.minUnits}`,
    };
  return { ok: true };
}

/**
 * The price of one base unit, in hundredths of a fen, for showing the unit price beside a sale unit
 * (¥58.00 the box of 30 → ¥1.93 a piece). Display only: money is never computed from it.
 */
export function perBaseUnitDisplayFen(priceFen: number, size: number, per = 1): number {
  return Math.round((priceFen * per) / size);
}
