import type { Executor } from "@coop/db";
import {
  consignors,
  coops,
  locations,
  type OrderStatus,
  orderLines,
  orders,
  payments,
  stockLevels,
} from "@coop/db/schema";
import { mayActAtPoint, newId } from "@coop/shared";
import type { CreateOrder } from "@coop/shared/contract";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { StaffPrincipal } from "../../lib/context";
import { ApiError } from "../../lib/errors";
import { hashToken } from "../auth/tokens";
import { PROGRESS_TEXT, STATEMENT_TEXT } from "../line-codes";
import { servicePointClosed } from "../locations/service-point-state";
import { postConsignorEntry } from "../settlement/consignor-ledger";
import { recordSale } from "../settlement/record-sale";
import { queueSms } from "./notify";
import { invalid, mergeItems, type PlaceOrderDeps, quantityRefusal } from "./order-rules";
import { recordInitialStatus, transition } from "./order-status";
import { createPaymentIntent } from "./payment-intent";
import { randomCode } from "./pickup-codes";
import { priceOrderItems } from "./price-items";
import { newOrderAccessToken } from "./tokens";

interface PricedLine {
  id: string;
  productId: string;
  locationId: string;
  /** Base units: units × unitSize. */
  quantity: number;
  saleUnitId: string;
  units: number;
  unitSize: number;
  /** Price of one sale unit. */
  unitPriceFen: number;
  lineTotalFen: number;
}

/**
 * Places an order a staff member makes for a villager (帮代办, `onBehalfOf`): the general rules are checked
 * by placeOrder first. Prices come from the database; every line's stock is reserved by ONE conditional
 * UPDATE (no read-then-write race): if any line is short, nothing is reserved and the order is refused with
 * 409 OUT_OF_STOCK naming the short lines. An assisted order may be set against the villager's consignment
 * balance (then it is paid at once). Rare and staff-paced, so it stays step by step in TypeScript; buyers'
 * orders take the one-call path in place-order.ts.
 */
