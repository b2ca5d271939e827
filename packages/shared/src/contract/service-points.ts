import { z } from "zod";
import { LOCATION_KINDS } from "../closed-sets";
import { LocalizedText, TextInput } from "./common";

export const ServicePoint = z
  .object({
    id: z.string(),
    code: z.string().meta({ example: "SP-HS01" }),
    name: LocalizedText,
    village: z.string(),
    address: z.string().nullable().default(null),
    phone: z.string().nullable().default(null),
    openingHours: z
      .string()
      .nullable()
      .default(null)
      .meta({ description: "As the point writes it on its door, e.g. 每天 8:00–18:00" }),
  })
  .meta({ id: "ServicePoint" });
export type ServicePoint = z.infer<typeof ServicePoint>;

export const ServicePointList = z.object({ items: z.array(ServicePoint) }).meta({ id: "ServicePointList" });
export type ServicePointList = z.infer<typeof ServicePointList>;

export const CreateServicePoint = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Z0-9-]{2,20}$/, "2–20 capital letters, digits or dashes, e.g. SP-HS07"),
    name: z.object({ zh: TextInput.trim().min(1).max(60), en: TextInput.trim().min(1).max(80) }),
    village: TextInput.trim().min(1).max(60),
    address: TextInput.trim().max(200).optional(),
    phone: TextInput.trim().max(30).optional(),
    openingHours: TextInput.trim().max(100).optional(),
  })
  .meta({ id: "CreateServicePoint" });
export type CreateServicePoint = z.infer<typeof CreateServicePoint>;

export const Created = z.object({ id: z.string() }).meta({ id: "Created" });
export const CreatedServicePoint = z
  .object({ id: z.string(), code: z.string() })
  .meta({ id: "CreatedServicePoint" });

/** Optional text a form may clear: an empty string stores nothing (null). */
const ClearableText = (max: number) => TextInput.trim().max(max).optional();

const PlaceNames = z.object({ zh: TextInput.trim().min(1).max(60), en: TextInput.trim().min(1).max(80) });

/** The admin edits a service point; only what is sent changes. `active: false` closes it for pickup. */
export const UpdateServicePoint = z
  .object({
    name: PlaceNames.optional(),
    village: TextInput.trim().min(1).max(60).optional(),
    address: ClearableText(200),
    phone: ClearableText(30),
    openingHours: ClearableText(100),
    active: z
      .boolean()
      .optional()
      .meta({ description: "false closes the point: it is not offered for pickup" }),
  })
  .meta({ id: "UpdateServicePoint" });
export type UpdateServicePoint = z.infer<typeof UpdateServicePoint>;

/** A place as the staff console sees it: any kind, open or closed, with its contact details. */
export const Place = z
  .object({
    id: z.string(),
    kind: z.enum(LOCATION_KINDS),
    code: z.string(),
    name: LocalizedText,
    village: z.string().nullable(),
    address: z.string().nullable().default(null),
    phone: z.string().nullable().default(null),
    openingHours: z.string().nullable().default(null),
    active: z.boolean().default(true),
  })
  .meta({ id: "Place" });
export type Place = z.infer<typeof Place>;

export const WarehouseList = z.object({ items: z.array(Place) }).meta({ id: "WarehouseList" });

export const CreateWarehouse = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Z0-9-]{2,20}$/, "2–20 capital letters, digits or dashes, e.g. WH-HY"),
    name: PlaceNames,
    address: TextInput.trim().max(200).optional(),
    phone: TextInput.trim().max(30).optional(),
  })
  .meta({ id: "CreateWarehouse" });
export type CreateWarehouse = z.infer<typeof CreateWarehouse>;

export const UpdateWarehouse = z
  .object({ name: PlaceNames.optional(), address: ClearableText(200), phone: ClearableText(30) })
  .meta({ id: "UpdateWarehouse" });
export type UpdateWarehouse = z.infer<typeof UpdateWarehouse>;
