import type { Executor } from "@coop/db";
import {
  locations,
  type OrderStatus,
  orderLines,
  orderStatusHistory,
  orders,
  payments,
  products,
  saleUnits,
} from "@coop/db/schema";
import { and, asc, desc, eq, inArray, lt, type SQL } from "drizzle-orm";
import { orderProgressLine } from "../line-codes";
import type { PickupCodes } from "./pickup-codes";

type OrderRow = typeof orders.$inferSelect;

/**
 * The order as staff see it: lines with names, payment state, fulfilment and its history, and no pickup
 * code (decision 0017). The buyer's view adds their code with buyerPickupCode.
 */
export async function orderViews(db: Executor, rows: OrderRow[]) {
  if (rows.length === 0) return [];
  const ids = rows.map((o) => o.id);
  const lines = await db
    .select({ line: orderLines, nameZh: products.nameZh, nameEn: products.nameEn, unit: products.unit })
    .from(orderLines)
    .innerJoin(products, eq(products.id, orderLines.productId))
    .where(inArray(orderLines.orderId, ids));
  // The units' names by their keys, only for lines that have one (lines from before sale units do not).
  const unitIds = [...new Set(lines.map((l) => l.line.saleUnitId).filter((x): x is string => Boolean(x)))];
  const units = unitIds.length
    ? await db
        .select({ id: saleUnits.id, labelZh: saleUnits.labelZh, labelEn: saleUnits.labelEn })
        .from(saleUnits)
        .where(inArray(saleUnits.id, unitIds))
    : [];
  const pays = await db.select().from(payments).where(inArray(payments.orderId, ids));
  const history = await db
    .select()
    .from(orderStatusHistory)
    .where(inArray(orderStatusHistory.orderId, ids))
    .orderBy(asc(orderStatusHistory.createdAt), asc(orderStatusHistory.id));
  const pointIds = [...new Set(rows.map((o) => o.pickupLocationId).filter((x): x is string => Boolean(x)))];
  const points = pointIds.length
    ? await db.select().from(locations).where(inArray(locations.id, pointIds))
    : [];

  const saleUnitOf = (id: string | null) => {
    const unit = id ? units.find((u) => u.id === id) : undefined;
    return unit ? { id: unit.id, label: { zh: unit.labelZh, en: unit.labelEn } } : null;
  };

  return rows.map((o) => {
    const payment = pays.filter((p) => p.orderId === o.id).at(-1);
    const point = points.find((p) => p.id === o.pickupLocationId);
    return {
      id: o.id,
      status: o.status,
      subtotalFen: o.subtotalFen,
      deliveryFeeFen: o.deliveryFeeFen,
      totalFen: o.totalFen,
      items: lines
        .filter((l) => l.line.orderId === o.id)
        .map((l) => ({
          id: l.line.id,
          productId: l.line.productId,
          name: { zh: l.nameZh, en: l.nameEn },
          unit: l.unit,
          quantity: l.line.quantity,
          saleUnit: saleUnitOf(l.line.saleUnitId),
          units: l.line.units,
          unitSize: l.line.unitSize,
          unitPriceFen: l.line.unitPriceFen,
          lineTotalFen: l.line.lineTotalFen,
          locationId: l.line.locationId,
        })),
      payment: {
        method: o.paymentMethod,
        status: (payment?.status === "requires_action" ? "pending" : (payment?.status ?? "unpaid")) as
          | "unpaid"
          | "pending"
          | "succeeded"
          | "failed"
          | "refunded"
          | "partially_refunded"
          | "canceled",
        paidFen:
          payment && ["succeeded", "refunded", "partially_refunded"].includes(payment.status)
            ? payment.amountFen
            : 0,
        refundedFen: payment?.refundedFen ?? 0,
      },
      fulfilment: {
        type: o.fulfilmentType,
        servicePointId: o.pickupLocationId,
        servicePointName: point ? { zh: point.nameZh, en: point.nameEn } : null,
        address: o.deliveryAddress,
        trackingNumber: o.trackingNumber,
      },
      contact: { name: o.contactName, phone: o.contactPhone },
      // Never the code: only its hash is stored. The buyer's own view fills it in (buyerPickupCode).
      pickupCode: null as string | null,
      pickupLocked: o.pickupLockedAt !== null,
      onBehalfOfConsignorId: o.onBehalfOfConsignorId,
      history: history
        .filter((h) => h.orderId === o.id)
        .map((h) => ({
          status: h.toStatus,
          at: h.createdAt.toISOString(),
          note: h.note,
          noteLine: orderProgressLine(h.note),
        })),
      expiresAt: o.expiresAt?.toISOString() ?? null,
      createdAt: o.createdAt.toISOString(),
    };
  });
}

export async function getOrderRow(db: Executor, id: string) {
  const [row] = await db.select().from(orders).where(eq(orders.id, id));
  return row;
}

export async function listOrders(
  db: Executor,
  filter: {
    status?: OrderStatus | undefined;
    pickupLocationId?: string | undefined;
    phone?: string | undefined;
    beforeId?: string | undefined;
    limit: number;
  },
) {
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(orders.status, filter.status));
  if (filter.pickupLocationId) conditions.push(eq(orders.pickupLocationId, filter.pickupLocationId));
  if (filter.phone) conditions.push(eq(orders.contactPhone, filter.phone));
  if (filter.beforeId) conditions.push(lt(orders.id, filter.beforeId));
  const rows = await db
    .select()
    .from(orders)
    .where(and(...conditions))
    .orderBy(desc(orders.id))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  return {
    items: await orderViews(db, page),
    nextCursor: rows.length > filter.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/**
 * The pickup code for the holder of the order's access token: derived from the token, shown only when it
 * is the code whose hash the order keeps (an order placed for a villager has a random code, sent by SMS).
 */
export function buyerPickupCode(order: OrderRow, accessToken: string, codes: PickupCodes): string | null {
  if (order.fulfilmentType !== "pickup" || !order.pickupLocationId) return null;
  const code = codes.codeFor(accessToken);
  return codes.matches(order.pickupLocationId, code, order.pickupCodeHash) ? code : null;
}
