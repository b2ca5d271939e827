import { idempotencyKeys, lotPhotos, orders, stockLevels } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { INT4_MAX, truncateText } from "@coop/shared";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeConsignor, makeCoopWorld, setStock } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

const UNSTORABLE = "contains a character that cannot be stored (NUL or a broken emoji)";
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
/** The first bytes of a PNG: what the upload route checks the type by. */
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

/** 39 letters and an emoji, cut at 40 UTF-16 units as the shop used to: the emoji's second half is gone. */
const NAME_39 = "张".repeat(39);
const HALF_EMOJI_NAME = `${NAME_39}😀`.slice(0, 40);

describe.each(testDbKinds())("one input rule for every route (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  let adminToken = "";
  let agentToken = "";
  let villagerId = "";
  let lotId = "";

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    adminToken = await t.loginAs(w.admin.login, w.admin.password);
    agentToken = await t.loginAs(w.agentA.login, w.agentA.password);
    await setStock(t.db.db, w.egg.id, w.pointA.id, 500);
    villagerId = (await makeConsignor(t.db.db, w.coop.id, w.pointA.id)).id;
    const lot = await t.request("POST", "/v1/lots", {
      token: agentToken,
      body: {
        consignorId: villagerId,
        productId: w.egg.id,
        servicePointId: w.pointA.id,
        quantity: 30,
        bestBefore: inDays(10),
        qc: { passed: true },
      },
    });
    expect(lot.status, lot.text).toBe(201);
    lotId = lot.json.id;
  });
  afterAll(() => t?.close());

  const order = (contact: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    items: [{ productId: w.egg.id, quantity: 2 }],
    fulfilment: { type: "pickup", servicePointId: w.pointA.id },
    payment: { method: "cash_on_pickup" },
    contact: { name: "城里张先生", phone: "13912345678", ...contact },
    ...extra,
  });

  async function orderCount() {
    const [row] = await t.db.db.select({ n: count() }).from(orders);
    return Number(row!.n);
  }
  async function keyRows(key: string) {
    return t.db.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
  }

  function expectRefused(
    res: { status: number; json: any; text: string },
    path: string,
    message = UNSTORABLE,
  ) {
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe("VALIDATION_FAILED");
    expect(res.json.error.fields).toContainEqual({ path, message });
  }

  it.each([
    ["a name cut inside an emoji", { name: HALF_EMOJI_NAME }, {}, "contact.name"],
    ["a NUL in the name", { name: "张\u0000三" }, {}, "contact.name"],
    ["a lone low surrogate in the note", {}, { note: "好\udc00" }, "note"],
    [
      "a NUL in a nested product id",
      {},
      { items: [{ productId: "prd_\u0000", quantity: 1 }] },
      "items.0.productId",
    ],
  ])(
    "refuses %s in POST /v1/orders, anonymous and as staff, writing nothing",
    async (_, contact, extra, path) => {
      for (const token of [undefined, adminToken]) {
        const before = await orderCount();
        const key = `input-rules-${crypto.randomUUID()}`;
        const res = await t.request("POST", "/v1/orders", {
          body: order(contact, extra),
          headers: { "idempotency-key": key },
          ...(token ? { token } : {}),
        });
        expectRefused(res, path);
        expect(await orderCount()).toBe(before);
        expect(await keyRows(key)).toEqual([]);
      }
    },
  );

  it("names a bad key of a JSON object by where it sits, and reads escapes the way JSON.parse does", async () => {
    const res = await t.request("POST", "/v1/orders", {
      body: '{"items":[],"contact":{"na\\u0000me":"x","phone":"\\ud83d"}}',
    });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.fields).toEqual([
      { path: "contact.(key)", message: UNSTORABLE },
      { path: "contact.phone", message: UNSTORABLE },
    ]);
  });

  it("walks a body nested 300,000 deep without overflowing the stack, and names a short path", async () => {
    const depth = 300_000;
    const res = await t.request("POST", "/v1/orders", {
      body: `${"[".repeat(depth)}"\\u0000"${"]".repeat(depth)}`,
    });
    expect(res.status, res.text.slice(0, 300)).toBe(400);
    expect(res.json.error.fields).toEqual([{ path: `${"0.".repeat(20)}…`, message: UNSTORABLE }]);
  });

  it("takes a name with a whole emoji, and the shop's cut keeps it whole or drops it", async () => {
    const name = `${"张".repeat(38)}😀`;
    const res = await t.request("POST", "/v1/orders", { body: order({ name }) });
    expect(res.status, res.text).toBe(201);
    const [row] = await t.db.db.select().from(orders).where(eq(orders.id, res.json.id));
    expect(row!.contactName).toBe(name);

    // What the shop does now with 39 letters and an emoji, 41 units, for a field of at most 40.
    const cut = truncateText(`${NAME_39}😀`, 40);
    expect(cut).toBe(NAME_39);
    const again = await t.request("POST", "/v1/orders", { body: order({ name: cut }) });
    expect(again.status, again.text).toBe(201);
  });

  it.each([
    ["/v1/products?q=%00", "query.q"],
    ["/v1/products?q=%ED%A0%80", "query.q"],
    ["/v1/products?kind=produce&q=%F0%9F", "query.q"],
    ["/v1/products?q%00=1", "(query)"],
    ["/v1/products/prd_%00", "(path)"],
    ["/v1/products/%ED%B0%80", "(path)"],
  ])("refuses GET %s naming %s (anonymous)", async (url, path) => {
    const res = await t.request("GET", url);
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe("VALIDATION_FAILED");
    expect(res.json.error.fields.map((f: { path: string }) => f.path)).toEqual([path]);
  });

  it("refuses the same in a staff route's path and query", async () => {
    expectRefused(await t.request("GET", "/v1/lots/lot_%00", { token: adminToken }), "(path)");
    const res = await t.request("GET", "/v1/consignors?q=%E5%BC%A0%00", { token: adminToken });
    expectRefused(res, "query.q");
    // Well-formed text in both still works.
    const ok = await t.request("GET", `/v1/consignors?q=${encodeURIComponent("村民😀")}`, {
      token: adminToken,
    });
    expect(ok.status, ok.text).toBe(200);
  });

  it.each([
    ["a lot of 2^31", "/v1/lots", () => ({ ...lotBody(), quantity: 2 ** 31 }), "quantity"],
    [
      "a lot just past the domain limit",
      "/v1/lots",
      () => ({ ...lotBody(), quantity: 10_000_001 }),
      "quantity",
    ],
    [
      "an order line of 2^31",
      "/v1/orders",
      () => ({ ...order({}), items: [{ productId: w.egg.id, quantity: 2 ** 31 }] }),
      "items.0.quantity",
    ],
    ["a count of 2^31", `/v1/lots/{lot}/count`, () => ({ countedQuantity: 2 ** 31 }), "countedQuantity"],
    ["a return of 2^31", `/v1/lots/{lot}/return`, () => ({ quantity: 2 ** 31, reason: "x" }), "quantity"],
    [
      "a payout of 2^31 fen",
      "/v1/payouts",
      () => ({ consignorId: villagerId, amountFen: 2 ** 31, method: "cash" }),
      "amountFen",
    ],
  ])("refuses %s with 400 naming the field", async (_, path, body, field) => {
    const res = await t.request("POST", path.replace("{lot}", lotId), { token: adminToken, body: body() });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe("VALIDATION_FAILED");
    expect(res.json.error.fields.map((f: { path: string }) => f.path)).toContain(field);
  });

  const lotBody = () => ({
    consignorId: villagerId,
    productId: w.egg.id,
    servicePointId: w.pointA.id,
    quantity: 10,
    bestBefore: inDays(10),
    qc: { passed: true },
  });

  it("refuses a low-stock threshold of 2147483648 and free delivery over 2^31 fen", async () => {
    const threshold = await t.request("PUT", "/v1/stock/thresholds", {
      token: adminToken,
      body: { productId: w.egg.id, locationId: w.pointA.id, threshold: 2_147_483_648 },
    });
    expectRefused(threshold, "threshold", "Too big: expected number to be <=10000000");
    const settings = await t.request("PATCH", "/v1/coop", {
      token: adminToken,
      body: { freeDeliveryOverFen: 2 ** 31 },
    });
    expect(settings.status, settings.text).toBe(400);
  });

  it("answers stock that would outgrow its column with 409, not 500, and changes nothing", async () => {
    const product = w.pickle.id;
    await setStock(t.db.db, product, w.pointB.id, INT4_MAX - 5_000_000);
    const agentB = await t.loginAs(w.agentB.login, w.agentB.password);
    const villagerB = (await makeConsignor(t.db.db, w.coop.id, w.pointB.id)).id;
    const res = await t.request("POST", "/v1/lots", {
      token: agentB,
      body: {
        consignorId: villagerB,
        productId: product,
        servicePointId: w.pointB.id,
        quantity: 10_000_000,
        qc: { passed: true },
      },
    });
    expect(res.status, res.text).toBe(409);
    expect(res.json.error.code).toBe("CONFLICT");
    const [level] = await t.db.db
      .select()
      .from(stockLevels)
      .where(and(eq(stockLevels.productId, product), eq(stockLevels.locationId, w.pointB.id)));
    expect(level!.onHand).toBe(INT4_MAX - 5_000_000);
  });

  it("answers a date outside PostgreSQL's calendar with 400, not 500", async () => {
    const statement = await t.request(
      "GET",
      `/v1/consignors/${villagerId}/statement?from=0000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z`,
      { token: adminToken },
    );
    expect(statement.status, statement.text).toBeLessThan(500);
    const lot = await t.request("POST", "/v1/lots", {
      token: agentToken,
      body: { ...lotBody(), bestBefore: "0000-02-29" },
    });
    expect(lot.status, lot.text).toBeLessThan(500);
  });

  it("still stores a photo upload (binary bytes are not text) but refuses a bad text field beside it", async () => {
    const upload = (extra?: [string, string]) => {
      const form = new FormData();
      form.set(
        "photo",
        new File([PNG, Uint8Array.from([0, 0xed, 0xa0, 0x80, 0])], "photo.png", { type: "image/png" }),
      );
      if (extra) form.set(...extra);
      return t.app.request(`/v1/lots/${lotId}/photos`, {
        method: "POST",
        body: form,
        headers: { authorization: `Bearer ${agentToken}` },
      });
    };
    const ok = await upload();
    expect(ok.status, await ok.clone().text()).toBe(201);
    const bad = await upload(["caption", "a\u0000b"]);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.fields).toEqual([{ path: "caption", message: UNSTORABLE }]);
    const photos = await t.db.db.select().from(lotPhotos).where(eq(lotPhotos.lotId, lotId));
    expect(photos).toHaveLength(1);
  });
});
