import { z } from "zod";
import { MAX_AMOUNT_FEN, MAX_LOT_QUANTITY, MAX_SPOILAGE_CHARGE_FEN, MAX_UNIT_PRICE_FEN } from "../bounds";
import {
  COLLECTION_STATUSES,
  DISCREPANCY_KINDS,
  LOCATION_KINDS,
  LOT_GRADES,
  LOT_STATUSES,
  ORDER_STATUSES,
  PAYOUT_METHODS,
  RECALL_ORDER_ACTIONS,
  STATEMENT_LINE_KINDS,
  STOCK_MOVEMENT_KINDS,
} from "../closed-sets";
import { BPS_DENOMINATOR } from "../money";
import { BASE_UNITS } from "../units";
import { LocalizedText, TextInput } from "./common";
import { LedgerLine, StatementNoteLine } from "./line-codes";

/** Mainland mobile numbers, digits only (spaces and dashes typed by people are removed first). */
export const Phone = z
  .string()
  .transform((v) => v.replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^1[3-9]\d{9}$/, "an 11-digit mobile number starting with 1"));

export const Consignor = z
  .object({
    id: z.string(),
    name: z.string(),
    phone: z.string(),
    servicePointId: z.string(),
    village: z.string().nullable(),
    showOnProductPages: z
      .boolean()
      .meta({ description: "Consent: name and village may appear on product pages" }),
    balanceFen: z.number().int(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Consignor" });
export type Consignor = z.infer<typeof Consignor>;

/** What an agent learns about a villager registered at another point: enough to not register them twice. */
export const ForeignConsignor = z
  .object({ id: z.string(), name: z.string(), servicePointId: z.string(), servicePointName: LocalizedText })
  .meta({ id: "ForeignConsignor" });

export const ConsignorSearch = z
  .object({ items: z.array(Consignor), elsewhere: z.array(ForeignConsignor) })
  .meta({ id: "ConsignorSearch" });

export const ConsignorRoster = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        phone: z.string(),
        village: z.string().nullable(),
        servicePointId: z.string(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: "ConsignorRoster" });

export const CreateConsignor = z
  .object({
    name: TextInput.trim().min(1).max(40),
    phone: Phone,
    servicePointId: z.string().min(1),
    village: TextInput.trim().max(60).optional(),
    showOnProductPages: z.boolean().default(false),
  })
  .meta({ id: "CreateConsignor" });
export type CreateConsignor = z.infer<typeof CreateConsignor>;

export const UpdateConsignor = z
  .object({
    name: TextInput.trim().min(1).max(40).optional(),
    village: TextInput.trim().max(60).nullable().optional(),
    showOnProductPages: z.boolean().optional(),
  })
  .meta({ id: "UpdateConsignor" });

export const QualityCheck = z
  .discriminatedUnion("passed", [
    z.object({ passed: z.literal(true), note: TextInput.trim().max(200).optional() }),
    z.object({
      passed: z.literal(false),
      reason: TextInput.trim().min(1, "say why the goods failed the check").max(200),
    }),
  ])
  .meta({ id: "QualityCheck" });

export const CreateLot = z
  .object({
    consignorId: z.string().min(1),
    productId: z.string().min(1),
    servicePointId: z.string().min(1),
    quantity: z
      .number()
      .int("a whole number in the product's base unit (pieces, grams, ml, bags)")
      .positive("more than zero")
      .max(MAX_LOT_QUANTITY),
    grade: z.enum(LOT_GRADES).optional().meta({ description: "Quality grade: A best" }),
    bestBefore: z.iso.date().optional().meta({ description: "Required for perishable products" }),
    qc: QualityCheck,
    intakeDeviceId: z.string().min(1).max(64).optional().meta({
      description:
        "Offline intake: the registered device (POST /v1/intake-devices) that numbered this lot. Send with lotNo, or neither.",
    }),
    pledgeId: z.string().min(1).max(64).optional().meta({
      description:
        "Harvest campaign: the villager's pledge this lot delivers on (GET /v1/campaigns/{id}/pledges). The lot must be the campaign's product and the pledge this villager's.",
    }),
    lotNo: z.string().max(40).optional().meta({
      description:
        "Offline intake: the number the device gave and printed, <point code without SP->-<YYYYMMDD China date>-<device segment><001–999>; its date within 60 days before and 1 day after today. Send with intakeDeviceId, or neither (the server then numbers the lot, e.g. HS01-20261202-0007).",
      example: "HS01-20261202-B007",
    }),
  })
  .meta({
    id: "CreateLot",
    description:
      "The Idempotency-Key is kept on the lot for ever: the same key again (any time later) answers this lot; with a different body it is refused (409).",
  });
export type CreateLot = z.infer<typeof CreateLot>;

export { LOT_STATUSES as LOT_STATUS_VALUES } from "../closed-sets";

export const Lot = z
  .object({
    id: z.string(),
    lotNo: z
      .string()
      .meta({ description: "Intake number printed on the receipt", example: "HS01-20261123-0007" }),
    status: z.enum(LOT_STATUSES),
    productId: z.string(),
    productName: LocalizedText,
    unit: z.enum(BASE_UNITS),
    consignorId: z.string().nullable(),
    consignorName: z.string().nullable(),
    originLocationId: z.string(),
    locationId: z.string(),
    quantityReceived: z.number().int(),
    onHand: z.number().int(),
    grade: z.string().nullable(),
    bestBefore: z.string().nullable(),
    qcPassed: z.boolean(),
    qcReason: z.string().nullable(),
    unitPriceFen: z.number().int().meta({ description: "Current price of one base unit" }),
    photoIds: z.array(z.string()),
    receivedByName: z.string().nullable().meta({ description: "The agent who took the lot in" }),
    blockedReason: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Lot" });
export type Lot = z.infer<typeof Lot>;

export const LotList = z
  .object({ items: z.array(Lot), nextCursor: z.string().nullable() })
  .meta({ id: "LotList" });

export const LotCreated = z
  .object({
    id: z.string(),
    lotNo: z.string().meta({
      description:
        "The lot's intake number: the device's own when it sent one (confirm it), else the server's",
      example: "HS01-20261202-B007",
    }),
    status: z.enum(LOT_STATUSES).meta({
      description: "As at intake: in_stock (passed the check) or rejected; a replay answers the same",
    }),
  })
  .meta({ id: "LotCreated" });

export const StockMovementKind = z.enum(STOCK_MOVEMENT_KINDS);

export const StockMovement = z
  .object({
    id: z.string(),
    at: z.iso.datetime(),
    kind: StockMovementKind,
    productId: z.string(),
    locationId: z.string(),
    lotId: z.string().nullable(),
    quantityDelta: z.number().int(),
    reason: z.string().nullable(),
    reasonLine: LedgerLine.optional().meta({
      description: "The reason as a code, for the reader's language",
    }),
    actorUserId: z.string().nullable(),
    orderId: z.string().nullable(),
  })
  .meta({ id: "StockMovement" });

export const LotDetail = Lot.extend({ movements: z.array(StockMovement) }).meta({ id: "LotDetail" });

/** Goods leaving a lot other than by sale: each needs a reason a person can read later. */
export const LotQuantityChange = z
  .object({
    quantity: z.number().int().positive("more than zero").max(MAX_LOT_QUANTITY),
    reason: TextInput.trim().min(1, "say why").max(200),
  })
  .meta({ id: "LotQuantityChange" });

export const SpoilLot = LotQuantityChange.extend({
  /** An agreed disposal charge to the villager, in fen; 0 or absent = no charge (see docs/SETTLEMENT.md). */
  chargeFen: z.number().int().min(0).max(MAX_SPOILAGE_CHARGE_FEN).default(0),
}).meta({ id: "SpoilLot" });

export const CountLot = z
  .object({
    countedQuantity: z.number().int().min(0).max(MAX_LOT_QUANTITY),
    reason: TextInput.trim().min(1).max(200).default("cycle count"),
  })
  .meta({ id: "CountLot" });

export const BlockLot = z
  .object({ reason: TextInput.trim().min(1, "say why").max(300) })
  .meta({ id: "BlockLot" });

/** A lot of a family (the intake lot and every lot a delivery run split off it), where it is now. */
export const LotFamilyMember = z
  .object({
    lotId: z.string(),
    lotNo: z.string().meta({ description: "A split-off lot is numbered <parent>-<n>" }),
    parentLotId: z.string().nullable(),
    status: z.enum(LOT_STATUSES),
    locationId: z.string(),
    locationKind: z.enum(LOCATION_KINDS),
    locationName: LocalizedText,
    onHand: z.number().int(),
    blockedQuantity: z.number().int().meta({ description: "Units a recall took off sale here" }),
  })
  .meta({ id: "LotFamilyMember" });

/**
 * A food-safety recall of a lot's whole family (the intake lot and every lot split off it, wherever each went)
 * and every order it touched, with each buyer's contact for follow-up.
 */
export const LotRecall = z
  .object({
    reason: z.string(),
    at: z.iso.datetime(),
    byName: z.string(),
    askedLotId: z.string().meta({ description: "The lot staff asked to block; its whole family is blocked" }),
    askedLotNo: z.string(),
    lots: z.array(LotFamilyMember).meta({ description: "Every lot of the family, root first" }),
    orders: z.array(
      z.object({
        orderId: z.string(),
        action: z.enum(RECALL_ORDER_ACTIONS).meta({
          description:
            "cancelled (held the stock, nothing paid), refunded (paid, not yet handed over), handed_over (already with the buyer: follow up)",
        }),
        statusBefore: z.string(),
        status: z.string(),
        contactName: z.string(),
        contactPhone: z.string(),
      }),
    ),
  })
  .meta({ id: "LotRecall" });

/** The answer to a block: the lot, its recall, and any Stripe refund that could not be sent yet. */
export const LotRecallResult = LotDetail.extend({
  recall: LotRecall.nullable(),
  refundsNotSent: z.array(z.string()).meta({
    description:
      "Orders whose Stripe refund is recorded but could not be sent (logged): refund them in the Stripe dashboard",
  }),
}).meta({ id: "LotRecallResult" });

export const LotTrace = z
  .object({
    recall: LotRecall.nullable(),
    lotId: z.string(),
    lotNo: z.string(),
    status: z.enum(LOT_STATUSES),
    consignorId: z.string().nullable(),
    quantityReceived: z.number().int(),
    onHand: z.number().int(),
    movements: z.array(StockMovement),
    family: z.array(LotFamilyMember).meta({
      description: "The intake lot and every lot split off it (delivery runs), root first, where each is now",
    }),
    orders: z.array(
      z.object({
        orderId: z.string(),
        status: z.enum(ORDER_STATUSES),
        quantity: z.number().int().meta({ description: "Units of the whole family the order received" }),
        lots: z.array(z.object({ lotId: z.string(), lotNo: z.string(), quantity: z.number().int() })),
        contactName: z.string(),
        contactPhone: z.string(),
        at: z.iso.datetime(),
      }),
    ),
  })
  .meta({ id: "LotTrace" });

export const CreateCollection = z
  .object({
    fromServicePointId: z.string().min(1),
    toLocationId: z.string().min(1).optional().meta({ description: "Default: the co-op warehouse" }),
    lotIds: z.array(z.string().min(1)).min(1).max(500),
  })
  .meta({ id: "CreateCollection" });

export { DISCREPANCY_KINDS } from "../closed-sets";

export const ReceiveCollection = z
  .object({
    lines: z
      .array(
        z.object({
          lotId: z.string().min(1),
          receivedQuantity: z.number().int().min(0).max(MAX_LOT_QUANTITY),
          discrepancyKind: z.enum(DISCREPANCY_KINDS).optional(),
          note: TextInput.trim().max(200).optional(),
        }),
      )
      .min(1),
  })
  .meta({ id: "ReceiveCollection" });

export const Collection = z
  .object({
    id: z.string(),
    status: z.enum(COLLECTION_STATUSES),
    fromLocationId: z.string(),
    toLocationId: z.string(),
    createdAt: z.iso.datetime(),
    receivedAt: z.iso.datetime().nullable(),
    lines: z.array(
      z.object({
        lotId: z.string(),
        lotNo: z.string(),
        productName: LocalizedText,
        unit: z.enum(BASE_UNITS),
        quantitySent: z.number().int(),
        quantityReceived: z.number().int().nullable(),
        discrepancyKind: z.enum(DISCREPANCY_KINDS).nullable(),
        note: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: "Collection" });
export type Collection = z.infer<typeof Collection>;

export const CollectionList = z.object({ items: z.array(Collection) }).meta({ id: "CollectionList" });

export const StockByProduct = z
  .object({
    productId: z.string(),
    locations: z.array(
      z.object({
        locationId: z.string(),
        onHand: z.number().int(),
        reserved: z.number().int(),
        available: z.number().int(),
      }),
    ),
  })
  .meta({ id: "StockByProduct" });

export const StockLevelRow = z
  .object({
    productId: z.string(),
    productName: LocalizedText,
    unit: z.enum(BASE_UNITS),
    locationId: z.string(),
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int(),
    lowStockThreshold: z.number().int().nullable(),
    low: z.boolean(),
  })
  .meta({ id: "StockLevelRow" });

export const StockLevelList = z.object({ items: z.array(StockLevelRow) }).meta({ id: "StockLevelList" });

export const SetThreshold = z
  .object({
    productId: z.string(),
    locationId: z.string(),
    threshold: z.number().int().min(0).max(MAX_LOT_QUANTITY).nullable(),
  })
  .meta({ id: "SetThreshold" });

export { STATEMENT_LINE_KINDS } from "../closed-sets";

export const Statement = z
  .object({
    consignorId: z.string(),
    consignorName: z.string(),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    openingFen: z.number().int(),
    lines: z.array(
      z.object({
        at: z.iso.datetime(),
        kind: z.enum(STATEMENT_LINE_KINDS),
        lotId: z.string().optional(),
        lotNo: z.string().optional(),
        orderId: z.string().optional(),
        payoutId: z.string().optional(),
        productName: LocalizedText.optional(),
        quantity: z.number().int().optional(),
        unit: z.enum(BASE_UNITS).optional(),
        grossFen: z.number().int().optional().meta({ description: "Sale amount before commission" }),
        commissionFen: z.number().int().optional(),
        amountFen: z
          .number()
          .int()
          .meta({ description: "Effect on the villager's balance; 0 for goods-only lines" }),
        balanceFen: z.number().int().meta({ description: "Running balance after this line" }),
        note: z.string().optional(),
        noteLine: StatementNoteLine.optional().meta({
          description: "The note as a code, for the reader's language",
        }),
      }),
    ),
    closingFen: z.number().int(),
  })
  .meta({ id: "Statement" });
export type Statement = z.infer<typeof Statement>;

export const CreatePayout = z
  .object({
    consignorId: z.string().min(1),
    amountFen: z.number().int("whole fen").positive("more than zero").max(MAX_AMOUNT_FEN),
    method: z.enum(PAYOUT_METHODS),
    note: TextInput.trim().max(200).optional(),
  })
  .meta({ id: "CreatePayout" });

export const Payout = z
  .object({
    id: z.string(),
    consignorId: z.string(),
    consignorName: z.string(),
    consignorPhone: z.string(),
    servicePointId: z.string(),
    amountFen: z.number().int(),
    method: z.enum(PAYOUT_METHODS),
    balanceAfterFen: z.number().int(),
    paidByName: z.string(),
    note: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Payout" });

export const UpdateProduct = z
  .object({
    name: z.object({ zh: TextInput.trim().min(1).max(80), en: TextInput.trim().min(1).max(120) }).optional(),
    description: z.object({ zh: TextInput.max(2000), en: TextInput.max(2000) }).optional(),
    priceFen: z.number().int().min(0).max(MAX_UNIT_PRICE_FEN).optional(),
    commissionBps: z.number().int().min(0).max(BPS_DENOMINATOR).nullable().optional(),
    active: z.boolean().optional(),
  })
  .meta({ id: "UpdateProduct" });
