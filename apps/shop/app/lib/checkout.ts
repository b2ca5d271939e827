import { type BaseUnit, type DeliveryFeeRule, deliveryFeeFen } from "@coop/shared";
import type { LocalizedText, SaleUnit } from "@coop/shared/contract";
import type { CartLine } from "./cart";
import { chooseSaleUnit, smallestSaleUnit } from "./sale-units";

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
  name: LocalizedText;
  unit: BaseUnit;
  kind: "produce" | "supply";
  quantity: number;
  /** The sale unit the line is ordered in, and how many (null: priced per base unit, an older API). */
  saleUnit: SaleUnit | null;
  units: number;
  /** Price of one sale unit (of one base unit without saleUnit). */
  unitPriceFen: number;
  lineTotalFen: number;
  available: number;
  /** No sale unit on sale fits this quantity (e.g. part of a 斤): the buyer must change it. */
  unfit: boolean;
  /** The smallest unit on sale: what the quantity must be a whole number of. */
  smallestUnit: SaleUnit | null;
  /** More is in the cart than the co-op has now. */
  short: boolean;
}

export interface PricedCart {
  lines: PricedLine[];
  /** Products in the cart the API no longer sells (taken off sale, deleted). */
  gone: string[];
  subtotalFen: number;
}

/** The cart priced from the API's products (never from the cookie); unknown products are `gone`. */
export function priceCart(
  lines: readonly CartLine[],
  products: ReadonlyMap<string, PricedProduct | null>,
): PricedCart {
  const priced: PricedLine[] = [];
  const gone: string[] = [];
  for (const line of lines) {
    const product = products.get(line.productId);
    if (!product) {
      gone.push(line.productId);
      continue;
    }
    const chosen = product.saleUnits ? chooseSaleUnit(product.saleUnits, line.quantity) : null;
    const unitPriceFen = chosen ? chosen.unit.priceFen : product.priceFen;
    const units = chosen ? chosen.units : line.quantity;
    priced.push({
      productId: product.id,
      name: product.name,
      unit: product.unit,
      kind: product.kind,
      quantity: line.quantity,
      saleUnit: chosen?.unit ?? null,
      units,
      unitPriceFen,
      lineTotalFen: chosen || !product.saleUnits ? unitPriceFen * units : 0,
      available: product.available,
      unfit: Boolean(product.saleUnits) && !chosen,
      smallestUnit: smallestSaleUnit(product.saleUnits),
      short: line.quantity > product.available,
    });
  }
  return { lines: priced, gone, subtotalFen: priced.reduce((sum, line) => sum + line.lineTotalFen, 0) };
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
  requested: number;
  /**
   * What can be had now where the order was to be collected, when it is less than asked: the buyer can
   * take that many. The refusal's own figure when it gives one (the API counts the same places), else the
   * catalog's; null when the catalog shows enough or the product is gone.
   */
  canHave: number | null;
}

/**
 * The short lines of an OUT_OF_STOCK answer with names and what can be had now: the answer's `available`
 * where it has one, else the products as the API describes them after the refusal. Lines of products no
 * longer sold have canHave 0.
 */
export function shortLines(
  lines: ReadonlyArray<{ productId: string; requested: number; available?: number | undefined }>,
  products: ReadonlyMap<string, PricedProduct | null>,
): ShortLine[] {
  return lines.map(({ productId, requested, available: told }) => {
    const product = products.get(productId) ?? null;
    const available = product ? Math.max(0, told ?? product.available) : 0;
    return {
      productId,
      name: product?.name ?? null,
      unit: product?.unit ?? null,
      requested,
      canHave: available < requested ? available : null,
    };
  });
}
