import { z } from "zod";
import { LocalizedText } from "./common";

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
