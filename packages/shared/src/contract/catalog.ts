import { z } from "zod";
import { MAX_UNIT_PRICE_FEN } from "../bounds";
import { PRODUCT_KINDS } from "../closed-sets";
import { BPS_DENOMINATOR } from "../money";
import { MAX_PRODUCT_PHOTOS } from "../product-photos";
import { MAX_ORDER_UNITS, MAX_SALE_UNIT_SIZE } from "../sale-units";
import { BASE_UNITS } from "../units";
import { LocalizedText, TextInput } from "./common";

export const SaleUnit = z
  .object({
    id: z.string().meta({ example: "sun_01jd7x2y3z4a5b6c7d8e9f0g1h" }),
    label: LocalizedText.meta({ description: "What a buyer counts: 个, 盒(30个), 斤, 瓶(500毫升)" }),
    size: z
      .number()
      .int()
      .meta({ description: "Base units in one sale unit (500 for 1 斤 of a gram product)" }),
    priceFen: z.number().int().meta({ description: "Price of one sale unit in fen", example: 5800 }),
    minUnits: z.number().int().meta({ description: "The fewest units one order may take" }),
    stepUnits: z.number().int().meta({ description: "Orders take minUnits, minUnits + stepUnits, …" }),
    isDefault: z.boolean().meta({ description: "The unit shown first and priceFen's unit" }),
  })
  .meta({ id: "SaleUnit" });
export type SaleUnit = z.infer<typeof SaleUnit>;

/** An admin's view of a sale unit: also the ones taken off sale. */
export const AdminSaleUnit = SaleUnit.extend({ active: z.boolean(), sortOrder: z.number().int() }).meta({
  id: "AdminSaleUnit",
});
export type AdminSaleUnit = z.infer<typeof AdminSaleUnit>;

const UnitLabel = z.object({ zh: TextInput.trim().min(1).max(20), en: TextInput.trim().min(1).max(40) });

export const CreateSaleUnit = z
  .object({
    label: UnitLabel,
    size: z.number().int("whole base units").min(1).max(MAX_SALE_UNIT_SIZE),
    priceFen: z.number().int("whole fen only").min(0).max(MAX_UNIT_PRICE_FEN),
    minUnits: z.number().int().min(1).max(MAX_ORDER_UNITS).default(1),
    stepUnits: z.number().int().min(1).max(MAX_ORDER_UNITS).default(1),
    isDefault: z.boolean().default(false).meta({ description: "true makes it the product's default unit" }),
    sortOrder: z.number().int().min(0).max(1000).default(0),
  })
  .meta({ id: "CreateSaleUnit" });
export type CreateSaleUnit = z.infer<typeof CreateSaleUnit>;

export const SaleUnitChanges = z
  .object({
    label: UnitLabel.optional(),
    priceFen: z.number().int("whole fen only").min(0).max(MAX_UNIT_PRICE_FEN).optional(),
    minUnits: z.number().int().min(1).max(MAX_ORDER_UNITS).optional(),
    stepUnits: z.number().int().min(1).max(MAX_ORDER_UNITS).optional(),
    isDefault: z.literal(true).optional().meta({ description: "Make it the default (the old one stays)" }),
    active: z.boolean().optional().meta({ description: "false takes it off sale; not the default unit" }),
    sortOrder: z.number().int().min(0).max(1000).optional(),
  })
  .meta({ id: "SaleUnitChanges" });
export type SaleUnitChanges = z.infer<typeof SaleUnitChanges>;

export const ProductPhoto = z
  .object({
    id: z.string().meta({ example: "pph_01jd7x2y3z4a5b6c7d8e9f0g1h" }),
    width: z.number().int().meta({ description: "The photo's width in pixels (upright, as uploaded)" }),
    height: z.number().int().meta({ description: "The photo's height in pixels (upright, as uploaded)" }),
    widths: z.array(z.number().int()).meta({
      description:
        "Widths it is served at: GET /v1/product-photos/{id}/{width}.{avif|webp|jpg} for each, heights in the photo's aspect",
      example: [160, 320, 640, 1080],
    }),
    alt: LocalizedText.nullable().meta({
      description: "What the photo shows; null: the product's name says it",
    }),
  })
  .meta({ id: "ProductPhoto" });
export type ProductPhoto = z.infer<typeof ProductPhoto>;

/** An admin's view of a product photo: also where it stands and when it came. */
export const AdminProductPhoto = ProductPhoto.extend({
  position: z.number().int().meta({ description: "Order on the product page; the lowest is the main photo" }),
  createdAt: z.string().meta({ format: "date-time" }),
}).meta({ id: "AdminProductPhoto" });
export type AdminProductPhoto = z.infer<typeof AdminProductPhoto>;

export const ProductPhotoList = z
  .object({ items: z.array(AdminProductPhoto).meta({ description: "Live photos, the main one first" }) })
  .meta({ id: "ProductPhotoList" });
export type ProductPhotoList = z.infer<typeof ProductPhotoList>;

export const ProductPhotoOrder = z
  .object({
    photoIds: z
      .array(z.string().max(64))
      .min(1)
      .max(MAX_PRODUCT_PHOTOS)
      .meta({ description: "Every live photo of the product once, the main one first" }),
  })
  .meta({ id: "ProductPhotoOrder" });
export type ProductPhotoOrder = z.infer<typeof ProductPhotoOrder>;

export const CatalogItem = z
  .object({
    id: z.string().meta({ example: "prd_01jd7x2y3z4a5b6c7d8e9f0g1h" }),
    sku: z.string().meta({ example: "EGG-FREE-RANGE" }),
    name: LocalizedText,
    kind: z.enum(PRODUCT_KINDS),
    unit: z.enum(BASE_UNITS).meta({ description: "Base unit: prices and quantities are per one of these" }),
    priceFen: z.number().int().meta({
      description: "Price of the default sale unit in fen (1 yuan = 100 fen): saleUnits[0]",
      example: 200,
    }),
    saleUnits: z.array(SaleUnit).optional().meta({
      description:
        "How it is sold, the default first: each unit's size in base units and price in fen (always sent by this API; optional for clients of older ones)",
    }),
    available: z
      .number()
      .int()
      .meta({
        description:
          "Base units that can be ordered now (on hand − reserved) for the place asked: with servicePointId, that " +
          "point's shelf plus what the warehouse can send there; without it, what the warehouse can deliver",
      }),
    photo: ProductPhoto.nullable().optional().meta({
      description: "The main photo; null when it has none (always sent by this API; optional for older ones)",
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
  photos: z.array(ProductPhoto).optional().meta({
    description: "Every photo, the main one first (always sent by this API; optional for older ones)",
  }),
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
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .meta({
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
    priceFen: z.number().int("whole fen only").min(0).max(MAX_UNIT_PRICE_FEN).meta({
      description:
        "Price of one base unit, or with saleUnit: ignored (the unit's price is the product's price)",
    }),
    saleUnit: z
      .object({
        label: UnitLabel,
        size: z.number().int("whole base units").min(1).max(MAX_SALE_UNIT_SIZE),
        priceFen: z.number().int("whole fen only").min(0).max(MAX_UNIT_PRICE_FEN),
      })
      .optional()
      .meta({
        description:
          "The unit it is sold in from the start (斤: size 500, priceFen 1380); without it, one base unit at priceFen",
      }),
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
