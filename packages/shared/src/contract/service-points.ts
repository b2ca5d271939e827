import { z } from "zod";
import { LocalizedText, TextInput } from "./common";

export const ServicePoint = z
  .object({
    id: z.string(),
    code: z.string().meta({ example: "SP-HS01" }),
    name: LocalizedText,
    village: z.string(),
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
  })
  .meta({ id: "CreateServicePoint" });
export type CreateServicePoint = z.infer<typeof CreateServicePoint>;

export const Created = z.object({ id: z.string() }).meta({ id: "Created" });
export const CreatedServicePoint = z
  .object({ id: z.string(), code: z.string() })
  .meta({ id: "CreatedServicePoint" });
