import { typeid } from "typeid-js";

/**
 * Every entity id is a TypeID: a readable prefix and a time-sortable UUIDv7 in base32
 * ("lot_01jd…"). The prefix tells a log line, a URL or Stripe metadata what the id is.
 */
export const ID_PREFIXES = {
  coop: "coop",
  location: "loc",
  user: "usr",
  session: "ses",
  consignor: "csg",
  product: "prd",
  lot: "lot",
  stockMovement: "mov",
  /** Groups the ledger lines of one operation (both sides of a transfer, one collection run). */
  batch: "bat",
  collection: "col",
  deliveryRun: "dlv",
  deliveryRunLine: "dll",
  photo: "pho",
  notification: "ntf",
  order: "ord",
  orderLine: "oln",
  orderStatusChange: "osc",
  payment: "pay",
  pickupSmsCode: "psc",
  consignorEntry: "cle",
  payout: "pout",
  cashHandIn: "chi",
  audit: "aud",
  webhookEvent: "whe",
  intakeDevice: "dev",
  receiptPrint: "rcp",
  smsDeliveryReport: "smr",
  saleUnit: "sun",
  stripeRefund: "rfd",
  productPhoto: "pph",
  flashSale: "fsl",
  campaign: "hvc",
  pledge: "plg",
  saleEntry: "sal",
  /** Outgoing webhooks (decision 0045): a receiver's URL, an event for it, one event's delivery to one URL. */
  webhookEndpoint: "wep",
  outgoingEvent: "evt",
  webhookDelivery: "wdl",
  /** Ratings (decision 0046): the SMS link sent after an event, the rating given through it, a low one's follow-up. */
  ratingRequest: "rrq",
  rating: "rtg",
  ratingFollowUp: "rfu",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

export function newId(kind: IdKind): string {
  return typeid(ID_PREFIXES[kind]).toString();
}
