/** Closed sets of values shared by the database, the API contract and the shop. */
export const PRODUCT_KINDS = ["produce", "supply"] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

export const STAFF_ROLES = ["admin", "warehouse", "agent"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
