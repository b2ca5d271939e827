import { PRODUCT_KINDS, type ProductKind } from "@coop/shared";

export { PRODUCT_KINDS, type ProductKind, STAFF_ROLES, type StaffRole } from "@coop/shared";

export function isProductKind(value: unknown): value is ProductKind {
  return typeof value === "string" && (PRODUCT_KINDS as readonly string[]).includes(value);
}