export async function placeAssistedOrder(
  deps: PlaceOrderDeps,
  input: { data: CreateOrder; staff: StaffPrincipal },
) {
  const { db } = deps;
  const { data, staff } = input;
  const method = data.payment.method;

  const wanted = mergeItems(data.items);
  const productIds = [...new Set(wanted.map((w) => w.productId))];

  // Priced by the same database function as buyers' orders (price_order_items, migration 0021): one rule
  // for sale units, their prices, minimums and steps.
  const priced = await priceOrderItems(db, wanted);
  const missing = data.items
    .map((item, i) => ({ item, i }))
    .filter(({ item }) => priced.missing.includes(item.productId));
  if (missing.length)
    invalid(missing.map(({ i }) => ({ path: `items.${i}.productId`, message: "no such product on sale" })));
  if (priced.missing_units.length) {
    invalid(
      data.items
        .map((item, i) => ({ item, i }))
        .filter(({ item }) => priced.missing_units.some((m) => m.productId === item.productId))
        .map(({ i }) => ({
          path: `items.${i}.saleUnitId`,
          message: "not a sale unit of this product on sale",
        })),
    );
  }
  if (priced.bad.length) throw quantityRefusal(data, priced.bad);
  const coopId = priced.coop_id;
  const [coop] = await db.select().from(coops).where(eq(coops.id, coopId));

  let pickupPoint: typeof locations.$inferSelect | undefined;
  if (data.fulfilment.type === "pickup") {
    [pickupPoint] = await db.select().from(locations).where(eq(locations.id, data.fulfilment.servicePointId));
    if (pickupPoint?.kind === "service_point" && !pickupPoint.active) throw servicePointClosed();
    if (pickupPoint?.kind !== "service_point" || !pickupPoint.active) {
      invalid([{ path: "fulfilment.servicePointId", message: "no such service point" }]);
    }
  }
  const [consignor] = await db
    .select()
    .from(consignors)
    .where(eq(consignors.id, data.onBehalfOf!.consignorId));
  if (!consignor) invalid([{ path: "onBehalfOf.consignorId", message: "no such villager" }]);
  if (!mayActAtPoint(staff, consignor.servicePointId, { allowWarehouse: true })) {
    throw new ApiError("FORBIDDEN", "This villager belongs to another service point.");
  }
  if (staff.role === "warehouse")
    throw new ApiError("FORBIDDEN", "Warehouse staff do not place orders for villagers.");

  const [warehouse] = await db
    .select({ id: locations.id })
    .from(locations)
    .where(and(eq(locations.coopId, coopId), eq(locations.kind, "warehouse")))
    .orderBy(asc(locations.code))
    .limit(1);
  // A pickup order is served from the pickup point's own shelf when it has enough, else from the warehouse.
  const atPoint = pickupPoint
    ? await db
        .select({
          productId: stockLevels.productId,
          available: sql<number>`${stockLevels.onHand} - ${stockLevels.reserved}`,
        })
        .from(stockLevels)
        .where(and(eq(stockLevels.locationId, pickupPoint.id), inArray(stockLevels.productId, productIds)))
    : [];
  const lines: PricedLine[] = priced.items.map((item) => {
    const local = atPoint.find((s) => s.productId === item.product_id);
    const locationId =
      pickupPoint && local && Number(local.available) >= item.quantity ? pickupPoint.id : warehouse?.id;
    if (!locationId) throw new ApiError("OUT_OF_STOCK", "The co-op has no warehouse stock to sell from.");
    return {
      id: newId("orderLine"),
      productId: item.product_id,
      locationId,
      quantity: item.quantity,
      saleUnitId: item.sale_unit_id,
      units: item.units,
      unitSize: item.size,
      unitPriceFen: item.price,
      lineTotalFen: item.units * item.price,
    };
  });
  const subtotalFen = lines.reduce((s, l) => s + l.lineTotalFen, 0);
  const deliveryFeeFen =
    data.fulfilment.type === "delivery" &&
    !(coop!.freeDeliveryOverFen !== null && subtotalFen >= coop!.freeDeliveryOverFen)
      ? coop!.deliveryFeeFen
      : 0;
  const totalFen = subtotalFen + deliveryFeeFen;
  const online = method === "card" || method === "alipay" || method === "wechat_pay";
  const orderId = newId("order");
  const accessToken = newOrderAccessToken();
  // Random, not derived from the token: the agent placing the order holds the token, and must not be able
  // to read the villager's code back (decision 0017). The villager gets it by SMS only.
  const pickupCode = pickupPoint ? randomCode() : null;
  const expiresAt = online ? new Date(Date.now() + coop!.unpaidOrderSeconds * 1000) : null;

  await db.transaction(async (tx) => {
    await reserveAll(tx, lines, new Set(data.items.flatMap((i) => (i.saleUnitId ? [i.saleUnitId] : []))));
    await tx.insert(orders).values({
      id: orderId,
      coopId,
      status: online ? "pending_payment" : "confirmed",
      contactName: data.contact.name,
      contactPhone: data.contact.phone,
      fulfilmentType: data.fulfilment.type,
      pickupLocationId: pickupPoint?.id ?? null,
      deliveryAddress: data.fulfilment.type === "delivery" ? data.fulfilment.address : null,
      paymentMethod: method,
      subtotalFen,
      deliveryFeeFen,
      totalFen,
      accessTokenHash: hashToken(accessToken),
      pickupCodeHash: pickupPoint && pickupCode ? deps.pickupCodes.hash(pickupPoint.id, pickupCode) : null,
      placedByUserId: staff.id,
      onBehalfOfConsignorId: consignor.id,
      expiresAt,
      note: data.note ?? null,
    });
    await tx.insert(orderLines).values(lines.map((l) => ({ ...l, orderId })));
    await recordInitialStatus(tx, orderId, online ? "pending_payment" : "confirmed", {
      actorUserId: staff.id,
      note: PROGRESS_TEXT.placed_by_staff,
    });
    if (online) {
      await tx.insert(payments).values({
        id: newId("payment"),
        orderId,
        method,
        provider: "stripe",
        amountFen: totalFen,
        status: "pending",
      });
    }
    if (method === "consignor_balance") {
      await postConsignorEntry(
        tx,
        {
          consignorId: consignor.id,
          kind: "purchase",
          amountFen: -totalFen,
          orderId,
          note: STATEMENT_TEXT.farm_supplies,
          actorUserId: staff.id,
        },
        { requireBalance: true },
      );
      await tx.insert(payments).values({
        id: newId("payment"),
        orderId,
        method,
        provider: "consignor_balance",
        amountFen: totalFen,
        status: "succeeded",
      });
      for (const l of lines) {
        await recordSale(tx, {
          productId: l.productId,
          locationId: l.locationId,
          quantity: l.quantity,
          grossFen: l.lineTotalFen,
          orderId,
          orderLineId: l.id,
          fromReserved: true,
          actorUserId: staff.id,
        });
      }
      await transition(tx, orderId, ["confirmed"], "paid", {
        actorUserId: staff.id,
        note: PROGRESS_TEXT.set_against_earnings,
      });
    }
    await queueSms(tx, {
      // The code goes to the phone on the villager's own record, not a number the agent typed.
      to: consignor.phone,
      template: "order_placed",
      data: { orderId, totalFen, pickupCode },
      orderId,
    });
  });

  let clientSecret: string | undefined;
  if (online) clientSecret = await createPaymentIntent(deps, { orderId, totalFen, method });
  return {
    id: orderId,
    // Known without asking: online → pending_payment, set against earnings → paid, cash → confirmed.
    status: (online
      ? "pending_payment"
      : method === "consignor_balance"
        ? "paid"
        : "confirmed") as OrderStatus,
    totalFen,
    accessToken,
    // The answer goes to the agent: the code only to the villager's phone.
    pickupCode: null,
    expiresAt: expiresAt?.toISOString() ?? null,
    payment: { method, ...(clientSecret ? { clientSecret } : {}) },
  };
}

