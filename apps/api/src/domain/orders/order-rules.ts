import type { Executor } from "@coop/db";
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
  if (method === "cash_on_pickup" && data.fulfilment.type !== "pickup") {
    invalid([{ path: "payment.method", message: "cash is paid at a service point: choose pickup" }]);
  }
}

/** The same product twice in a cart is one line. */
export function mergeItems(items: CreateOrder["items"]): Map<string, number> {
  const wanted = new Map<string, number>();
  for (const item of items) wanted.set(item.productId, (wanted.get(item.productId) ?? 0) + item.quantity);
  return wanted;
}
