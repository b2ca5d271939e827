import {
  FULFILMENT_TYPES,
  ORDER_STATUSES,
  PAYMENT_METHODS,
  PAYMENT_PROVIDERS,
  PAYMENT_STATUSES,
} from "@coop/shared";
import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt, idColumn, oneOf, updatedAt } from "./_columns";
import { consignors } from "./consignors";
import { coops, locations } from "./coop";
import { products, saleUnits } from "./products";
import { staffUsers } from "./staff";
import { lots } from "./stock";

export {
  FULFILMENT_TYPES,
  ORDER_STATUSES,
  type OrderStatus,
  PAYMENT_METHODS,
  PAYMENT_PROVIDERS,
  PAYMENT_STATUSES,
  type PaymentMethod,
  type PaymentStatus,
} from "@coop/shared";

import { harvestCampaigns } from "./campaigns";
import { flashSales } from "./flash-sales";

export const orders = pgTable(
  "orders",
  {
    id: idColumn(),
    coopId: text()
      .notNull()
      .references(() => coops.id),
    status: text({ enum: ORDER_STATUSES }).notNull(),
    contactName: text().notNull(),
    contactPhone: text().notNull(),
    fulfilmentType: text({ enum: FULFILMENT_TYPES }).notNull(),
    pickupLocationId: text().references(() => locations.id),
    deliveryAddress: text(),
    paymentMethod: text({ enum: PAYMENT_METHODS }).notNull(),
    subtotalFen: bigint({ mode: "number" }).notNull(),
    deliveryFeeFen: bigint({ mode: "number" }).notNull().default(0),
    totalFen: bigint({ mode: "number" }).notNull(),
    /** SHA-256 of the buyer's order access token (the token itself is shown once, at checkout). */
    accessTokenHash: text().notNull(),
    /**
     * Keyed hash (HMAC-SHA256, the API's PICKUP_CODE_SECRET) of the 6-digit code the buyer shows at the
     * point; never the code itself (docs/decisions/0017-pickup-codes.md).
     */
    pickupCodeHash: text(),
    /** Wrong pickup proofs since the last unlock; at 5 the order is locked for hand-over (pickupLockedAt). */
    pickupFailures: integer().notNull().default(0),
    pickupLockedAt: timestamp({ withTimezone: true, mode: "date" }),
    /** Staff member who placed it for a villager (帮代办), and the villager it is for. */
    placedByUserId: text().references(() => staffUsers.id),
    onBehalfOfConsignorId: text().references(() => consignors.id),
    /** The flash sale it was bought in (its price and set-aside stock), if any. */
    flashSaleId: text().references(() => flashSales.id),
    /** The harvest campaign it pre-ordered in (its price; it waits in `preordered` until allocated). */
    campaignId: text().references(() => harvestCampaigns.id),
    /** When an unpaid reservation lapses. */
    expiresAt: timestamp({ withTimezone: true, mode: "date" }),
    trackingNumber: text(),
    note: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("orders_status_check", oneOf("status", ORDER_STATUSES)),
    check("orders_payment_method_check", oneOf("payment_method", PAYMENT_METHODS)),
    check("orders_fulfilment_check", oneOf("fulfilment_type", FULFILMENT_TYPES)),
    check("orders_amounts_non_negative", sql`subtotal_fen >= 0 AND delivery_fee_fen >= 0`),
    check("orders_total_adds_up", sql`total_fen = subtotal_fen + delivery_fee_fen`),
    check("orders_pickup_failures_non_negative", sql`pickup_failures >= 0`),
    check(
      "orders_fulfilment_target",
      sql`(fulfilment_type = 'pickup' AND pickup_location_id IS NOT NULL) OR (fulfilment_type = 'delivery' AND delivery_address IS NOT NULL)`,
    ),
    index("orders_status_created_idx").on(t.status, t.createdAt),
    // Exports read a co-op's orders in pages of (created_at, id) (decision 0043).
    index("orders_coop_created_idx").on(t.coopId, t.createdAt, t.id),
    index("orders_pickup_location_idx").on(t.pickupLocationId, t.status),
    index("orders_contact_phone_idx").on(t.contactPhone),
    // A buyer's history (signed in by phone): that phone's orders newest first, keyset-paged by id.
    index("orders_contact_phone_id_idx").on(t.contactPhone, t.id),
    // Finding an order by the code the buyer shows: every order at the point with that code, in one probe.
    index("orders_pickup_code_idx")
      .on(t.pickupLocationId, t.pickupCodeHash)
      .where(sql`pickup_code_hash IS NOT NULL`),
    // Partial: only unpaid online orders expire and only assisted orders are for a villager, so a cash
    // order (most of a flash sale) writes two index entries fewer.
    index("orders_expires_idx").on(t.expiresAt).where(sql`expires_at IS NOT NULL`),
    index("orders_on_behalf_idx")
      .on(t.onBehalfOfConsignorId)
      .where(sql`on_behalf_of_consignor_id IS NOT NULL`),
    index("orders_flash_sale_idx").on(t.flashSaleId).where(sql`flash_sale_id IS NOT NULL`),
    // Allocation walks a campaign's pre-orders in the order they were placed.
    index("orders_campaign_idx").on(t.campaignId, t.createdAt, t.id).where(sql`campaign_id IS NOT NULL`),
    check("orders_one_special_sale", sql`flash_sale_id IS NULL OR campaign_id IS NULL`),
  ],
);

