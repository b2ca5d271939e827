import { type BaseUnit, type DeliveryFeeRule, deliveryFeeFen } from "@coop/shared";
import type { LocalizedText, SaleUnit } from "@coop/shared/contract";
import { type CartLine, unitsFit } from "./cart";

/**
 * The arithmetic and the mapping of checkout, kept apart from the routes so it can be tested line by
 * line: pricing a cart from the API's products, the delivery fee, which field an API error is about,
 * and which lines an OUT_OF_STOCK answer named.
 */

/** What pricing needs from a product (GET /v1/products/:id). */
export interface PricedProduct {
  id: string;
  name: LocalizedText;
  unit: BaseUnit;
  priceFen: number;
  available: number;
  kind: "produce" | "supply";
  /** How the API sells it; absent (an older API): priceFen is per base unit. */
  saleUnits?: SaleUnit[];
}

export interface PricedLine {
  productId: string;
  saleUnitId: string;
  name: LocalizedText;
  unit: BaseUnit;
  kind: "produce" | "supply";
  /** The sale unit the line is ordered in, and how many of it. */
  saleUnit: SaleUnit;
  units: number;
  /** Base units of the line: units × the unit's size (what is reserved). */
  quantity: number;
  /** Price of one sale unit. */
  unitPriceFen: number;
  lineTotalFen: number;
  /** Base units of the product that can be had where the buyer collects. */
  available: number;
  /** Whole units of this line's unit in `available`. */
  availableUnits: number;
  /** The count is off the unit's minimum and steps (the co-op changed them since): the buyer must change it. */
  unfit: boolean;
  /** The product's lines together take more than the co-op has (12 个 + 1 盒(30个) of 40 eggs). */
  short: boolean;
}

export interface PricedCart {
  lines: PricedLine[];
  /** Lines whose product or sale unit the API no longer sells (taken off sale, deleted). */
  gone: Array<{ productId: string; saleUnitId: string }>;
  subtotalFen: number;
}

/**
 * The cart priced from the API's products (never from the cookie): each line at its sale unit's price, the
 * availability check counting units × size over all of a product's lines. Unknown products or units are
 * `gone`.
 */
export function priceCart(
  lines: readonly CartLine[],
  products: ReadonlyMap<string, PricedProduct | null>,
): PricedCart {
  const priced: PricedLine[] = [];
  const gone: PricedCart["gone"] = [];
  const wanted = new Map<string, number>();
  for (const line of lines) {
    const product = products.get(line.productId);
    const saleUnit = product?.saleUnits?.find((u) => u.id === line.saleUnitId);
    if (!product || !saleUnit) {
      gone.push({ productId: line.productId, saleUnitId: line.saleUnitId });
      continue;
    }
    const quantity = line.units * saleUnit.size;
    wanted.set(product.id, (wanted.get(product.id) ?? 0) + quantity);
    priced.push({
      productId: product.id,
      saleUnitId: saleUnit.id,
      name: product.name,
      unit: product.unit,
      kind: product.kind,
      saleUnit,
      units: line.units,
      quantity,
      unitPriceFen: saleUnit.priceFen,
      lineTotalFen: saleUnit.priceFen * line.units,
      available: product.available,
      availableUnits: Math.max(0, Math.floor(product.available / saleUnit.size)),
      unfit: !unitsFit(saleUnit, line.units),
      short: false,
    });
  }
  for (const line of priced) line.short = (wanted.get(line.productId) ?? 0) > line.available;
  return { lines: priced, gone, subtotalFen: priced.reduce((sum, line) => sum + line.lineTotalFen, 0) };
}

/** The largest count of a unit, on its steps, that `availableUnits` covers (0: not even its minimum). */
export function mostUnitsWithin(
  unit: Pick<SaleUnit, "minUnits" | "stepUnits">,
  availableUnits: number,
): number {
  if (availableUnits < unit.minUnits) return 0;
  return unit.minUnits + Math.floor((availableUnits - unit.minUnits) / unit.stepUnits) * unit.stepUnits;
}

