/**
 * Every closed set of values, defined once: the Drizzle schema (text enums and CHECK constraints), the zod
 * contract, the API's domain code and the shop's screens all import them from here, so a value added or
 * removed shows up everywhere at once (typecheck) and `drizzle-kit generate` writes the CHECK change.
 * The order of each tuple is the order of its CHECK constraint in the database: append, do not reorder.
 * Base units live beside their conversions in ./units (BASE_UNITS).
 */

// ── Catalog and people ────────────────────────────────────────────────────────────────────────────────

export const PRODUCT_KINDS = ["produce", "supply"] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

export const STAFF_ROLES = ["admin", "warehouse", "agent"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * Every place stock can be. "transit" is the one virtual place per co-op where stock sits while a collection
 * run carries it from a service point to the warehouse, so that the ledger balances at every moment of the trip.
 */
export const LOCATION_KINDS = ["warehouse", "service_point", "store", "transit"] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

// ── Lots and the stock ledger ─────────────────────────────────────────────────────────────────────────

export const LOT_STATUSES = [
  "in_stock",
  "in_transit",
  "depleted",
  "returned",
  "rejected",
  "blocked",
] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];

/** Quality grade recorded at intake: A best. */
export const LOT_GRADES = ["A", "B", "C"] as const;
export type LotGrade = (typeof LOT_GRADES)[number];

export const STOCK_MOVEMENT_KINDS = [
  "intake",
  "transfer_out",
  "transfer_in",
  "discrepancy",
  "sale",
  "customer_return",
  "return_to_consignor",
  "spoilage",
  "count_adjustment",
  /** Recall: a blocked lot's units leave sellable stock at once (and "unblock" brings them back). */
  "block",
  "unblock",
] as const;
export type StockMovementKind = (typeof STOCK_MOVEMENT_KINDS)[number];

export const RECEIPT_PRINT_FORMATS = ["pdf", "escpos", "screen"] as const;
export type ReceiptPrintFormat = (typeof RECEIPT_PRINT_FORMATS)[number];

// ── Collections and deliveries ────────────────────────────────────────────────────────────────────────

export const COLLECTION_STATUSES = ["in_transit", "received"] as const;
export type CollectionStatus = (typeof COLLECTION_STATUSES)[number];

/** What went wrong with goods that arrived (collection runs and delivery runs alike). */
export const DISCREPANCY_KINDS = ["broken", "short_weight", "missing", "spoiled", "other"] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

/** packing: being picked at the warehouse; in_transit: dispatched; received: counted in at the point. */
export const DELIVERY_RUN_STATUSES = ["packing", "in_transit", "received"] as const;
export type DeliveryRunStatus = (typeof DELIVERY_RUN_STATUSES)[number];

/**
 * What a run line carries, which decides what its dispatch writes in the stock ledger:
 * - reserved: unsold units held for the order (cash on pickup) — they move warehouse → transit → point;
 * - sold: units already sold at payment (the sale line is in the ledger) — the run only records the trip;
 * - replacement: a re-send for a sold line's shortfall — held at the warehouse, sold at dispatch.
 */
export const DELIVERY_LINE_GOODS = ["reserved", "sold", "replacement"] as const;
export type DeliveryLineGoods = (typeof DELIVERY_LINE_GOODS)[number];

/**
 * What staff decided about a line that arrived short: re-sent, taken off an unpaid order, or (paid order)
 * the missing part's money given back.
 */
export const SHORTFALL_RESOLUTIONS = ["resent", "cancelled", "refunded"] as const;
export type ShortfallResolution = (typeof SHORTFALL_RESOLUTIONS)[number];

// ── Orders and payments ───────────────────────────────────────────────────────────────────────────────

