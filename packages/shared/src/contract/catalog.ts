import { z } from "zod";
import { MAX_UNIT_PRICE_FEN } from "../bounds";
import { PRODUCT_KINDS } from "../enums";
import { BPS_DENOMINATOR } from "../money";
import { BASE_UNITS } from "../units";
import { LocalizedText, TextInput } from "./common";

export const CatalogItem = z
  .object({
    id: z.string().meta({ example: "prd_01jd7x2y3z4a5b6c7d8e9f0g1h" }),
    sku: z.string().meta({ example: "EGG-FREE-RANGE" }),
    name: LocalizedText,
    kind: z.enum(PRODUCT_KINDS),
    unit: z.enum(BASE_UNITS).meta({ description: "Base unit: prices and quantities are per one of these" }),
    priceFen: z
      .number()
      .int()
      .meta({ description: "Price of one base unit in fen (1 yuan = 100 fen)", example: 200 }),
    available: z.number().int().meta({
      description:
        "Units that can be ordered now (on hand − reserved) for the place asked: with servicePointId, that " +
        "point's shelf plus what the warehouse can send there; without it, what the warehouse can deliver",
    }),
  })
  .meta({ id: "CatalogItem" });
export type CatalogItem = z.infer<typeof CatalogItem>;

export const CatalogPage = z
  .object({
    items: z.array(CatalogItem),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as cursor for the next page; null on the last" }),
  })
  .meta({ id: "CatalogPage" });
export type CatalogPage = z.infer<typeof CatalogPage>;

export const ProductDetail = CatalogItem.extend({
  description: LocalizedText,
  perishable: z.boolean(),
  producers: z
    .array(z.object({ name: z.string(), village: z.string().nullable() }))
    .default([])
    .meta({ description: "Villagers whose lots are on sale now and who agreed to be named" }),
}).meta({ id: "ProductDetail" });
export type ProductDetail = z.infer<typeof ProductDetail>;

/** Where the buyer collects: a service point's id, or absent for home delivery. */
const ServicePointQuery = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .optional()
  .meta({
    description:
      "Pickup point: `available` is what can be had there (its shelf plus what the warehouse can send); " +
      "absent: what the warehouse can deliver",
  });

export const ListProductsQuery = z.object({
  q: z.string().trim().max(100).optional().meta({
    description:
      "Search: every word must occur in the Chinese or English name, the SKU, the pinyin (tujidan) or its " +
      "initials (tjd)",
  }),
  kind: z.enum(PRODUCT_KINDS).optional(),
  servicePointId: ServicePointQuery,
  cursor: z.string().max(200).optional().meta({ description: "nextCursor of the previous page" }),
  limit: z.coerce.number().int().min(1).max(100).default(24),
});

export const ProductQuery = z.object({ servicePointId: ServicePointQuery });

export const SuggestProductsQuery = z.object({
  q: z.string().trim().min(1).max(100).meta({ description: "What the buyer has typed so far" }),
});

export const ProductSuggestions = z
  .object({
    items: z
      .array(z.object({ id: z.string(), name: LocalizedText }))
      .max(8)
      .meta({ description: "Up to 8 products on sale matching every typed word, shortest names first" }),
  })
  .meta({ id: "ProductSuggestions" });
export type ProductSuggestions = z.infer<typeof ProductSuggestions>;

export const CreateProduct = z
  .object({
    sku: z
      .string()
      .trim()
      .regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, "2–40 capital letters, digits or dashes"),
    name: z.object({ zh: TextInput.trim().min(1).max(80), en: TextInput.trim().min(1).max(120) }),
    description: z
      .object({ zh: TextInput.max(2000).default(""), en: TextInput.max(2000).default("") })
      .optional(),
    kind: z.enum(PRODUCT_KINDS),
    unit: z.enum(BASE_UNITS),
    priceFen: z.number().int("whole fen only").min(0).max(MAX_UNIT_PRICE_FEN),
    commissionBps: z.number().int().min(0).max(BPS_DENOMINATOR).optional().meta({
      description: "Co-op commission on consigned sales in basis points (1000 = 10 %); default: the co-op's",
    }),
    perishable: z.boolean().default(false),
  })
  .meta({ id: "CreateProduct" });
export type CreateProduct = z.infer<typeof CreateProduct>;

/**
 * The admin changes a product; only what is sent changes. The unit only while no lot, stock or order counts
 * in it; a new commission becomes a new row of the product's history and applies to sales from then on.
 */
export const ProductChanges = z
  .object({
    name: z.object({ zh: TextInput.trim().min(1).max(80), en: TextInput.trim().min(1).max(120) }).optional(),
    description: z.object({ zh: TextInput.max(2000), en: TextInput.max(2000) }).optional(),
    unit: z.enum(BASE_UNITS).optional(),
    priceFen: z.number().int("whole fen only").min(0).max(MAX_UNIT_PRICE_FEN).optional(),
    commissionBps: z.number().int().min(0).max(BPS_DENOMINATOR).nullable().optional().meta({
      description: "null: the co-op's default from now on",
    }),
    active: z.boolean().optional().meta({ description: "false takes it off sale (it stays in the records)" }),
  })
  .meta({ id: "ProductChanges" });
export type ProductChanges = z.infer<typeof ProductChanges>;