/** The co-op's delivery settings, as GET /v1/checkout-options gives them. */
export type DeliveryRule = DeliveryFeeRule;

/** The delivery fee the API will charge for a subtotal: the API's own rule (@coop/shared deliveryFeeFen). */
export function deliveryFeeFor(subtotalFen: number, rule: DeliveryRule): number {
  return deliveryFeeFen(rule, "delivery", subtotalFen);
}

/** What the buyer pays for each way of getting the goods. */
export function checkoutTotals(subtotalFen: number, rule: DeliveryRule) {
  const pickupFee = deliveryFeeFen(rule, "pickup", subtotalFen);
  const fee = deliveryFeeFor(subtotalFen, rule);
  return {
    pickup: { feeFen: pickupFee, totalFen: subtotalFen + pickupFee },
    delivery: { feeFen: fee, totalFen: subtotalFen + fee },
  };
}

/** Online payment methods and whether delivery is possible: the shared rules the API checks. */
export { deliveryPossible, isOnlinePayment as isOnlineMethod } from "@coop/shared";

/** The checkout form's fields, by the names the form uses. */
export type CheckoutField = "name" | "phone" | "servicePointId" | "address" | "paymentMethod" | "items";

/** Which field of the checkout form an API field path (error.fields[].path) is about. */
export function checkoutFieldOf(path: string): CheckoutField | null {
  if (path === "contact.name") return "name";
  if (path === "contact.phone") return "phone";
  if (path === "fulfilment.servicePointId" || path === "fulfilment.type" || path === "fulfilment")
    return "servicePointId";
  if (path === "fulfilment.address") return "address";
  if (path === "payment.method" || path === "payment") return "paymentMethod";
  if (path === "items" || path.startsWith("items.")) return "items";
  return null;
}

/** "138 1234 5678", "138-1234-5678" → "13812345678"; null unless it is a Chinese mobile number. */
export function normalizePhone(input: string): string | null {
  const digits = input.replace(/[\s-]/g, "");
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

/** One line the API could not fill (409 OUT_OF_STOCK, error.details.lines), as the buyer reads it. */
export interface ShortLine {
  productId: string;
  name: LocalizedText | null;
  unit: BaseUnit | null;
  /** The sale unit the line was ordered in (null: the answer did not name one, or it is gone). */
  saleUnit: SaleUnit | null;
  /** Units of saleUnit asked for (base units without one). */
  requested: number;
  /**
   * How many of the unit can be had now where the order was to be collected, when it is less than asked: the
   * buyer can take that many (on the unit's steps). The refusal's own figure when it gives one (the API
   * counts the same places), else the catalog's; null when the catalog shows enough or the product is gone.
   */
  canHave: number | null;
}

/**
 * The short lines of an OUT_OF_STOCK answer with names and what can be had now: the answer's `available`
 * where it has one, else the products as the API describes them after the refusal. Lines of products no
 * longer sold have canHave 0.
 */
export function shortLines(
  lines: ReadonlyArray<{
    productId: string;
    saleUnitId?: string | undefined;
    requested: number;
    available?: number | undefined;
  }>,
  products: ReadonlyMap<string, PricedProduct | null>,
): ShortLine[] {
  return lines.map(({ productId, saleUnitId, requested, available: told }) => {
    const product = products.get(productId) ?? null;
    const saleUnit = product?.saleUnits?.find((u) => u.id === saleUnitId) ?? null;
    const size = saleUnit?.size ?? 1;
    const whole = product ? Math.max(0, told ?? Math.floor(product.available / size)) : 0;
    const available = saleUnit ? mostUnitsWithin(saleUnit, whole) : whole;
    return {
      productId,
      name: product?.name ?? null,
      unit: product?.unit ?? null,
      saleUnit,
      requested,
      canHave: available < requested ? available : null,
    };
  });
}
