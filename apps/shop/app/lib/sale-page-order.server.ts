import { CreateOrder } from "@coop/shared/contract";
import { data } from "@remix-run/node";
import type { OrderFieldProblem } from "../components/buyer/OrderFormFields";
import { type CheckoutField, checkoutFieldOf, normalizePhone } from "./checkout";
import { newFormKey, text } from "./forms.server";
import type { buyerPlace } from "./places.server";

/**
 * The one-step order of a sale page (a flash sale, a harvest campaign): one item of one sale unit, collected
 * at a service point, with the buyer's name, phone and payment method. Both pages read, check and answer it
 * the same way; each adds only its own sale (flashSaleId or campaignId) and its own refusals.
 */

/** What the buyer typed, given back with a refusal so nothing has to be typed again. */
export interface SalePageTyped {
  name: string;
  phone: string;
  servicePointId: string;
  paymentMethod: string;
  quantity: string;
}

export type SalePageFields = Partial<Record<CheckoutField | "quantity", OrderFieldProblem>>;

export function readSalePageForm(form: FormData): SalePageTyped {
  return {
    name: text(form, "name", 40),
    phone: text(form, "phone", 20),
    servicePointId: text(form, "servicePointId", 64),
    paymentMethod: text(form, "paymentMethod", 20),
    quantity: text(form, "quantity", 6),
  };
}

/** The order's body checked against the API's contract; the boxes it refuses, named for the form. */
export function salePageOrder(
  typed: SalePageTyped,
  item: { productId: string; saleUnitId: string },
  sale: { flashSaleId: string } | { campaignId: string },
): { ok: true; body: CreateOrder } | { ok: false; fields: SalePageFields } {
  const parsed = CreateOrder.safeParse({
    items: [{ ...item, quantity: Number(typed.quantity) }],
    fulfilment: { type: "pickup", servicePointId: typed.servicePointId },
    payment: { method: typed.paymentMethod },
    contact: { name: typed.name, phone: normalizePhone(typed.phone) ?? typed.phone },
    ...sale,
  });
  if (parsed.success) return { ok: true, body: parsed.data };
  const fields: SalePageFields = {};
  for (const issue of parsed.error.issues) {
    const path = issue.path.join(".");
    if (path.startsWith("items")) fields.quantity = "items";
    const field = checkoutFieldOf(path);
    if (field) fields[field] = field;
  }
  return { ok: false, fields };
}

/**
 * A refusal, with what was typed and a new Idempotency-Key: the API keeps its answer under the old one, and
 * the corrected order is a new request.
 */
export function salePageProblem<P extends string>(
  reason: P,
  status: number,
  typed: SalePageTyped,
  fields: SalePageFields = {},
  detail: { limit?: number; already?: number } = {},
) {
  return data({ problem: reason, fields, typed, detail, idempotencyKey: newFormKey() }, { status });
}

/** The service points a sale page offers, and the one the buyer chose before (if still offered). */
export function salePagePoints(place: Awaited<ReturnType<typeof buyerPlace>>) {
  return {
    points: place.points.map((p) => ({
      id: p.id,
      name: p.name,
      village: p.village,
      address: p.address,
      openingHours: p.openingHours,
    })),
    pointId: place.place?.type === "pickup" ? place.place.servicePointId : "",
  };
}
