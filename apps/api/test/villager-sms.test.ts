import { notifications } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicLinks } from "../src/domain/lots/public-link";
import { renderSms } from "../src/domain/notifications/sms-templates";
import { queueSaleSms } from "../src/domain/notifications/villager-sms";
import { postConsignorEntry } from "../src/domain/settlement/consignor-ledger";
import { makeConsignor, makeCoopWorld } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

const LINK_SECRET = "villager-sms-test-public-link-secret-0000";
const SHOP = "https://shop.example";
const inFuture = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The villager's own receipts (issue 9): queued with the change itself, one per event, in plain Chinese. */
describe.each(testDbKinds())("villager SMS receipts (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  let agent: string;
  const links = publicLinks(LINK_SECRET, SHOP);

  beforeAll(async () => {
    t = await createTestApp(kind, { PUBLIC_LINK_SECRET: LINK_SECRET, PUBLIC_SHOP_URL: SHOP });
    w = await makeCoopWorld(t.db.db);
    agent = await t.loginAs(w.agentA.login, w.agentA.password);
  });
  afterAll(() => t?.close());

  const smsTo = (phone: string, template: string) =>
    t.db.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.recipient, phone), eq(notifications.template, template)));

  const intake = (consignorId: string, qc: Record<string, unknown>, key?: string) =>
    t.request("POST", "/v1/lots", {
      token: agent,
      ...(key ? { headers: { "idempotency-key": key } } : {}),
      body: {
        consignorId,
        productId: w.egg.id,
        servicePointId: w.pointA.id,
        quantity: 30,
        bestBefore: inFuture(20),
        qc,
      },
    });

  it("an intake sends the villager one lot_received with the intake number and their lot's own link", async () => {
    const villager = await makeConsignor(t.db.db, w.coop.id, w.pointA.id);
    const key = `intake-${villager.id}`;
    const lot = await intake(villager.id, { passed: true }, key);
    expect(lot.status, lot.text).toBe(201);
    // The same command again (a lost answer, resent) makes no second lot and no second SMS.
    expect((await intake(villager.id, { passed: true }, key)).json.id).toBe(lot.json.id);
    const sms = await smsTo(villager.phone, "lot_received");
    expect(sms).toHaveLength(1);
    const text = renderSms(sms[0]!.template, sms[0]!.data as Record<string, unknown>, { links })!.text;
    expect(text).toBe(
      `您的${w.egg.nameZh}30个已收，编号${lot.json.lotNo}，详情 ${links.lotUrl(lot.json.id)}`,
    );
    const token = text.split("/l/")[1]!;
    expect(links.lotIdOf(token)).toBe(lot.json.id);
  });

  it("a failed quality check sends lot_rejected: the goods went back, with the reason", async () => {
    const villager = await makeConsignor(t.db.db, w.coop.id, w.pointA.id);
    const lot = await intake(villager.id, { passed: false, reason: "破损" });
    expect(lot.status, lot.text).toBe(201);
    expect(await smsTo(villager.phone, "lot_received")).toEqual([]);
    const [sms] = await smsTo(villager.phone, "lot_rejected");
    const text = renderSms("lot_rejected", sms!.data as Record<string, unknown>, { links })!.text;
    expect(text).toContain("未通过质检（破损），已当场退还");
    expect(text).toContain(lot.json.lotNo);
  });

  it("a payout sends payout_made with the amount and the balance left", async () => {
    const villager = await makeConsignor(t.db.db, w.coop.id, w.pointA.id);
    await postConsignorEntry(t.db.db, {
      consignorId: villager.id,
      kind: "adjustment",
      amountFen: 5000,
      note: "test",
    });
    const payout = await t.request("POST", "/v1/payouts", {
      token: agent,
      headers: { "idempotency-key": `payout-${villager.id}` },
      body: { consignorId: villager.id, amountFen: 3000, method: "cash" },
    });
    expect(payout.status, payout.text).toBe(201);
    const sms = await smsTo(villager.phone, "payout_made");
    expect(sms).toHaveLength(1);
    expect(renderSms("payout_made", sms[0]!.data as Record<string, unknown>, { links })!.text).toBe(
      "您已领取货款¥30.00（现金），账户余额¥20.00。",
    );
  });

  it("a sale sends one lot_sold per order and villager, however many lots it drew", async () => {
    const [a, b] = [
      await makeConsignor(t.db.db, w.coop.id, w.pointA.id),
      await makeConsignor(t.db.db, w.coop.id, w.pointA.id),
    ];
    const item = (lotId: string, quantity: number, earnedFen: number) => ({
      lotId,
      productId: w.egg.id,
      productName: "土鸡蛋",
      unit: "piece",
      quantity,
      earnedFen,
    });
    await t.db.db.transaction(async (tx) => {
      await queueSaleSms(tx, {
        phone: a.phone,
        consignorId: a.id,
        orderId: "ord_sale_1",
        item: item("lot_1", 10, 1800),
      });
      await queueSaleSms(tx, {
        phone: a.phone,
        consignorId: a.id,
        orderId: "ord_sale_1",
        item: item("lot_2", 5, 900),
      });
      await queueSaleSms(tx, {
        phone: b.phone,
        consignorId: b.id,
        orderId: "ord_sale_1",
        item: item("lot_3", 2, 360),
      });
    });
    const forA = await smsTo(a.phone, "lot_sold");
    expect(forA).toHaveLength(1);
    expect(renderSms("lot_sold", forA[0]!.data as Record<string, unknown>, { links })!.text).toBe(
      "您的土鸡蛋15个已售出，您得¥27.00，已记入您的账户。",
    );
    expect(await smsTo(b.phone, "lot_sold")).toHaveLength(1);
    // Once a sender has claimed it, a later part of the order gets its own message (nothing changes under it).
    await t.db.db.update(notifications).set({ claimedUntil: new Date(Date.now() + 60_000) });
    await queueSaleSms(t.db.db, {
      phone: a.phone,
      consignorId: a.id,
      orderId: "ord_sale_1",
      item: item("lot_4", 1, 180),
    });
    expect(await smsTo(a.phone, "lot_sold")).toHaveLength(2);
  });
});
