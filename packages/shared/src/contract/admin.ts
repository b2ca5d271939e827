import { z } from "zod";
import { MAX_AMOUNT_FEN, MAX_DELIVERY_FEE_FEN } from "../bounds";
import { STAFF_ROLES } from "../enums";
import { BPS_DENOMINATOR } from "../money";
import { StaffUser } from "./auth";
import { LocalizedText, TextInput } from "./common";

export const LOCATION_KIND_VALUES = ["warehouse", "service_point", "store", "transit"] as const;

export const LocationList = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(LOCATION_KIND_VALUES),
        code: z.string(),
        name: LocalizedText,
        village: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: "LocationList" });
export type LocationList = z.infer<typeof LocationList>;

export const StaffList = z
  .object({ items: z.array(StaffUser.extend({ active: z.boolean() })) })
  .meta({ id: "StaffList" });
export type StaffList = z.infer<typeof StaffList>;

export const CreateStaff = z
  .object({
    role: z.enum(STAFF_ROLES),
    login: z.string().min(1).max(64),
    password: z.string().min(1).max(200),
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
    kind: z.enum(["produce", "supply"]),
    unit: z.enum(["piece", "gram", "ml", "bag"]),
    priceFen: z.number().int(),
    commissionBps: z.number().int().nullable(),
    perishable: z.boolean(),
    active: z.boolean(),
  })
  .meta({ id: "AdminProduct" });
export type AdminProduct = z.infer<typeof AdminProduct>;

export const AdminProductList = z
  .object({ items: z.array(AdminProduct), nextCursor: z.string().nullable() })
  .meta({ id: "AdminProductList" });
