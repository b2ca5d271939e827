import { lotReceiptPrints } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { asc, eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { publicLinks } from "../src/domain/lots/public-link";
import { findReceiptFont } from "../src/domain/lots/receipt-pdf";
import { recordSale } from "../src/domain/settlement/record-sale";
import { readEnv } from "../src/env";
import { noJobs } from "../src/jobs/queue";
import { makeCoopWorld } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

const inFuture = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const SECRET = "public-lot-test-secret-0123456789abcdef";
const ESC_AT = [0x1b, 0x40];

/** The GB18030 bytes of ASCII text are the text's own bytes; of Chinese, two bytes a character. */
const gb18030 = (text: string) => Buffer.from(new TextEncoder().encode(text));
const contains = (haystack: Uint8Array, needle: Uint8Array) => Buffer.from(haystack).indexOf(needle) >= 0;
// 补 = B2 B9, 打 = B4 F2 in GB2312/GB18030.
const BU_DA = Uint8Array.from([0xb2, 0xb9, 0xb4, 0xf2]);

describe("a bad public link", () => {
  it("is refused before any database query (a guessed token costs the server nothing)", async () => {
    const touched: string[] = [];
    // A database that records and refuses every use: the route must never reach it for a bad token.
    const db = new Proxy({} as never, {
      get(_target, property) {
        touched.push(String(property));
        throw new Error(`database used: ${String(property)}`);
      },
    });
    const env = readEnv({ NODE_ENV: "test", LOG_LEVEL: "silent", PUBLIC_LINK_SECRET: SECRET });
    const app = createApp({
      db,
      env,
      logger: pino({ level: "silent" }),
      storage: {} as never,
      stripe: null,
      jobs: noJobs,
    });
    const links = publicLinks(SECRET, env.PUBLIC_SHOP_URL);
    const good = links.lotToken("lot_01jd0000000000000000000000");
    const altered = `${good.slice(0, -1)}${good.endsWith("x") ? "y" : "x"}`;
    for (const token of [altered, "01jd0000000000000000000000.AAAAAAAAAAAAAAAA", "x"]) {
      const res = await app.request(`/v1/public/lots/${token}`);
      expect(res.status, token).toBe(404);
    }
    expect(touched).toEqual([]);
  });
});

describe.each(testDbKinds())("the villager's public lot page and printed receipts (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  let agent: string;
  let links: ReturnType<typeof publicLinks>;
  const mine = { name: "张桂兰", phone: "13811112222", lotId: "", lotNo: "" };
  const other = { name: "李守田", phone: "13933334444", lotId: "", lotNo: "" };

  async function register(name: string, phone: string) {
    const res = await t.request("POST", "/v1/consignors", {
      token: agent,
      body: { name, phone, servicePointId: w.pointA.id },
    });
    expect(res.status, res.text).toBe(201);
    return res.json.id as string;
  }

  async function intake(body: Record<string, unknown>) {
    const res = await t.request("POST", "/v1/lots", {
      token: agent,
      body: { servicePointId: w.pointA.id, grade: "A", qc: { passed: true }, ...body },
    });
    expect(res.status, res.text).toBe(201);
    return res.json as { id: string; lotNo: string };
  }

  beforeAll(async () => {
    t = await createTestApp(kind, { PUBLIC_LINK_SECRET: SECRET, PUBLIC_SHOP_URL: "https://shop.example" });
    w = await makeCoopWorld(t.db.db);
    agent = await t.loginAs(w.agentA.login, w.agentA.password);
    links = publicLinks(SECRET, "https://shop.example");

    const myLot = await intake({
      consignorId: await register(mine.name, mine.phone),
      productId: w.egg.id,
      quantity: 30,
      bestBefore: inFuture(10),
    });
    Object.assign(mine, { lotId: myLot.id, lotNo: myLot.lotNo });
    const otherLot = await intake({
      consignorId: await register(other.name, other.phone),
      productId: w.pickle.id,
      quantity: 5000,
    });
    Object.assign(other, { lotId: otherLot.id, lotNo: otherLot.lotNo });
    // Both villagers sell: the other's sale and earnings exist, and must never show on my page.
    await t.db.db.transaction(async (tx) => {
      await recordSale(tx, {
        productId: w.egg.id,
        locationId: w.pointA.id,
        quantity: 12,
        unitPriceFen: 200,
        fromReserved: false,
      });
      await recordSale(tx, {
        productId: w.pickle.id,
        locationId: w.pointA.id,
        quantity: 1000,
        unitPriceFen: 3,
        fromReserved: false,
      });
    });
  });
  afterAll(() => t?.close());

  const page = (token: string) => t.request("GET", `/v1/public/lots/${encodeURIComponent(token)}`);

  it("shows the lot's facts, what sold and what the villager earned after commission, with no login", async () => {
    const res = await page(links.lotToken(mine.lotId));
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.headers.get("x-robots-tag")).toBe("noindex");
    expect(res.json).toMatchObject({
      lotNo: mine.lotNo,
      villager: "张*",
      product: { zh: "土鸡蛋" },
      unit: "piece",
      quantityReceived: 30,
      grade: "A",
      qcPassed: true,
      qcReason: null,
      servicePoint: { zh: w.pointA.nameZh },
      place: "at_point",
      onHand: 18,
      soldQuantity: 12,
      returnedQuantity: 0,
      sales: [{ quantity: 12, at: expect.any(String) }],
    });
    // 12 eggs at ¥2.00 = ¥24.00 gross; the villager is credited the gross minus the commission.
    expect(res.json.earnings).toHaveLength(1);
    const [credit] = res.json.earnings;
    expect(credit).toMatchObject({ kind: "sale_credit", grossFen: 2400, quantity: 12 });
    expect(credit.amountFen + credit.commissionFen).toBe(2400);
    expect(credit.commissionFen).toBeGreaterThan(0);
    expect(res.json.earnedFen).toBe(credit.amountFen);
    // Nothing that identifies the villager, a buyer or the staff.
    for (const secret of [mine.phone, mine.name, w.agentA.displayName, mine.lotId]) {
      expect(res.text).not.toContain(secret);
    }
    expect(res.text).not.toMatch(/"(consignorId|orderId|id|actorUserId)"/);
  });

  it("answers 404 for an altered, foreign or random token, and nothing of any lot or villager", async () => {
    const good = links.lotToken(mine.lotId);
    const [suffix, mac] = good.split(".") as [string, string];
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    const tokens = [
      `${suffix}.${flip(mac, 3)}`,
      `${flip(suffix, 25)}.${mac}`,
      // The other villager's lot id with my lot's signature.
      `${links.lotToken(other.lotId).split(".")[0]}.${mac}`,
      publicLinks("another-secret-entirely-0123456789abcdef", "https://shop.example").lotToken(mine.lotId),
      "01jd0000000000000000000000.AAAAAAAAAAAAAAAA",
      "not-a-token",
      `${good}.x`,
    ];
    for (const token of tokens) {
      const res = await page(token);
      expect(res.status, token).toBe(404);
      expect(res.json.error.code).toBe("NOT_FOUND");
      for (const secret of [mine.lotNo, other.lotNo, mine.name, other.name, mine.phone, other.phone, "张*"]) {
        expect(res.text).not.toContain(secret);
      }
    }
    // A good token for the other lot shows that lot only: none of mine.
    const theirs = await page(links.lotToken(other.lotId));
    expect(theirs.status).toBe(200);
    expect(theirs.json.lotNo).toBe(other.lotNo);
    for (const secret of [mine.lotNo, mine.name, mine.phone, other.phone, other.name]) {
      expect(theirs.text).not.toContain(secret);
    }
  });

  it("prints ESC/POS for the thermal printer; the second paper copy says 补打, every print is logged", async () => {
    const lot = await intake({
      consignorId: await register("王秀英", "13855556666"),
      productId: w.egg.id,
      quantity: 20,
      bestBefore: inFuture(20),
    });
    const escpos = (width: number) =>
      t.app.request(`/v1/lots/${lot.id}/receipt.escpos?width=${width}`, {
        headers: { authorization: `Bearer ${agent}` },
      });
    const shown = await t.request("POST", `/v1/lots/${lot.id}/receipt-prints`, {
      token: agent,
      body: { format: "screen" },
    });
    expect(shown.status, shown.text).toBe(201);
    expect(shown.json).toMatchObject({ paperPrints: 0, publicUrl: links.lotUrl(lot.id) });

    const first = await escpos(58);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("application/octet-stream");
    const firstBytes = new Uint8Array(await first.arrayBuffer());
    expect([...firstBytes.subarray(0, 2)]).toEqual(ESC_AT);
    expect(contains(firstBytes, gb18030(lot.lotNo))).toBe(true);
    // The QR code is drawn as a raster image (GS 8 L), which every ESC/POS printer prints.
    expect(contains(firstBytes, Uint8Array.from([0x1d, 0x38, 0x4c]))).toBe(true);
    expect(contains(firstBytes, BU_DA)).toBe(false);

    const second = new Uint8Array(await (await escpos(80)).arrayBuffer());
    expect([...second.subarray(0, 2)]).toEqual(ESC_AT);
    expect(contains(second, BU_DA)).toBe(true);

    const log = await t.db.db
      .select({ format: lotReceiptPrints.format, by: lotReceiptPrints.printedByUserId })
      .from(lotReceiptPrints)
      .where(eq(lotReceiptPrints.lotId, lot.id))
      .orderBy(asc(lotReceiptPrints.createdAt), asc(lotReceiptPrints.id));
    expect(log).toEqual([
      { format: "screen", by: w.agentA.id },
      { format: "escpos", by: w.agentA.id },
      { format: "escpos", by: w.agentA.id },
    ]);

    const again = await t.request("POST", `/v1/lots/${lot.id}/receipt-prints`, {
      token: agent,
      body: { format: "screen" },
    });
    expect(again.json.paperPrints).toBe(2);

    const pdf = await t.app.request(`/v1/lots/${lot.id}/receipt.pdf`, {
      headers: { authorization: `Bearer ${agent}` },
    });
    if (findReceiptFont()) {
      expect(pdf.status).toBe(200);
      const bytes = Buffer.from(await pdf.arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
      expect(bytes.length).toBeLessThan(400_000);
      const rows = await t.db.db.select().from(lotReceiptPrints).where(eq(lotReceiptPrints.lotId, lot.id));
      expect(rows.map((r) => r.format).sort()).toEqual(["escpos", "escpos", "pdf", "screen", "screen"]);
    } else {
      expect(pdf.status).toBe(503);
    }

    const bad = await escpos(57);
    expect(bad.status).toBe(400);
  });

  it("a failed-QC lot's receipt and page say the goods went back, not how they will be settled", async () => {
    const rejected = await intake({
      consignorId: await register("赵大爷", "13877778888"),
      productId: w.egg.id,
      quantity: 10,
      bestBefore: inFuture(20),
      qc: { passed: false, reason: "蛋壳破损" },
    });
    const res = await t.app.request(`/v1/lots/${rejected.id}/receipt.escpos?width=58`, {
      headers: { authorization: `Bearer ${agent}` },
    });
    const bytes = new Uint8Array(await res.arrayBuffer());
    // 货已退回 in GB18030.
    expect(contains(bytes, Uint8Array.from([0xbb, 0xf5, 0xd2, 0xd1, 0xcd, 0xcb, 0xbb, 0xd8]))).toBe(true);
    // 结算 appears only as "不结算" (no settlement), never as the settlement promise "扣除佣金结算".
    expect(contains(bytes, Uint8Array.from([0xbf, 0xdb, 0xb3, 0xfd, 0xd3, 0xb6, 0xbd, 0xf0]))).toBe(false);

    const view = await page(links.lotToken(rejected.id));
    expect(view.json).toMatchObject({
      place: "rejected",
      qcPassed: false,
      qcReason: "蛋壳破损",
      onHand: 0,
      sales: [],
      earnings: [],
      earnedFen: 0,
    });
  });

  it("needs staff for printing and the lot's own service point", async () => {
    const anonymous = await t.app.request(`/v1/lots/${mine.lotId}/receipt.escpos`);
    expect(anonymous.status).toBe(401);
    const agentB = await t.loginAs(w.agentB.login, w.agentB.password);
    const foreign = await t.app.request(`/v1/lots/${mine.lotId}/receipt.escpos`, {
      headers: { authorization: `Bearer ${agentB}` },
    });
    expect(foreign.status).toBe(403);
  });
});
