import {
  DELIVERY_LINE_GOODS,
  DELIVERY_RUN_STATUSES,
  DISCREPANCY_KINDS,
  SHORTFALL_RESOLUTIONS,
} from "@coop/shared";
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, idColumn, oneOf } from "./_columns";
import { coops, locations } from "./coop";
import { orderLines, orders } from "./orders";
import { products } from "./products";
import { staffUsers } from "./staff";
import { lots } from "./stock";

export {
  DELIVERY_LINE_GOODS,
  DELIVERY_RUN_STATUSES,
  type DeliveryLineGoods,
  type DeliveryRunStatus,
  SHORTFALL_RESOLUTIONS,
  type ShortfallResolution,
} from "@coop/shared";

/** A delivery run (配送): orders' goods carried together from the warehouse to one service point. */
export const deliveryRuns = pgTable(
  "delivery_runs",
  {
    id: idColumn(),
    coopId: text()
      .notNull()
      .references(() => coops.id),
    fromLocationId: text()
      .notNull()
      .references(() => locations.id),
    toLocationId: text()
      .notNull()
      .references(() => locations.id),
    status: text({ enum: DELIVERY_RUN_STATUSES }).notNull(),
    createdByUserId: text()
      .notNull()
      .references(() => staffUsers.id),
    dispatchedByUserId: text().references(() => staffUsers.id),
    dispatchedAt: timestamp({ withTimezone: true, mode: "date" }),
    receivedByUserId: text().references(() => staffUsers.id),
    receivedAt: timestamp({ withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [
    check("delivery_runs_status_check", oneOf("status", DELIVERY_RUN_STATUSES)),
    check(
      "delivery_runs_dispatched_consistent",
      sql`(status = 'packing') = (dispatched_at IS NULL) AND (dispatched_at IS NULL) = (dispatched_by_user_id IS NULL)`,
    ),
    check(
      "delivery_runs_received_consistent",
      sql`(status = 'received') = (received_at IS NOT NULL) AND (received_at IS NULL) = (received_by_user_id IS NULL)`,
    ),
    // Orders waiting for a point gather on its one open run, so two builders never make two.
    uniqueIndex("delivery_runs_one_packing_per_point")
      .on(t.fromLocationId, t.toLocationId)
      .where(sql`status = 'packing'`),
    index("delivery_runs_to_status_idx").on(t.toLocationId, t.status, t.createdAt),
    index("delivery_runs_status_idx").on(t.status, t.createdAt),
  ],
);

export const deliveryRunLines = pgTable(
  "delivery_run_lines",
  {
    id: idColumn(),
    runId: text()
      .notNull()
      .references(() => deliveryRuns.id),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    orderLineId: text()
      .notNull()
      .references(() => orderLines.id),
    productId: text()
      .notNull()
      .references(() => products.id),
    goods: text({ enum: DELIVERY_LINE_GOODS }).notNull(),
    quantity: integer().notNull(),
    quantityReceived: integer(),
    discrepancyKind: text({ enum: DISCREPANCY_KINDS }),
    note: text(),
    /** A short line: re-sent (onto another run), taken off the order or refunded; null while undecided. */
    resolution: text({ enum: SHORTFALL_RESOLUTIONS }),
    /** The order line that now carries the missing units (held again at the warehouse), for reserved goods. */
    redeliveryLineId: text().references(() => orderLines.id),
    resolvedByUserId: text().references(() => staffUsers.id),
    resolvedAt: timestamp({ withTimezone: true, mode: "date" }),
    /** Set on a re-send: the short line it makes good. */
    resendOfLineId: text(),
  },
  (t) => [
    check("delivery_run_lines_quantity_positive", sql`quantity > 0`),
    check("delivery_run_lines_goods_check", oneOf("goods", DELIVERY_LINE_GOODS)),
    check(
      "delivery_run_lines_received_range",
      sql`quantity_received IS NULL OR (quantity_received >= 0 AND quantity_received <= quantity)`,
    ),
    check(
      "delivery_run_lines_discrepancy_explained",
      sql`quantity_received IS NULL OR quantity_received = quantity OR discrepancy_kind IS NOT NULL`,
    ),
    check(
      "delivery_run_lines_kind_check",
      sql`discrepancy_kind IS NULL OR ${oneOf("discrepancy_kind", DISCREPANCY_KINDS)}`,
    ),
    check(
      "delivery_run_lines_resolution_check",
      sql`resolution IS NULL OR (${oneOf("resolution", SHORTFALL_RESOLUTIONS)} AND quantity_received < quantity)`,
    ),
    // An order line travels on one run at a time: a second builder or a double re-send cannot load it twice.
    uniqueIndex("delivery_run_lines_one_open_per_order_line")
      .on(t.orderLineId)
      .where(sql`quantity_received IS NULL`),
    // A short line is made good at most once.
    uniqueIndex("delivery_run_lines_one_resend")
      .on(t.resendOfLineId)
      .where(sql`resend_of_line_id IS NOT NULL`),
    index("delivery_run_lines_run_idx").on(t.runId),
    index("delivery_run_lines_order_idx").on(t.orderId),
  ],
);

/** Which lots a run line carried (after dispatch): the child lot when part of a lot was split off. */
export const deliveryRunLineLots = pgTable(
  "delivery_run_line_lots",
  {
    runLineId: text()
      .notNull()
      .references(() => deliveryRunLines.id),
    lotId: text()
      .notNull()
      .references(() => lots.id),
    quantity: integer().notNull(),
    /** The units were split off this lot for the trip (lotId is the child); null = the whole lot went. */
    splitFromLotId: text().references(() => lots.id),
    /** Whether the units moved in the stock ledger (reserved goods) or travelled already sold. */
    moved: boolean().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.runLineId, t.lotId] }),
    check("delivery_run_line_lots_quantity_positive", sql`quantity > 0`),
    index("delivery_run_line_lots_lot_idx").on(t.lotId),
  ],
);