export const orderLines = pgTable(
  "order_lines",
  {
    id: idColumn(),
    orderId: text()
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    productId: text()
      .notNull()
      .references(() => products.id),
    /** The location whose stock this line reserved and will ship from. */
    locationId: text()
      .notNull()
      .references(() => locations.id),
    /** Base units this line reserves and ships: units × unitSize (less for a part left after a shortfall). */
    quantity: integer().notNull(),
    /** The sale unit bought (null for lines from before sale units: those count base units, size 1). */
    saleUnitId: text().references(() => saleUnits.id),
    /** Sale units bought, and the unit's size and price (unitPriceFen) when the order was placed. */
    units: integer().notNull(),
    unitSize: integer().notNull(),
    /** Price of ONE SALE UNIT at the time (of one base unit for lines from before sale units: size 1). */
    unitPriceFen: integer().notNull(),
    lineTotalFen: bigint({ mode: "number" }).notNull(),
  },
  (t) => [
    check("order_lines_quantity_positive", sql`quantity > 0`),
    check("order_lines_price_non_negative", sql`unit_price_fen >= 0`),
    check("order_lines_units_positive", sql`units > 0 AND unit_size > 0`),
    // units = ⌈quantity / size⌉ and the total is at most units × price: exactly that for every line as
    // placed, and for every line of size 1; a line of a larger unit left part-delivered after a shortfall
    // keeps its share of the line's money (largest remainder, docs/SETTLEMENT.md).
    check(
      "order_lines_total_adds_up",
      sql`quantity > (units - 1)::bigint * unit_size AND quantity <= units::bigint * unit_size
        AND line_total_fen BETWEEN 0 AND units::bigint * unit_price_fen
        AND (unit_size > 1 OR line_total_fen = units::bigint * unit_price_fen)`,
    ),
    index("order_lines_order_idx").on(t.orderId),
    index("order_lines_product_idx").on(t.productId),
  ],
);

/** Which lots a sold line was drawn from (FEFO): the link a recall follows from a lot to its buyers. */
export const orderLineLots = pgTable(
  "order_line_lots",
  {
    orderLineId: text()
      .notNull()
      .references(() => orderLines.id, { onDelete: "cascade" }),
    lotId: text()
      .notNull()
      .references(() => lots.id),
    quantity: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderLineId, t.lotId] }),
    check("order_line_lots_quantity_positive", sql`quantity > 0`),
    index("order_line_lots_lot_idx").on(t.lotId),
  ],
);

export const orderStatusHistory = pgTable(
  "order_status_history",
  {
    id: idColumn(),
    orderId: text()
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    fromStatus: text({ enum: ORDER_STATUSES }),
    toStatus: text({ enum: ORDER_STATUSES }).notNull(),
    actorUserId: text().references(() => staffUsers.id),
    note: text(),
    createdAt: createdAt(),
  },
  (t) => [index("order_status_history_order_idx").on(t.orderId, t.createdAt)],
);

export const payments = pgTable(
  "payments",
  {
    id: idColumn(),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    method: text({ enum: PAYMENT_METHODS }).notNull(),
    provider: text({ enum: PAYMENT_PROVIDERS }).notNull(),
    /** The provider's id, e.g. a Stripe PaymentIntent id; unique so one intent is never counted twice. */
    providerRef: text().unique(),
    amountFen: bigint({ mode: "number" }).notNull(),
    refundedFen: bigint({ mode: "number" }).notNull().default(0),
    status: text({ enum: PAYMENT_STATUSES }).notNull(),
    /** Cash: the staff member who took it, and where (their day-close and hand-in count it). */
    receivedByUserId: text().references(() => staffUsers.id),
    locationId: text().references(() => locations.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("payments_status_check", oneOf("status", PAYMENT_STATUSES)),
    check("payments_method_check", oneOf("method", PAYMENT_METHODS)),
    check("payments_provider_check", oneOf("provider", PAYMENT_PROVIDERS)),
    check("payments_amount_positive", sql`amount_fen > 0`),
    check("payments_refund_within_amount", sql`refunded_fen >= 0 AND refunded_fen <= amount_fen`),
    index("payments_order_idx").on(t.orderId),
    index("payments_cash_receiver_idx")
      .on(t.receivedByUserId, t.createdAt)
      .where(sql`received_by_user_id IS NOT NULL`),
  ],
);