/**
 * The one conditional UPDATE that reserves every line: it raises `reserved` only where enough is free, so
 * if the rows it touched are fewer than the lines, some line was short and the transaction is abandoned.
 */
async function reserveAll(tx: Executor, lines: PricedLine[], named: Set<string>) {
  // One row per (product, place): two sale units of one product (个 and 盒) reserve their sum.
  const perPlace = new Map<string, { productId: string; locationId: string; quantity: number }>();
  for (const l of lines) {
    const key = `${l.productId} ${l.locationId}`;
    const seen = perPlace.get(key);
    if (seen) seen.quantity += l.quantity;
    else perPlace.set(key, { productId: l.productId, locationId: l.locationId, quantity: l.quantity });
  }
  const values = sql.join(
    [...perPlace.values()].map((l) => sql`(${l.productId}, ${l.locationId}, ${l.quantity}::integer)`),
    sql`, `,
  );
  const reserved = (await tx.execute(sql`
    UPDATE stock_levels AS s SET reserved = s.reserved + v.q
    FROM (VALUES ${values}) AS v(product_id, location_id, q)
    WHERE s.product_id = v.product_id AND s.location_id = v.location_id AND s.on_hand - s.reserved >= v.q
    RETURNING s.product_id`)) as unknown as
    | { rows?: Array<{ product_id: string }> }
    | Array<{ product_id: string }>;
  const rows = Array.isArray(reserved) ? reserved : (reserved.rows ?? []);
  if (rows.length === perPlace.size) return;
  const short = lines.filter((l) => !rows.some((r) => r.product_id === l.productId));
  const levels = await tx
    .select({
      productId: stockLevels.productId,
      locationId: stockLevels.locationId,
      onHand: stockLevels.onHand,
      reserved: stockLevels.reserved,
    })
    .from(stockLevels)
    .where(
      inArray(
        stockLevels.productId,
        short.map((l) => l.productId),
      ),
    );
  const availableFor = (l: PricedLine) => {
    const level = levels.find((s) => s.productId === l.productId && s.locationId === l.locationId);
    return level ? Math.max(0, level.onHand - level.reserved) : 0;
  };
  throw new ApiError("OUT_OF_STOCK", "Some items are not available in that quantity any more.", {
    details: {
      lines: short.map((l) => ({
        productId: l.productId,
        ...(named.has(l.saleUnitId) ? { saleUnitId: l.saleUnitId } : {}),
        requested: l.units,
        available: Math.floor(availableFor(l) / l.unitSize),
      })),
    },
  });
}
