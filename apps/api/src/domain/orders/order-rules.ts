import type { Executor } from "@coop/db";
import { unitsAllowed } from "@coop/shared";
import type { CreateOrder } from "@coop/shared/contract";
import type Stripe from "stripe";
import type { StaffPrincipal } from "../../lib/context";
import { ApiError, type FieldIssue } from "../../lib/errors";
import { offeredPaymentMethods } from "../../lib/stripe";
import type { PickupCodes } from "./pickup-codes";

export interface PlaceOrderDeps {
  db: Executor;
  stripe: Stripe | null;
  /** Pickup codes are derived and hashed with the API's secret (pickup-codes.ts). */
  pickupCodes: PickupCodes;
}

export function validationError(fields: FieldIssue[], message?: string): ApiError {
  return new ApiError(
    "VALIDATION_FAILED",
    message ?? fields.map((f) => `${f.path}: ${f.message}`).join("; "),
    { fields },
  );
}

export function invalid(fields: FieldIssue[], message?: string): never {
  throw validationError(fields, message);
}

/** Who may order how: checked before anything is read, for buyers' and assisted orders alike. */
export function checkOrderRules(
  deps: PlaceOrderDeps,
  data: CreateOrder,
  staff: StaffPrincipal | undefined,
): void {
  const method = data.payment.method;
  if (data.onBehalfOf && !staff)
    invalid([{ path: "onBehalfOf", message: "only staff order for a villager" }]);
  if (method === "consignor_balance" && !data.onBehalfOf) {
    invalid([
      { path: "payment.method", message: "only an order for a villager can be set against their earnings" },
    ]);
  }
  if (
    method !== "consignor_balance" &&
    !(offeredPaymentMethods(deps.stripe) as readonly string[]).includes(method)
  ) {
    invalid([
      { path: "payment.method", message: "online payment is not available now; choose cash on pickup" },
    ]);
  }
  if (data.campaignId && method === "consignor_balance") {
    // Earnings are set against goods handed over now; a pre-order waits for a harvest that may fall short.
    invalid([{ path: "payment.method", message: "a pre-order is paid online or in cash at pickup" }]);
  }
  if (data.campaignId && data.flashSaleId) {
    invalid([{ path: "campaignId", message: "an order is in a flash sale or a harvest campaign, not both" }]);
  }
  if (method === "cash_on_pickup" && data.fulfilment.type !== "pickup") {
    invalid([{ path: "payment.method", message: "cash is paid at a service point: choose pickup" }]);
  }
}

export interface WantedItem {
  productId: string;
  /** undefined: the product's default sale unit. */
  saleUnitId: string | undefined;
  /** Sale units. */
  quantity: number;
}

/**
 * The same product in the same sale unit twice in a cart is one line (items without a saleUnitId count the
 * default unit, and merge with each other); the same product in two units (个 and 盒) stays two lines.
 */
export function mergeItems(items: CreateOrder["items"]): WantedItem[] {
  const wanted = new Map<string, WantedItem>();
  for (const item of items) {
    const key = `${item.productId} ${item.saleUnitId ?? ""}`;
    const seen = wanted.get(key);
    if (seen) seen.quantity += item.quantity;
    else wanted.set(key, { productId: item.productId, saleUnitId: item.saleUnitId, quantity: item.quantity });
  }
  return [...wanted.values()];
}

/** A sale unit whose minimum, step or size an item's count does not fit (place_order's BAD_QUANTITY). */
export interface SaleUnitRefusal {
  productId: string;
  saleUnitId: string;
  labelZh: string;
  labelEn: string;
  size: number;
  minUnits: number;
  stepUnits: number;
  quantity: number;
}

/** 400 naming each item whose count its sale unit does not allow, and what it does allow. */
export function quantityRefusal(data: CreateOrder, refused: SaleUnitRefusal[]): ApiError {
  const fields = data.items
    .map((item, i) => ({ item, i }))
    .flatMap(({ item, i }) => {
      const unit = refused.find(
        (r) => r.productId === item.productId && (!item.saleUnitId || r.saleUnitId === item.saleUnitId),
      );
      if (!unit) return [];
      const rule = unitsAllowed(unit, unit.quantity);
      const message = rule.ok
        ? `at most ${Math.floor(1_000_000 / unit.size)} of ${unit.labelEn}`
        : rule.message;
      return [{ path: `items.${i}.quantity`, message }];
    });
  return validationError(
    fields,
    `This quantity cannot be ordered: ${fields.map((f) => f.message).join("; ")}.`,
  );
}
