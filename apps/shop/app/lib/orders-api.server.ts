import type { PickupIdType } from "@coop/shared";
import {
  Campaign,
  CampaignList,
  CampaignPledgeList,
  CampaignRun,
  CheckoutOptions,
  type CreateOrder,
  FlashSale,
  FlashSaleList,
  type OpenCampaign,
  type ORDER_STATUS_VALUES,
  Order,
  OrderCreated,
  OrderList,
  PickList,
  PickupLookupResult,
  PickupSmsSent,
  type RecordPledge,
} from "@coop/shared/contract";
import { z } from "zod";
import type { ApiCall } from "./staff-api.server";

/**
 * The shop's calls about orders: the buyer's (checkout, their order by its access token, cancelling it)
 * and the staff's (the queue, fulfilment steps, the pick list, hand-over). Every answer is parsed with
 * the API's contract (@coop/shared/contract).
 */

export type { Campaign, CreateOrder, FlashSale, Order, OrderCreated };
export type CheckoutOptionsData = z.infer<typeof CheckoutOptions>;
export type OrderListData = z.infer<typeof OrderList>;
export type PickListData = z.infer<typeof PickList>;
export type OrderStatus = (typeof ORDER_STATUS_VALUES)[number];

/** The hand-over's answer: the order now, and the change to give back for cash. */
export const HandedOver = Order.extend({ changeFen: z.number().int() });
export type HandedOver = z.infer<typeof HandedOver>;

/** The proof an agent gives at hand-over (exactly one), and the cash taken (API: HandOver). */
export type HandOverInput = (
  | { pickupCode: string }
  | { villagerSms: { phone: string; smsCode: string } }
  | { idCheck: { idType: PickupIdType; last4: string } }
) & { cashReceivedFen?: number };
export type PickupLookupData = z.infer<typeof PickupLookupResult>;
export type PickupMatch = PickupLookupData["matches"][number];

export type OrderFilters = {
  status?: OrderStatus;
  servicePointId?: string;
  phone?: string;
  cursor?: string;
  limit?: number;
};

const path = (...parts: string[]) => parts.map(encodeURIComponent).join("/");
const idem = (key: string) => ({ "idempotency-key": key });

export function ordersApi(call: ApiCall) {
  /** A fulfilment step: POST /v1/orders/:id/<step> with the staff token. */
  const step = (step: string) => (token: string, id: string, key: string, body?: unknown) =>
    call(`/v1/orders/${path(id)}/${step}`, Order, { method: "POST", token, body, headers: idem(key) });

  return {
    // ---- Buyers ------------------------------------------------------------------------------------
    /** Payment methods offered now, the delivery fee rule, Stripe's publishable key. */
    checkoutOptions() {
      return call("/v1/checkout/options", CheckoutOptions);
    },
    /** A flash sale: its price, window, units left (at most a second old) and the API's clock. */
    getFlashSale(id: string) {
      return call(`/v1/flash-sales/${path(id)}`, FlashSale);
    },
    /** Harvest campaigns not finished, the soonest to close first (the home page's announcements). */
    listCampaigns() {
      return call("/v1/campaigns", CampaignList);
    },
    /** Flash sales not over yet, soonest first. */
    listFlashSales() {
      return call("/v1/flash-sales", FlashSaleList);
    },
    // ---- Harvest campaigns, for staff -----------------------------------------------------------------
    /** Every campaign of the co-op, newest first (admin). */
    adminCampaigns(token: string) {
      return call("/v1/admin/campaigns", CampaignList, { token });
    },
    /** Opens a campaign (admin). */
    openCampaign(token: string, input: OpenCampaign, key: string) {
      return call("/v1/campaigns", Campaign, { method: "POST", token, body: input, headers: idem(key) });
    },
    /** A campaign's pledges (an agent: their own point's villagers). */
    campaignPledges(token: string, id: string) {
      return call(`/v1/campaigns/${path(id)}/pledges`, CampaignPledgeList, { token });
    },
    /** Records or changes a villager's pledge; answers the campaign with it counted. */
    recordPledge(token: string, id: string, input: RecordPledge, key: string) {
      return call(`/v1/campaigns/${path(id)}/pledges`, Campaign, {
        method: "POST",
        token,
        body: input,
        headers: idem(key),
      });
    },
    /** Allocates what has reached the warehouse now, or finishes the campaign (admin). */
    runCampaign(token: string, id: string, step: "allocate" | "finish", key: string) {
      return call(`/v1/campaigns/${path(id)}/${step}`, CampaignRun, {
        method: "POST",
        token,
        headers: idem(key),
      });
    },
    /** A harvest campaign: price, cap and what is left, harvest window, limits, the API's clock. */
    getCampaign(id: string) {
      return call(`/v1/campaigns/${path(id)}`, Campaign);
    },
    /** Places an order; `staffToken` for an agent ordering for a villager (onBehalfOf). */
    createOrder(input: CreateOrder, key: string, staffToken?: string) {
      return call("/v1/orders", OrderCreated, {
        method: "POST",
        token: staffToken,
        body: input,
        headers: idem(key),
      });
    },
    /** One order, with the buyer's access token or a staff token. */
    getOrder(token: string, id: string) {
      return call(`/v1/orders/${path(id)}`, Order, { token });
    },
    /** Cancels: the buyer while unpaid (body {}); staff with a reason, refunding a paid order. */
    cancelOrder(token: string, id: string, key: string, reason?: string) {
      return call(`/v1/orders/${path(id)}/cancel`, Order, {
        method: "POST",
        token,
        body: reason ? { reason } : {},
        headers: idem(key),
      });
    },

    // ---- Staff -------------------------------------------------------------------------------------
    /** The queue, newest first; an agent gets their own point's pickups only. */
    listOrders(token: string, filters: OrderFilters = {}) {
      return call("/v1/orders", OrderList, { token, query: filters });
    },
    packOrder: step("pack"),
    dispatchOrder: step("dispatch"),
    deliverOrder: step("deliver"),
    shipOrder(token: string, id: string, key: string, trackingNumber: string) {
      return step("ship")(token, id, key, { trackingNumber });
    },
    /** Every order waiting at the agent's point with the code the buyer shows (POST: no code in URLs). */
    lookupPickup(token: string, code: string) {
      return call("/v1/pickups/lookup", PickupLookupResult, { method: "POST", token, body: { code } });
    },
    /** A one-time code to the villager's phone, for an order the agent placed for them. */
    sendPickupSms(token: string, id: string, key: string, phone: string) {
      return call(`/v1/orders/${path(id)}/pickup-sms`, PickupSmsSent, {
        method: "POST",
        token,
        body: { phone },
        headers: idem(key),
      });
    },
    /** Admin: allows hand-over again after too many wrong codes (audited by the API). */
    unlockPickup(token: string, id: string, key: string, reason: string) {
      return step("unlock-pickup")(token, id, key, { reason });
    },
    handOver(token: string, id: string, key: string, input: HandOverInput) {
      return call(`/v1/orders/${path(id)}/hand-over`, HandedOver, {
        method: "POST",
        token,
        body: input,
        headers: idem(key),
      });
    },
    pickList(token: string, locationId: string) {
      return call("/v1/pick-lists", PickList, { token, query: { locationId } });
    },
  };
}
