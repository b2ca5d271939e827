import { z } from "zod";
import { MAX_AMOUNT_FEN } from "../bounds";
import { BASE_UNITS } from "../units";
import { ProductPhoto } from "./catalog";
import { LocalizedText, TextInput } from "./common";

/** upcoming: before its start; live: orders taken; ended: past its end or closed (what was left went back). */
export const FLASH_SALE_STATES = ["upcoming", "live", "ended"] as const;

export const ScheduleFlashSale = z
  .object({
    productId: z.string().min(1).max(64),
    saleUnitId: z.string().min(1).max(64).optional().meta({
      description: "The sale unit sold (one of the product's, on sale); without it the default one",
    }),
    title: z.object({ zh: TextInput.trim().min(1).max(60), en: TextInput.trim().max(60).default("") }),
    priceFen: z.number().int().positive().max(MAX_AMOUNT_FEN).meta({ description: "Price of one sale unit" }),
    quantity: z.number().int().positive().max(100_000).meta({
      description: "Sale units set aside at the warehouse now, for the sale; the rest is left to sell",
    }),
    perBuyerLimit: z.number().int().positive().max(1000).meta({
      description: "Sale units one buyer (one phone) may buy in this sale, over all their orders",
    }),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    buckets: z.number().int().min(1).max(64).default(16).meta({
      description:
        "How many parts the set-aside stock is split into, so concurrent orders do not queue on one row",
    }),
  })
  .refine((s) => Date.parse(s.endsAt) > Date.parse(s.startsAt), {
    path: ["endsAt"],
    message: "after the start",
  })
  .meta({ id: "ScheduleFlashSale" });
export type ScheduleFlashSale = z.infer<typeof ScheduleFlashSale>;

export const FlashSale = z
  .object({
    id: z.string(),
    title: LocalizedText,
    state: z.enum(FLASH_SALE_STATES),
    product: z.object({
      id: z.string(),
      name: LocalizedText,
      unit: z.enum(BASE_UNITS),
      photo: ProductPhoto.nullable(),
    }),
    saleUnit: z.object({ id: z.string(), label: LocalizedText, size: z.number().int() }),
    priceFen: z.number().int(),
    regularPriceFen: z.number().int().meta({ description: "The sale unit's catalog price, for comparison" }),
    quantity: z.number().int().meta({ description: "Sale units set aside" }),
    left: z.number().int().meta({ description: "Sale units still to sell (at most a second old)" }),
    perBuyerLimit: z.number().int(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    closedAt: z.iso.datetime().nullable(),
    serverTime: z.iso.datetime().meta({ description: "The API's clock, for the countdown" }),
  })
  .meta({ id: "FlashSale" });
export type FlashSale = z.infer<typeof FlashSale>;

export const FlashSaleList = z.object({ items: z.array(FlashSale) }).meta({ id: "FlashSaleList" });