export const ORDER_STATUSES = [
  "pending_payment",
  "confirmed",
  "paid",
  // A harvest-campaign pre-order: paid online or cash at pickup, waiting for the harvest (decision 0041).
  "preordered",
  "packed",
  "shipped",
  "ready_for_pickup",
  "delivered",
  "picked_up",
  "cancelled",
  "refunded",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What a buyer may choose at checkout (which of them are offered depends on the API's Stripe set-up). */
export const BUYER_PAYMENT_METHODS = ["cash_on_pickup", "card", "alipay", "wechat_pay"] as const;
export type BuyerPaymentMethod = (typeof BUYER_PAYMENT_METHODS)[number];
/** Every payment method of an order: the buyer's, plus a villager's consignment earnings (assisted orders). */
export const PAYMENT_METHODS = [...BUYER_PAYMENT_METHODS, "consignor_balance"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** What an agent may take for a villager's assisted order (帮代办): cash at pickup, or against their earnings. */
export const ASSISTED_ORDER_PAYMENT_METHODS = [
  "cash_on_pickup",
  "consignor_balance",
] as const satisfies readonly PaymentMethod[];
export type AssistedOrderPaymentMethod = (typeof ASSISTED_ORDER_PAYMENT_METHODS)[number];

export const FULFILMENT_TYPES = ["pickup", "delivery"] as const;
export type FulfilmentType = (typeof FULFILMENT_TYPES)[number];

/** A payment row's state (Stripe's PaymentIntent states, plus refunds). */
export const PAYMENT_STATUSES = [
  "pending",
  "requires_action",
  "succeeded",
  "failed",
  "canceled",
  "refunded",
  "partially_refunded",
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * An order's payment as the contract shows it: "unpaid" when no payment row exists yet, and Stripe's
 * "requires_action" shown as "pending" (the buyer has nothing else to do than finish paying).
 */
export const ORDER_PAYMENT_STATES = [
  "unpaid",
  "pending",
  "succeeded",
  "failed",
  "refunded",
  "partially_refunded",
  "canceled",
] as const;
export type OrderPaymentState = (typeof ORDER_PAYMENT_STATES)[number];

export const PAYMENT_PROVIDERS = ["stripe", "cash", "consignor_balance"] as const;
export type PaymentProvider = (typeof PAYMENT_PROVIDERS)[number];

/** The identity document staff checked when handing over a pickup without its code. */
export const PICKUP_ID_TYPES = ["resident_id", "household_register", "other"] as const;
export type PickupIdType = (typeof PICKUP_ID_TYPES)[number];

// ── Recall ────────────────────────────────────────────────────────────────────────────────────────────

export const RECALL_ORDER_ACTIONS = [
  /** Held stock of the lot (or stock that could no longer be covered after the block): cancelled. */
  "cancelled",
  /** Paid and drawn from the lot, not yet handed over: refunded. */
  "refunded",
  /** Already with the buyer: listed for follow-up (call them back). */
  "handed_over",
] as const;
export type RecallOrderAction = (typeof RECALL_ORDER_ACTIONS)[number];

// ── Settlement ────────────────────────────────────────────────────────────────────────────────────────

export const PAYOUT_METHODS = ["cash", "transfer"] as const;
export type PayoutMethod = (typeof PAYOUT_METHODS)[number];

export const CONSIGNOR_ENTRY_KINDS = [
  /** Villager's share of a sale (sale amount − commission). Positive. */
  "sale_credit",
  /** Agreed deductions: spoilage, discrepancy charges. Negative. */
  "deduction",
  /** Cash or transfer paid out. Negative. */
  "payout",
  /** Farm supplies bought against earnings (帮代办). Negative. */
  "purchase",
  /** Reversal of a sale credit after a refund. Negative. */
  "sale_reversal",
  /** Manual correction by an admin, with a reason. Either sign. */
  "adjustment",
] as const;
export type ConsignorEntryKind = (typeof CONSIGNOR_ENTRY_KINDS)[number];

/** The entries that make up what a lot earned its villager (the public lot page sums these). */
export const LOT_EARNING_ENTRY_KINDS = [
  "sale_credit",
  "sale_reversal",
  "deduction",
  "adjustment",
] as const satisfies readonly ConsignorEntryKind[];
export type LotEarningEntryKind = (typeof LOT_EARNING_ENTRY_KINDS)[number];

/** The kinds of line on a villager's statement (明白账). */
export const STATEMENT_LINE_KINDS = [
  "intake",
  "rejected",
  "discrepancy",
  "sale",
  "spoilage",
  "returned",
  "deduction",
  "purchase",
  "sale_reversal",
  "adjustment",
  "payout",
] as const;
export type StatementLineKind = (typeof STATEMENT_LINE_KINDS)[number];

// ── Notifications ─────────────────────────────────────────────────────────────────────────────────────

export const NOTIFICATION_CHANNELS = ["sms", "email"] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export const NOTIFICATION_STATUSES = ["pending", "sent", "failed"] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * A day the co-op's working-day calendar marks against the week's rule (decision 0042): a public holiday on a
 * weekday, or a make-up workday (调休) on a weekend.
 */
export const CALENDAR_DAY_KINDS = ["holiday", "workday"] as const;
export type CalendarDayKind = (typeof CALENDAR_DAY_KINDS)[number];

// ── Reports (decision 0044) ───────────────────────────────────────────────────────────────────────────

/**
 * How an order was sold, for the sales reports: in a flash sale, a harvest campaign, placed by an agent for a
 * villager (帮代办), or by the buyer online paying online or cash at pickup. One per order, in that order of
 * precedence.
 */
export const SALE_CHANNELS = ["online", "cash", "assisted", "campaign", "flash_sale"] as const;
export type SaleChannel = (typeof SALE_CHANNELS)[number];

/** A line of the sales ledger: goods sold, or (negative) the part of a sale given back in a refund. */
export const SALE_ENTRY_KINDS = ["sale", "reversal"] as const;
export type SaleEntryKind = (typeof SALE_ENTRY_KINDS)[number];

/** What a sales rollup row is summed by: co-op wide, the buyer's service point, the product, the lot's origin. */
export const ROLLUP_DIMENSIONS = ["all", "point", "product", "origin"] as const;
export type RollupDimension = (typeof ROLLUP_DIMENSIONS)[number];

export const ROLLUP_GRAINS = ["day", "month"] as const;
export type RollupGrain = (typeof ROLLUP_GRAINS)[number];

// ── Outgoing webhooks (decision 0045) ────────────────────────────────────────────────────────────────

/**
 * What the co-op tells other systems about, at the URLs the admin registers: an order placed, paid, ready at its
 * service point, collected (picked up or delivered); a lot taken in (passed its quality check); a villager paid.
 */
export const WEBHOOK_EVENT_TYPES = [
  "order.placed",
  "order.paid",
  "order.ready_for_pickup",
  "order.collected",
  "lot.received",
  "payout.made",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * One event's delivery to one endpoint: pending (not tried yet, or being tried), failed (the last try failed;
 * the next is due at next_attempt_at), succeeded (a 2xx; never sent again), abandoned (out of tries, or its
 * endpoint was disabled; the admin may retry it).
 */
export const WEBHOOK_DELIVERY_STATUSES = ["pending", "failed", "succeeded", "abandoned"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

// ── Ratings (decision 0046) ───────────────────────────────────────────────────────────────────────────

/**
 * What a rating link asks about: a pickup handed over (the buyer), a payout (the villager), a sale credited to a
 * villager (once per order and villager).
 */
export const RATING_SUBJECTS = ["pickup", "payout", "sale"] as const;
export type RatingSubject = (typeof RATING_SUBJECTS)[number];

/** A low rating's follow-up: open until the admin closes it with a note. */
export const RATING_FOLLOW_UP_STATUSES = ["open", "closed"] as const;
export type RatingFollowUpStatus = (typeof RATING_FOLLOW_UP_STATUSES)[number];

/** True if `value` is one of `set`, narrowing it (for form fields and query strings). */
export function isOneOf<const T extends readonly string[]>(set: T, value: unknown): value is T[number] {
  return typeof value === "string" && (set as readonly string[]).includes(value);
}

// ── Service commitments, 限时办结 (issue 13 item 3) ─────────────────────────────────────────────────────

/**
 * What the co-op promises to finish within a number of working days: a villager's sale settled (paid out),
 * an assisted order ready at the service point, a pickup handed over once it has arrived, a complaint (a
 * low rating's follow-up) answered.
 */
export const COMMITMENT_KINDS = [
  "intake_settled",
  "assisted_ready",
  "pickup_handover",
  "complaint_answered",
] as const;
export type CommitmentKind = (typeof COMMITMENT_KINDS)[number];

/** Where a piece of work stands against its deadline. */
export const COMMITMENT_STATES = ["on_time", "late", "pending", "at_risk", "breached"] as const;
export type CommitmentState = (typeof COMMITMENT_STATES)[number];
