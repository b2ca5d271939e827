import { z } from "zod";
import { MAX_AMOUNT_FEN, MAX_DELIVERY_FEE_FEN } from "../bounds";
import { LOCATION_KINDS, PRODUCT_KINDS, STAFF_ROLES } from "../closed-sets";
import { BPS_DENOMINATOR } from "../money";
import { BASE_UNITS } from "../units";
import { STAFF_LOGIN_PATTERN, STAFF_PASSWORD_MIN_LENGTH, StaffUser } from "./auth";
import { AdminSaleUnit } from "./catalog";
import { LocalizedText, TextInput } from "./common";
import { Place } from "./service-points";

export { LOCATION_KINDS as LOCATION_KIND_VALUES } from "../closed-sets";

export const LocationList = z.object({ items: z.array(Place) }).meta({ id: "LocationList" });
export type LocationList = z.infer<typeof LocationList>;

/** Filters of the admin's list of places (GET /v1/locations): code or name, kind, open or closed. */
export const LocationQuery = z.object({
  q: z.string().trim().max(60).optional().meta({ description: "Part of the code, name or village" }),
  kind: z.enum(LOCATION_KINDS).optional(),
  active: z.enum(["true", "false"]).optional().meta({ description: "true: open only; false: closed only" }),
});

/** Filters of the admin's staff list (GET /v1/staff). */
export const StaffQuery = z.object({
  q: z.string().trim().max(64).optional().meta({ description: "Part of the login or the name" }),
  role: z.enum(STAFF_ROLES).optional(),
  active: z.enum(["true", "false"]).optional(),
});

/** The admin changes an account; only what is sent changes. Disabling ends its sessions at once. */
export const UpdateStaff = z
  .object({
    displayName: TextInput.trim().min(1).max(60).optional(),
    active: z.boolean().optional(),
    servicePointCode: TextInput.trim()
      .min(1)
      .max(20)
      .optional()
      .meta({ description: "An agent's new service point: they lose the old point's data at once" }),
  })
  .meta({ id: "UpdateStaff" });
export type UpdateStaff = z.infer<typeof UpdateStaff>;

/** A temporary password the admin gives the person; every session of the account ends. */
export const ResetPassword = z
  .object({ password: z.string().min(8, "at least 8 characters").max(200) })
  .meta({ id: "ResetPassword" });

export const StaffAccount = StaffUser.extend({ active: z.boolean() }).meta({ id: "StaffAccount" });
export const StaffList = z.object({ items: z.array(StaffAccount) }).meta({ id: "StaffList" });
export type StaffList = z.infer<typeof StaffList>;

export const CreateStaff = z
  .object({
    role: z.enum(STAFF_ROLES),
    login: z
      .string()
      .trim()
      .toLowerCase()
      .regex(STAFF_LOGIN_PATTERN, "3–64 letters, digits, dots, dashes or underscores"),
    password: z
      .string()
      .min(STAFF_PASSWORD_MIN_LENGTH, `at least ${STAFF_PASSWORD_MIN_LENGTH} characters`)
      .max(200),
    displayName: TextInput.trim().min(1).max(60).optional(),
    servicePointCode: TextInput.trim().min(1).max(20).optional(),
  })
  .meta({ id: "CreateStaff" });
export type CreateStaff = z.infer<typeof CreateStaff>;

export const CoopSettings = z
  .object({
    id: z.string(),
    code: z.string(),
    name: LocalizedText,
    defaultCommissionBps: z
      .number()
      .int()
      .meta({ description: "Commission on consigned sales when a product sets none" }),
    deliveryFeeFen: z.number().int(),
    freeDeliveryOverFen: z.number().int().nullable(),
    unpaidOrderSeconds: z.number().int(),
  })
  .meta({ id: "CoopSettings" });
export type CoopSettings = z.infer<typeof CoopSettings>;

export const UpdateCoopSettings = z
  .object({
    defaultCommissionBps: z.number().int().min(0).max(BPS_DENOMINATOR).optional(),
    deliveryFeeFen: z.number().int().min(0).max(MAX_DELIVERY_FEE_FEN).optional(),
    freeDeliveryOverFen: z.number().int().min(0).max(MAX_AMOUNT_FEN).nullable().optional(),
    unpaidOrderSeconds: z.number().int().min(60).max(86_400).optional(),
  })
  .meta({ id: "UpdateCoopSettings" });

/** A product as the admin sees it: with its commission and whether it is on sale. */
export const AdminProduct = z
  .object({
    id: z.string(),
    sku: z.string(),
    name: LocalizedText,
    description: LocalizedText,
    kind: z.enum(PRODUCT_KINDS),
    unit: z.enum(BASE_UNITS),
    priceFen: z.number().int(),
    commissionBps: z.number().int().nullable(),
    perishable: z.boolean(),
    active: z.boolean(),
  })
  .meta({ id: "AdminProduct" });
export type AdminProduct = z.infer<typeof AdminProduct>;

/** Filters of the admin's product list: name or SKU, kind, on sale or not. */
export const AdminProductQuery = z.object({
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .meta({ description: "Part of the Chinese or English name or SKU" }),
  kind: z.enum(PRODUCT_KINDS).optional(),
  active: z.enum(["true", "false"]).optional().meta({ description: "true: on sale; false: taken off sale" }),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** One product for the admin: as in the list, with its commission history and whether its unit may change. */
export const AdminProductDetail = AdminProduct.extend({
  unitLocked: z
    .boolean()
    .meta({ description: "A lot, stock or order already counts in this unit: it can no longer change" }),
  commissionHistory: z
    .array(
      z.object({
        commissionBps: z.number().int().nullable().meta({ description: "null = the co-op's default" }),
        setBy: z.string().nullable(),
        from: z.iso.datetime(),
      }),
    )
    .meta({ description: "Newest first; the first row is the rate in force" }),
  saleUnits: z
    .array(AdminSaleUnit)
    .optional()
    .meta({ description: "How it is sold, the default first, those off sale included" }),
}).meta({ id: "AdminProductDetail" });
export type AdminProductDetail = z.infer<typeof AdminProductDetail>;

export const AdminProductList = z
  .object({ items: z.array(AdminProduct), nextCursor: z.string().nullable() })
  .meta({ id: "AdminProductList" });
