import {
  BASE_UNITS,
  COLLECTION_STATUSES,
  DELIVERY_RUN_STATUSES,
  DISCREPANCY_KINDS,
  LOT_STATUSES,
  ORDER_STATUSES,
  PAYMENT_METHODS,
  PAYMENT_PROVIDERS,
  RATING_FOLLOW_UP_STATUSES,
  RATING_SUBJECTS,
  STAFF_ROLES,
  STOCK_MOVEMENT_KINDS,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
} from "@coop/shared";
import { describe, expect, it } from "vitest";
import {
  collectionRunLines,
  collectionRuns,
  deliveryRunLines,
  deliveryRuns,
  lots,
  orders,
  outgoingEvents,
  payments,
  products,
  ratingFollowUps,
  ratingRequests,
  staffUsers,
  stockMovements,
  webhookDeliveries,
} from "../src/schema";

/** The schema's text enums are the shared closed sets themselves, not copies (issue 15). */
describe("schema enums come from @coop/shared", () => {
  it.each([
    ["orders.status", orders.status.enumValues, ORDER_STATUSES],
    ["orders.payment_method", orders.paymentMethod.enumValues, PAYMENT_METHODS],
    ["payments.provider", payments.provider.enumValues, PAYMENT_PROVIDERS],
    ["lots.status", lots.status.enumValues, LOT_STATUSES],
    ["products.unit", products.unit.enumValues, BASE_UNITS],
    ["staff_users.role", staffUsers.role.enumValues, STAFF_ROLES],
    ["stock_movements.kind", stockMovements.kind.enumValues, STOCK_MOVEMENT_KINDS],
    ["collection_runs.status", collectionRuns.status.enumValues, COLLECTION_STATUSES],
    [
      "collection_run_lines.discrepancy_kind",
      collectionRunLines.discrepancyKind.enumValues,
      DISCREPANCY_KINDS,
    ],
    ["delivery_run_lines.discrepancy_kind", deliveryRunLines.discrepancyKind.enumValues, DISCREPANCY_KINDS],
    ["delivery_runs.status", deliveryRuns.status.enumValues, DELIVERY_RUN_STATUSES],
    ["outgoing_events.type", outgoingEvents.type.enumValues, WEBHOOK_EVENT_TYPES],
    ["webhook_deliveries.status", webhookDeliveries.status.enumValues, WEBHOOK_DELIVERY_STATUSES],
    ["rating_requests.kind", ratingRequests.kind.enumValues, RATING_SUBJECTS],
    ["rating_follow_ups.status", ratingFollowUps.status.enumValues, RATING_FOLLOW_UP_STATUSES],
  ])("%s", (_name, column, shared) => {
    expect(column).toEqual([...shared]);
  });
});
