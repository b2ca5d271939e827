import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { type ApiClient, ApiError, type StaffUser } from "../lib/api.server";
import { saveCart } from "../lib/cart.server";
import { saveMyOrders } from "../lib/my-orders.server";
import type { Order } from "../lib/orders-api.server";
import { staffSessions } from "../lib/session.server";
import { action as checkoutAction } from "./checkout";
import { loader as orderLoader } from "./orders.$id._index";
import { action as addAction } from "./products.$id";
import { action as staffOrderAction } from "./staff.orders.$id";
import { action as assistedAction } from "./staff.villagers.$id.order";

const eggs = {
  id: "prd_eggs",
  sku: "EGG-TU",
  name: { zh: "土鸡蛋", en: "Free-range eggs" },
  description: { zh: "", en: "" },
  kind: "produce" as const,
  unit: "piece" as const,
  priceFen: 200,
  perishable: true,
  available: 4,
  producers: [],
  saleUnits: [
    {
      id: "sun_piece",
      label: { zh: "个", en: "piece" },
      size: 1,
      priceFen: 200,
      minUnits: 1,
      stepUnits: 1,
      isDefault: true,
    },
    {
      id: "sun_box",
      label: { zh: "盒(30个)", en: "box of 30" },
      size: 30,
      priceFen: 5800,
      minUnits: 1,
      stepUnits: 1,
      isDefault: false,
    },
  ],
};

const options = {
  paymentMethods: ["cash_on_pickup" as const],
  deliveryFeeFen: 1000,
  freeDeliveryOverFen: null,
  stripePublishableKey: null,
  unpaidOrderSeconds: 1800,
};

const token = `oat_${"a".repeat(43)}`;

function order(over: Partial<Order> = {}): Order {
  return {
    id: "ord_1",
    status: "ready_for_pickup",
    subtotalFen: 2700,
    deliveryFeeFen: 0,
    totalFen: 2700,
    items: [],
    payment: { method: "cash_on_pickup", status: "unpaid", paidFen: 0, refundedFen: 0 },
    fulfilment: {
      type: "pickup",
      servicePointId: "loc_hs01",
      servicePointName: { zh: "竹山村商务服务点", en: "Zhushan" },
      address: null,
      trackingNumber: null,
    },
    contact: { name: "王小明", phone: "13912345678" },
    pickupCode: "012345",
    onBehalfOfConsignorId: null,
    pickupLocked: false,
    history: [],
    expiresAt: null,
    createdAt: "2026-11-23T00:00:00.000Z",
    ...over,
  };
}

const agent: StaffUser = {
  id: "usr_agent",
  login: "agent-hs01",
  displayName: "刘梅",
  role: "agent",
  servicePointId: "loc_hs01",
};

const cookiePair = (setCookie: string) => setCookie.split(";")[0]!;

async function staffCookie() {
  const session = await staffSessions.getSession();
  session.set("token", "tok");
  return cookiePair(await staffSessions.commitSession(session));
}

type Action = (args: {
  request: Request;
  context: AppLoadContext;
  params: Record<string, string>;
}) => Promise<unknown>;

