import { z } from "zod";
import { MAX_LOT_QUANTITY } from "../bounds";
import {
  DELIVERY_LINE_GOODS,
  DELIVERY_RUN_STATUSES,
  DISCREPANCY_KINDS,
  ORDER_STATUSES,
  SHORTFALL_RESOLUTIONS,
} from "../closed-sets";
import { BASE_UNITS } from "../units";
import { LocalizedText, TextInput } from "./common";

export { DELIVERY_RUN_STATUSES as DELIVERY_RUN_STATUS_VALUES, type DeliveryRunStatus } from "../closed-sets";

const Unit = z.enum(BASE_UNITS);

export const BuildDeliveryRuns = z
  .object({
    servicePointId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .meta({ description: "Only this point's waiting orders; default: every point with orders waiting" }),
  })
  .meta({ id: "BuildDeliveryRuns" });

export const ReceiveDeliveryRun = z
  .object({
    lines: z
      .array(
        z.object({
          lineId: z.string().min(1).max(64),
          receivedQuantity: z.number().int().min(0).max(MAX_LOT_QUANTITY),
          discrepancyKind: z.enum(DISCREPANCY_KINDS).optional(),
          note: TextInput.trim().max(200).optional(),
        }),
      )
      .max(2000)
      .meta({ description: "Lines not listed arrived in full" }),
  })
  .meta({ id: "ReceiveDeliveryRun" });
export type ReceiveDeliveryRun = z.infer<typeof ReceiveDeliveryRun>;

const RunSummaryFields = {
  id: z.string(),
  status: z.enum(DELIVERY_RUN_STATUSES),
  fromLocationId: z.string(),
  toLocationId: z.string(),
  toName: LocalizedText,
  createdAt: z.iso.datetime(),
  dispatchedAt: z.iso.datetime().nullable(),
  receivedAt: z.iso.datetime().nullable(),
};

export const DeliveryRunSummary = z
  .object({ ...RunSummaryFields, lineCount: z.number().int(), orderCount: z.number().int() })
  .meta({ id: "DeliveryRunSummary" });

export const DeliveryRunList = z
  .object({ items: z.array(DeliveryRunSummary) })
  .meta({ id: "DeliveryRunList" });
export type DeliveryRunList = z.infer<typeof DeliveryRunList>;

const LotRef = { lotId: z.string(), lotNo: z.string(), bestBefore: z.string().nullable() };

export const DeliveryRun = z
  .object({
    ...RunSummaryFields,
    lines: z.array(
      z.object({
        id: z.string(),
        orderId: z.string(),
        orderLineId: z.string(),
        productId: z.string(),
        productName: LocalizedText,
        unit: Unit,
        goods: z.enum(DELIVERY_LINE_GOODS).meta({
          description:
            "reserved: moves in the stock ledger; sold: already sold at payment; replacement: a re-send, sold at dispatch",
        }),
        quantity: z.number().int(),
        quantityReceived: z.number().int().nullable(),
        discrepancyKind: z.enum(DISCREPANCY_KINDS).nullable(),
        note: z.string().nullable(),
        resolution: z.enum(SHORTFALL_RESOLUTIONS).nullable().meta({
          description:
            "For a short line: re-sent, taken off the order, or (paid order) its missing part refunded; null = waiting for staff",
        }),
        resendOfLineId: z.string().nullable(),
        lots: z.array(z.object({ ...LotRef, quantity: z.number().int() })),
      }),
    ),
    pickList: z
      .array(
        z.object({
          productId: z.string(),
          productName: LocalizedText,
          unit: Unit,
          quantity: z.number().int(),
          lots: z.array(z.object({ ...LotRef, take: z.number().int() })),
        }),
      )
      .meta({ description: "Which lots to take, first-expiring first (after dispatch: the lots that went)" }),
    manifest: z
      .array(
        z.object({
          orderId: z.string(),
          orderStatus: z.enum(ORDER_STATUSES),
          contactName: z.string(),
          phoneTail: z.string().meta({ description: "Last 4 digits of the buyer's phone" }),
          lines: z.array(
            z.object({
              lineId: z.string(),
              productName: LocalizedText,
              unit: Unit,
              quantity: z.number().int(),
              quantityReceived: z.number().int().nullable(),
            }),
          ),
        }),
      )
      .meta({ description: "The packing manifest: what each order at the point gets" }),
  })
  .meta({ id: "DeliveryRun" });
export type DeliveryRun = z.infer<typeof DeliveryRun>;

export const DeliveryRunsBuilt = z
  .object({ items: z.array(DeliveryRunSummary) })
  .meta({ id: "DeliveryRunsBuilt", description: "The runs that gained orders" });

export const PointsWaitingForDelivery = z
  .object({
    items: z.array(
      z.object({
        servicePointId: z.string(),
        code: z.string(),
        name: LocalizedText,
        orderCount: z.number().int(),
        lineCount: z.number().int(),
      }),
    ),
  })
  .meta({ id: "PointsWaitingForDelivery" });
export type PointsWaitingForDelivery = z.infer<typeof PointsWaitingForDelivery>;
