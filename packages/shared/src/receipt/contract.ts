import { z } from "zod";
import { LOT_EARNING_ENTRY_KINDS } from "../closed-sets";
import { LocalizedText } from "../contract/common";
import { BASE_UNITS } from "../units";

/** Where the villager's goods are now (the public lot page). */
export const PUBLIC_LOT_PLACE_VALUES = [
  "at_point",
  "on_the_way",
  "at_warehouse",
  "sold_out",
  "returned",
  "rejected",
  "blocked",
] as const;

/**
 * The villager's public page of one lot (GET /v1/public/lots/{token}): that lot only, nothing that names
 * another lot, person, buyer or staff member.
 */
export const PublicLot = z
  .object({
    lotNo: z.string(),
    villager: z
      .string()
      .meta({ description: 'First character of the name, masked as on the receipt: "张*"' }),
    product: LocalizedText,
    unit: z.enum(BASE_UNITS),
    quantityReceived: z.number().int(),
    grade: z.string().nullable(),
    bestBefore: z.string().nullable(),
    qcPassed: z.boolean(),
    qcReason: z.string().nullable(),
    takenInAt: z.string(),
    servicePoint: LocalizedText,
    place: z.enum(PUBLIC_LOT_PLACE_VALUES),
    onHand: z.number().int().meta({ description: "Units not yet sold, wherever they are" }),
    soldQuantity: z.number().int(),
    returnedQuantity: z.number().int().meta({ description: "Units handed back to the villager" }),
    sales: z.array(z.object({ at: z.string(), quantity: z.number().int() })),
    earnings: z.array(
      z.object({
        at: z.string(),
        kind: z.enum(LOT_EARNING_ENTRY_KINDS),
        amountFen: z.number().int().meta({ description: "Credited to the villager (after commission)" }),
        grossFen: z.number().int().nullable(),
        commissionFen: z.number().int().nullable(),
        quantity: z.number().int().nullable(),
      }),
    ),
    earnedFen: z.number().int().meta({ description: "Sum of the earnings lines, in fen" }),
  })
  .meta({ id: "PublicLot" });
export type PublicLot = z.infer<typeof PublicLot>;

export const RECEIPT_SHOW_FORMATS = ["screen"] as const;

/** POST /v1/lots/{id}/receipt-prints: a receipt shown on screen, logged; and where its QR code points. */
export const ReceiptShown = z
  .object({
    id: z.string(),
    at: z.string(),
    publicUrl: z.string().meta({ description: "The villager's public page of the lot (the QR code)" }),
    paperPrints: z.number().int().meta({ description: "Paper copies printed so far (a next one says 补打)" }),
  })
  .meta({ id: "ReceiptShown" });
export type ReceiptShown = z.infer<typeof ReceiptShown>;