/** Runs an action with a form, cookies and a fake API; a thrown or returned Response comes back as one. */
async function post(
  run: Action,
  url: string,
  fields: Record<string, string>,
  api: Partial<ApiClient>,
  options: { cookies?: string[]; params?: Record<string, string>; user?: StaffUser } = {},
) {
  const request = new Request(`http://shop.test${url}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { cookie: (options.cookies ?? []).join("; ") },
  });
  const context = { api: { me: async () => options.user ?? agent, ...api } as ApiClient };
  const result = await run({ request, context, params: options.params ?? {} }).catch(
    (thrown: unknown) => thrown,
  );
  if (result instanceof Response) {
    return {
      status: result.status,
      location: result.headers.get("location"),
      cookies: result.headers.getSetCookie(),
      body: null as Record<string, unknown> | null,
    };
  }
  const value = result as { data: Record<string, unknown>; init: ResponseInit | null };
  return { status: value.init?.status ?? 200, location: null, cookies: [], body: value.data };
}

const cartWith = (lines: Array<[string, number]>, saleUnitId = "sun_piece") =>
  saveCart({
    lines: lines.map(([productId, units]) => ({ productId, saleUnitId, units })),
    old: [],
    lastKey: null,
  }).then(cookiePair);

async function cartOf(cookies: string[]) {
  const { readCart } = await import("../lib/cart.server");
  return readCart(
    new Request("http://shop.test/", { headers: { cookie: cookies.map(cookiePair).join("; ") } }),
  );
}

const checkoutForm = {
  idempotencyKey: "shop-checkout-key-1",
  name: "王小明",
  phone: "139 1234 5678",
  fulfilment: "pickup",
  servicePointId: "loc_hs01",
  paymentMethod: "cash_on_pickup",
};

describe("adding to the cart", () => {
  const add = (fields: Record<string, string>, api: Partial<ApiClient>, cookies: string[] = []) =>
    post(addAction, "/products/prd_eggs", fields, api, { params: { id: "prd_eggs" }, cookies });

  it("stores the chosen sale unit and count, and adds a resent form only once", async () => {
    const api = { getProduct: async () => ({ ...eggs, available: 100 }) };
    const fields = { saleUnitId: "sun_piece", units: "6", intent: "add", idempotencyKey: "shop-add-key-1" };
    const first = await add(fields, api);
    expect(first.status).toBe(302);
    expect(first.location).toBe("/products/prd_eggs?added=1");
    const again = await add(fields, api, first.cookies.map(cookiePair));
    // The same form again: the cart is stored unchanged (still 6).
    expect((await cartOf(again.cookies)).lines).toEqual([
      { productId: "prd_eggs", saleUnitId: "sun_piece", units: 6 },
    ]);
  });

  it("keeps 个 and 盒 of one product as two lines and counts both against what can be had", async () => {
    const api = { getProduct: async () => ({ ...eggs, available: 61 }) };
    const loose = await add({ saleUnitId: "sun_piece", units: "30", idempotencyKey: "shop-add-key-2" }, api);
    const boxes = await add(
      { saleUnitId: "sun_box", units: "1", idempotencyKey: "shop-add-key-3" },
      api,
      loose.cookies.map(cookiePair),
    );
    expect((await cartOf(boxes.cookies)).lines).toEqual([
      { productId: "prd_eggs", saleUnitId: "sun_piece", units: 30 },
      { productId: "prd_eggs", saleUnitId: "sun_box", units: 1 },
    ]);
    // 30 + 30 of 61 are in the cart: one more box (30) is more than there is.
    const more = await add(
      { saleUnitId: "sun_box", units: "1", idempotencyKey: "shop-add-key-4" },
      api,
      boxes.cookies.map(cookiePair),
    );
    expect(more.status).toBe(400);
    expect(more.body?.problem).toBe("notEnough");
  });

  it("refuses an unknown unit, a count that is not whole, or one off the unit's steps", async () => {
    const dozens = {
      ...eggs,
      available: 100,
      saleUnits: [{ ...eggs.saleUnits[0]!, minUnits: 6, stepUnits: 6 }],
    };
    const api = { getProduct: async () => dozens };
    expect((await add({ saleUnitId: "sun_tray", units: "1" }, api)).body?.problem).toBe("unit");
    expect((await add({ saleUnitId: "sun_piece", units: "1.5" }, api)).body?.problem).toBe("quantity");
    expect((await add({ saleUnitId: "sun_piece", units: "8" }, api)).body?.problem).toBe("step");
  });

  it("moves the count by the unit's step without JavaScript (− / + post the form), adding nothing", async () => {
    const dozens = {
      ...eggs,
      available: 100,
      saleUnits: [{ ...eggs.saleUnits[0]!, minUnits: 6, stepUnits: 6 }],
    };
    const api = { getProduct: async () => dozens };
    const more = await add(
      { saleUnitId: "sun_piece", units: "6", intent: "more", idempotencyKey: "shop-k-5" },
      api,
    );
    expect(more.status).toBe(200);
    expect(more.body).toMatchObject({
      problem: null,
      saleUnitId: "sun_piece",
      typed: "12",
      idempotencyKey: "shop-k-5",
    });
    expect(more.cookies).toEqual([]);
    const less = await add({ saleUnitId: "sun_piece", units: "6", intent: "less" }, api);
    expect(less.body?.typed).toBe("6");
  });
});

describe("30 loose eggs or a box: the buyer's choice is what is ordered", () => {
  const orderWith = async (cookie: string) => {
    const sent: Array<{ items: unknown }> = [];
    const result = await post(
      checkoutAction,
      "/checkout",
      checkoutForm,
      {
        checkoutOptions: async () => options,
        getProduct: async () => ({ ...eggs, available: 100 }),
        createOrder: async (body) => {
          sent.push(body as { items: unknown });
          return {
            id: "ord_1",
            status: "confirmed",
            totalFen: 0,
            accessToken: token,
            pickupCode: "012345",
            expiresAt: null,
            payment: { method: "cash_on_pickup" },
          };
        },
      },
      { cookies: [cookie] },
    );
    expect(result.location).toBe("/orders/ord_1?placed=1");
    return sent[0]?.items;
  };

  it("the cart prices 30 × 个 at ¥60.00 and 1 盒(30个) at ¥58.00, and checkout orders exactly those units", async () => {
    const { loader: cartLoader } = await import("./cart");
    const both = cookiePair(
      await saveCart({
        lines: [
          { productId: "prd_eggs", saleUnitId: "sun_piece", units: 30 },
          { productId: "prd_eggs", saleUnitId: "sun_box", units: 1 },
        ],
        old: [],
        lastKey: null,
      }),
    );
    const page = (await cartLoader({
      request: new Request("http://shop.test/cart", { headers: { cookie: both } }),
      context: { api: { getProduct: async () => ({ ...eggs, available: 100 }) } as unknown as ApiClient },
      params: {},
    })) as unknown as {
      data: { lines: Array<{ lineTotalFen: number; units: number }>; subtotalFen: number };
    };
    expect(page.data.lines.map((l) => [l.units, l.lineTotalFen])).toEqual([
      [30, 6000],
      [1, 5800],
    ]);
    expect(page.data.subtotalFen).toBe(11_800);

    expect(await orderWith(await cartWith([["prd_eggs", 30]], "sun_piece"))).toEqual([
      { productId: "prd_eggs", saleUnitId: "sun_piece", quantity: 30 },
    ]);
    expect(await orderWith(await cartWith([["prd_eggs", 1]], "sun_box"))).toEqual([
      { productId: "prd_eggs", saleUnitId: "sun_box", quantity: 1 },
    ]);
  });

  it("an old cookie's lines (base units) are converted once when the cart opens, or dropped with a note", async () => {
    const { loader: cartLoader } = await import("./cart");
    const { cartCookie } = await import("../lib/cart.server");
    const old = cookiePair(
      await cartCookie.serialize({
        v: 1,
        l: [
          ["prd_eggs", 30],
          ["prd_pk", 750],
        ],
      }),
    );
    const pickles = {
      ...eggs,
      id: "prd_pk",
      unit: "gram" as const,
      saleUnits: [{ ...eggs.saleUnits[0]!, id: "sun_jin", size: 500, priceFen: 1380 }],
    };
    const page = (await cartLoader({
      request: new Request("http://shop.test/cart", { headers: { cookie: old } }),
      context: {
        api: {
          getProduct: async (id: string) => (id === "prd_pk" ? pickles : { ...eggs, available: 100 }),
        } as unknown as ApiClient,
      },
      params: {},
    })) as unknown as {
      data: { lines: Array<{ saleUnitId: string; units: number }>; converted: boolean; dropped: number };
      init: ResponseInit | null;
    };
    // 30 eggs were ordered as one box under the old rule; 750 g (1.5 斤) fits no unit and is dropped.
    expect(page.data.lines.map((l) => [l.saleUnitId, l.units])).toEqual([["sun_box", 1]]);
    expect(page.data.converted).toBe(true);
    expect(page.data.dropped).toBe(1);
    const saved = new Headers(page.init?.headers).get("set-cookie")!;
    expect(await cartOf([saved])).toEqual({
      lines: [{ productId: "prd_eggs", saleUnitId: "sun_box", units: 1 }],
      old: [],
      lastKey: null,
    });
  });
});

describe("checkout", () => {
  it("places the order with the form's key, empties the cart and remembers the order on this phone", async () => {
    const sent: Array<{ body: unknown; key: string }> = [];
    const result = await post(
      checkoutAction,
      "/checkout",
      checkoutForm,
      {
        checkoutOptions: async () => options,
        createOrder: async (body, key) => {
          sent.push({ body, key });
          return {
            id: "ord_1",
            status: "confirmed",
            totalFen: 1200,
            accessToken: token,
            pickupCode: "012345",
            expiresAt: null,
            payment: { method: "cash_on_pickup" },
          };
        },
      },
      { cookies: [await cartWith([["prd_eggs", 6]])] },
    );
    expect(result.status).toBe(302);
    expect(result.location).toBe("/orders/ord_1?placed=1");
    expect(sent).toEqual([
      {
        key: "shop-checkout-key-1",
        body: {
          items: [{ productId: "prd_eggs", saleUnitId: "sun_piece", quantity: 6 }],
          fulfilment: { type: "pickup", servicePointId: "loc_hs01" },
          payment: { method: "cash_on_pickup" },
          contact: { name: "王小明", phone: "13912345678" },
        },
      },
    ]);
    expect(result.cookies.find((c) => c.startsWith("coop_cart="))).toMatch(/Max-Age=0/i);
    expect(result.cookies.find((c) => c.startsWith("coop_orders="))).toMatch(/HttpOnly/i);
  });

  it("goes on to the payment step with the client secret when paying online", async () => {
    const result = await post(
      checkoutAction,
      "/checkout",
      { ...checkoutForm, paymentMethod: "alipay" },
      {
        checkoutOptions: async () => ({ ...options, paymentMethods: ["cash_on_pickup", "alipay"] }),
        createOrder: async () => ({
          id: "ord_2",
          status: "pending_payment",
          totalFen: 1200,
          accessToken: token,
          pickupCode: "012345",
          expiresAt: "2026-11-23T01:00:00.000Z",
          payment: { method: "alipay", clientSecret: "pi_2_secret_x" },
        }),
      },
      { cookies: [await cartWith([["prd_eggs", 6]])] },
    );
    expect(result.location).toBe("/orders/ord_2/pay");
    expect(result.cookies.some((c) => c.startsWith("coop_pay="))).toBe(true);
  });

  it("names the short lines of a 409 OUT_OF_STOCK with what can be had now, and keeps the cart", async () => {
    const result = await post(
      checkoutAction,
      "/checkout",
      checkoutForm,
      {
        checkoutOptions: async () => options,
        getProduct: async () => eggs,
        createOrder: async () => {
          throw new ApiError(409, "OUT_OF_STOCK", "short", "req", [], {
            lines: [{ productId: "prd_eggs", requested: 6 }],
          });
        },
      },
      { cookies: [await cartWith([["prd_eggs", 6]])] },
    );
    expect(result.status).toBe(409);
    expect(result.cookies).toEqual([]);
    expect(result.body?.problem).toBe("outOfStock");
    expect(result.body?.short).toEqual([
      { productId: "prd_eggs", name: eggs.name, unit: "piece", saleUnit: null, requested: 6, canHave: 4 },
    ]);
    // A new key for the corrected order.
    expect(result.body?.idempotencyKey).not.toBe("shop-checkout-key-1");
  });

  it("shows the API's VALIDATION_FAILED fields next to the form's fields", async () => {
    const result = await post(
      checkoutAction,
      "/checkout",
      checkoutForm,
      {
        checkoutOptions: async () => options,
        createOrder: async () => {
          throw new ApiError(400, "VALIDATION_FAILED", "bad", "req", [
            { path: "fulfilment.servicePointId", message: "no such service point" },
            { path: "contact.phone", message: "bad" },
          ]);
        },
      },
      { cookies: [await cartWith([["prd_eggs", 6]])] },
    );
    expect(result.status).toBe(400);
    expect(result.body?.fields).toEqual({ servicePointId: "servicePointId", phone: "phone" });
  });

  it("refuses cash with delivery, and a missing name or point, before asking the API", async () => {
    let called = false;
    const api = {
      checkoutOptions: async () => ({
        ...options,
        paymentMethods: ["cash_on_pickup" as const, "card" as const],
      }),
      createOrder: async () => {
        called = true;
        throw new Error("not expected");
      },
    };
    const cookies = [await cartWith([["prd_eggs", 6]])];
    const delivery = await post(
      checkoutAction,
      "/checkout",
      { ...checkoutForm, fulfilment: "delivery", address: "衡阳市南岳区竹山村三组 12 号" },
      api,
      { cookies },
    );
    expect(delivery.body?.fields).toEqual({ paymentMethod: "cashNeedsPickup" });
    const empty = await post(
      checkoutAction,
      "/checkout",
      { ...checkoutForm, name: "", servicePointId: "" },
      api,
      { cookies },
    );
    expect(empty.body?.fields).toEqual({ name: "name", servicePointId: "servicePointId" });
    expect(called).toBe(false);
  });

  it("sends an empty cart back to the cart page", async () => {
    const result = await post(checkoutAction, "/checkout", checkoutForm, {});
    expect(result.location).toBe("/cart");
  });
});

describe("the buyer's order page", () => {
  const get = async (cookies: string[], api: Partial<ApiClient>) => {
    const request = new Request("http://shop.test/orders/ord_1", { headers: { cookie: cookies.join("; ") } });
    const result = (await orderLoader({
      request,
      context: { api: api as ApiClient },
      params: { id: "ord_1" },
    })) as {
      data: { order: Order | null };
      init: ResponseInit | null;
    };
    return { status: result.init?.status ?? 200, order: result.data.order };
  };

  it("asks the API with the token remembered on this phone", async () => {
    const tokens: string[] = [];
    const remembered = cookiePair(await saveMyOrders([{ id: "ord_1", token }]));
    const answer = await get([remembered], {
      getOrder: async (used) => {
        tokens.push(used);
        return order();
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.order?.id).toBe("ord_1");
    expect(tokens).toEqual([token]);
  });

  it("is 'not found' on another phone, without asking the API", async () => {
    const answer = await get([], {});
    expect(answer.status).toBe(404);
    expect(answer.order).toBeNull();
  });
});

describe("staff order screens", () => {
  it("do not let an agent pack (the warehouse packs)", async () => {
    let packed = false;
    const result = await post(
      staffOrderAction,
      "/staff/orders/ord_1",
      { intent: "pack" },
      {
        getOrder: async () => order({ status: "confirmed" }),
        packOrder: async () => {
          packed = true;
          return order();
        },
      },
      { cookies: [await staffCookie()], params: { id: "ord_1" } },
    );
    expect(result.body?.problem).toBe("invalidState");
    expect(packed).toBe(false);
  });

  it("assisted ordering: a 409 INSUFFICIENT_BALANCE is a plain message, and the order is for the villager", async () => {
    const sent: Array<{ body: unknown; staffToken: string | undefined }> = [];
    const fertilizer = {
      ...eggs,
      id: "prd_fert",
      kind: "supply" as const,
      unit: "bag" as const,
      priceFen: 17_500,
      available: 9,
    };
    const api = {
      getConsignor: async () => ({
        id: "csg_1",
        name: "刘桂英",
        phone: "13812345678",
        servicePointId: "loc_hs01",
        village: null,
        showOnProductPages: false,
        balanceFen: 50_000,
        createdAt: "2026-01-01T00:00:00.000Z",
      }),
      listProducts: async () => ({ items: [fertilizer], nextCursor: null }),
      listServicePoints: async () => [],
      createOrder: async (body: unknown, _key: string, staffToken?: string) => {
        sent.push({ body, staffToken });
        throw new ApiError(409, "INSUFFICIENT_BALANCE", "more than the balance", "req");
      },
    };
    const result = await post(
      assistedAction,
      "/staff/villagers/csg_1/order",
      {
        intent: "confirm",
        method: "consignor_balance",
        qty_prd_fert: "2",
        idempotencyKey: "shop-assist-key",
      },
      api,
      { cookies: [await staffCookie()], params: { id: "csg_1" } },
    );
    expect(result.status).toBe(409);
    expect(result.body?.problem).toBe("insufficientBalance");
    expect(sent).toEqual([
      {
        staffToken: "tok",
        body: {
          items: [{ productId: "prd_fert", quantity: 2 }],
          fulfilment: { type: "pickup", servicePointId: "loc_hs01" },
          payment: { method: "consignor_balance" },
          contact: { name: "刘桂英", phone: "13812345678" },
          onBehalfOf: { consignorId: "csg_1" },
        },
      },
    ]);
  });
});
