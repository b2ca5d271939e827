import { auditLog, calendarDays, notifications, ratingRequests, ratings } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { addDays, chinaToday } from "@coop/shared";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicLinks } from "../src/domain/lots/public-link";
import { renderSms } from "../src/domain/notifications/sms-templates";
import { giveRating } from "../src/domain/ratings/give-rating";
import { makeConsignor, makeCoopWorld } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

const LINK_SECRET = "ratings-test-public-link-secret-000000000";
const SHOP = "https://shop.example";
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

/** The last Friday on or before a China day (a plain date). */
function fridayOnOrBefore(day: string): string {
  let d = day;
  while (new Date(`${d}T00:00:00Z`).getUTCDay() !== 5) d = addDays(d, -1);
  return d;
}

/**
 * Issue 13 item 2 (decision 0046): a pickup, a payout and a sale each text one signed rating link; it rates
 * once, refuses an altered or expired link, a low rating opens a follow-up due in 2 working days that the
 * admin closes, and the point's dashboard shows the ratings.
 */
describe.each(testDbKinds())("ratings (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  let villager: Awaited<ReturnType<typeof makeConsignor>>;
  const token: Record<string, string> = {};
  const links = publicLinks(LINK_SECRET, SHOP);
  const buyer = { name: "城里张先生", phone: "13912340001" };
  let orderId = "";
  let payoutId = "";
  let address = 0;
  /** Each call from its own client address, so the per-client limit is not what a test meets. */
  const from = () => ({ "x-forwarded-for": `198.51.100.${++address}` });

  beforeAll(async () => {
    t = await createTestApp(kind, { PUBLIC_LINK_SECRET: LINK_SECRET, PUBLIC_SHOP_URL: SHOP });
    w = await makeCoopWorld(t.db.db);
    for (const who of ["agentA", "agentB", "admin"] as const) {
      token[who] = await t.loginAs(w[who].login, w[who].password);
    }
    villager = await makeConsignor(t.db.db, w.coop.id, w.pointA.id, { name: "钱阿姨" });
    // Two egg lots and a pickle lot of the same villager on point A's shelf.
    for (const [productId, quantity] of [
      [w.egg.id, 30],
      [w.egg.id, 30],
      [w.pickle.id, 5000],
    ] as const) {
      const lot = await t.request("POST", "/v1/lots", {
        token: token.agentA,
        body: {
          consignorId: villager.id,
          productId,
          servicePointId: w.pointA.id,
          quantity,
          bestBefore: inDays(10),
          qc: { passed: true },
        },
      });
      expect(lot.status, lot.text).toBe(201);
    }
  });
  afterAll(() => t?.close());

  const requestsOf = (
    kindOf: "pickup" | "payout" | "sale",
    subjectOrPhone: { subjectId?: string; phone?: string },
  ) =>
    t.db.db
      .select()
      .from(ratingRequests)
      .where(
        and(
          eq(ratingRequests.kind, kindOf),
          subjectOrPhone.subjectId ? eq(ratingRequests.subjectId, subjectOrPhone.subjectId) : undefined,
          subjectOrPhone.phone ? eq(ratingRequests.phone, subjectOrPhone.phone) : undefined,
        ),
      );
  const ratingSms = (phone: string) =>
    t.db.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.recipient, phone), eq(notifications.template, "rating_request")));
  /** The link's token, read from the text message as the phone shows it. */
  const tokenInSms = (data: unknown) => {
    const text = renderSms("rating_request", data as Record<string, unknown>, { links })!.text;
    return /\/r\/(\S+)/.exec(text)![1]!;
  };
  const tokenOf = (requestId: string) => links.ratingUrl(requestId).split("/r/")[1]!;

  it("a pickup texts the buyer one link, and the sale one link per villager and order (not per lot)", async () => {
    const order = await t.request("POST", "/v1/orders", {
      body: {
        // 40 eggs draw on both egg lots; the pickles are a third credit for the same villager.
        items: [
          { productId: w.egg.id, quantity: 40 },
          { productId: w.pickle.id, quantity: 500 },
        ],
        fulfilment: { type: "pickup", servicePointId: w.pointA.id },
        payment: { method: "cash_on_pickup" },
        contact: buyer,
      },
    });
    expect(order.status, order.text).toBe(201);
    orderId = order.json.id;
    for (const step of ["pack", "dispatch"]) {
      const res = await t.request("POST", `/v1/orders/${orderId}/${step}`, { token: token.agentA });
      expect(res.status, `${step}: ${res.text}`).toBe(200);
    }
    const total = order.json.totalFen as number;
    const done = await t.request("POST", `/v1/orders/${orderId}/hand-over`, {
      token: token.agentA,
      body: { pickupCode: order.json.pickupCode, cashReceivedFen: total },
    });
    expect(done.status, done.text).toBe(200);

    const pickup = await requestsOf("pickup", { subjectId: orderId });
    expect(pickup).toHaveLength(1);
    expect(pickup[0]).toMatchObject({ phone: buyer.phone, servicePointId: w.pointA.id, ratedAt: null });
    expect(pickup[0]!.expiresAt.getTime() - pickup[0]!.createdAt.getTime()).toBeCloseTo(14 * 86_400_000, -5);
    const toBuyer = await ratingSms(buyer.phone);
    expect(toBuyer).toHaveLength(1);
    const text = renderSms("rating_request", toBuyer[0]!.data as Record<string, unknown>, { links })!.text;
    expect(text).toBe(
      `您在${w.pointA.nameZh}的取货已办好，请点链接为我们的服务打分：${links.ratingUrl(pickup[0]!.id)} （14天内有效）`,
    );

    // Three credits (two egg lots, one pickle lot) of one villager in one order: one request, one SMS.
    const credits = await t.db.db.execute(
      sql`SELECT count(*)::int AS n FROM consignor_entries WHERE order_id = ${orderId} AND kind = 'sale_credit'`,
    );
    const rows = (Array.isArray(credits) ? credits : (credits as { rows: unknown[] }).rows) as Array<{
      n: number;
    }>;
    expect(rows[0]!.n).toBe(3);
    const sale = await requestsOf("sale", { phone: villager.phone });
    expect(sale).toHaveLength(1);
    expect(sale[0]).toMatchObject({ orderId, consignorId: villager.id, servicePointId: w.pointA.id });
    expect(await ratingSms(villager.phone)).toHaveLength(1);
  });

  it("a payout texts the villager one link", async () => {
    const payout = await t.request("POST", "/v1/payouts", {
      token: token.agentA,
      headers: { "idempotency-key": `rating-payout-${villager.id}` },
      body: { consignorId: villager.id, amountFen: 1000, method: "cash" },
    });
    expect(payout.status, payout.text).toBe(201);
    payoutId = payout.json.id;
    // The same command replayed pays nothing more and asks nothing more.
    const again = await t.request("POST", "/v1/payouts", {
      token: token.agentA,
      headers: { "idempotency-key": `rating-payout-${villager.id}` },
      body: { consignorId: villager.id, amountFen: 1000, method: "cash" },
    });
    expect(again.json.id).toBe(payoutId);
    expect(await requestsOf("payout", { subjectId: payoutId })).toHaveLength(1);
    const sms = await ratingSms(villager.phone);
    expect(sms).toHaveLength(2);
    expect(sms.map((s) => (s.data as { kind: string }).kind).sort()).toEqual(["payout", "sale"]);
  });

  it("the link from the SMS shows what is rated and rates once; used again it is refused", async () => {
    const [sms] = await ratingSms(buyer.phone);
    const linkToken = tokenInSms(sms!.data);
    const shown = await t.request("GET", `/v1/ratings/${linkToken}`);
    expect(shown.status, shown.text).toBe(200);
    expect(shown.headers.get("cache-control")).toBe("private, no-store");
    expect(shown.json).toMatchObject({
      kind: "pickup",
      servicePoint: { zh: w.pointA.nameZh, en: w.pointA.nameEn },
      eventDay: chinaToday(),
    });
    // Nothing of the person or the order on the page.
    expect(shown.text).not.toContain(buyer.phone);
    expect(shown.text).not.toContain(orderId);

    const rated = await t.request("POST", `/v1/ratings/${linkToken}`, {
      headers: from(),
      body: { level: 5, comment: " 取货很快，谢谢 " },
    });
    expect(rated.status, rated.text).toBe(201);
    expect(rated.json).toMatchObject({ level: 5, followUp: false });
    const again = await t.request("POST", `/v1/ratings/${linkToken}`, {
      headers: from(),
      body: { level: 1 },
    });
    expect(again.status).toBe(410);
    expect(again.json.error.code).toBe("RATING_ALREADY_GIVEN");
    const reopened = await t.request("GET", `/v1/ratings/${linkToken}`);
    expect(reopened.status).toBe(410);
    expect(reopened.json.error.code).toBe("RATING_ALREADY_GIVEN");
    const stored = await t.db.db.select().from(ratings);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ level: 5, comment: "取货很快，谢谢" });
  });

  it("refuses an altered, a made-up and a lot's token with 404, and a bad level with 400", async () => {
    const [request] = await requestsOf("payout", { subjectId: payoutId });
    const good = tokenOf(request!.id);
    const altered = good.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    const otherId = `${good.slice(0, 25)}${good[25] === "a" ? "b" : "a"}${good.slice(26)}`;
    const lotToken = links.lotToken(`lot_${good.split(".")[0]}`);
    for (const bad of [altered, otherId, lotToken, "not-a-token", `${good}.x`]) {
      const shown = await t.request("GET", `/v1/ratings/${bad}`);
      expect(shown.status, bad).toBe(404);
      expect(shown.json.error.code).toBe("RATING_LINK_INVALID");
      const posted = await t.request("POST", `/v1/ratings/${bad}`, { headers: from(), body: { level: 4 } });
      expect(posted.status, bad).toBe(404);
    }
    for (const level of [0, 6, 3.5]) {
      const res = await t.request("POST", `/v1/ratings/${good}`, { headers: from(), body: { level } });
      expect(res.status, String(level)).toBe(400);
    }
    const long = await t.request("POST", `/v1/ratings/${good}`, {
      headers: from(),
      body: { level: 4, comment: "好".repeat(501) },
    });
    expect(long.status).toBe(400);
    expect((await t.db.db.select().from(ratings).where(eq(ratings.requestId, request!.id))).length).toBe(0);
  });

  it("refuses an expired link (past its 14 days) with 410, and limits posts to one link", async () => {
    const [request] = await requestsOf("payout", { subjectId: payoutId });
    await t.db.db
      .update(ratingRequests)
      .set({
        createdAt: new Date(Date.now() - 15 * 86_400_000),
        expiresAt: new Date(Date.now() - 86_400_000),
      })
      .where(eq(ratingRequests.id, request!.id));
    const linkToken = tokenOf(request!.id);
    const shown = await t.request("GET", `/v1/ratings/${linkToken}`);
    expect(shown.status).toBe(410);
    expect(shown.json.error.code).toBe("RATING_LINK_EXPIRED");
    // Five posts to one link in 10 minutes are answered; the sixth is held back.
    for (let i = 0; i < 5; i++) {
      const res = await t.request("POST", `/v1/ratings/${linkToken}`, {
        headers: from(),
        body: { level: 4 },
      });
      expect(res.status).toBe(410);
      expect(res.json.error.code).toBe("RATING_LINK_EXPIRED");
    }
    const held = await t.request("POST", `/v1/ratings/${linkToken}`, { headers: from(), body: { level: 4 } });
    expect(held.status).toBe(429);
    expect(Number(held.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await t.db.db.select().from(ratings).where(eq(ratings.requestId, request!.id))).length).toBe(0);
  });

  it("two posts at the same moment make one rating", async () => {
    const [request] = await requestsOf("sale", { phone: villager.phone });
    const linkToken = tokenOf(request!.id);
    const answers = await Promise.all(
      [4, 4].map((level) =>
        t.request("POST", `/v1/ratings/${linkToken}`, { headers: from(), body: { level } }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 410]);
    expect(answers.find((a) => a.status === 410)!.json.error.code).toBe("RATING_ALREADY_GIVEN");
    const stored = await t.db.db.select().from(ratings).where(eq(ratings.requestId, request!.id));
    expect(stored).toHaveLength(1);
    const [after] = await t.db.db.select().from(ratingRequests).where(eq(ratingRequests.id, request!.id));
    expect(after!.ratedAt).not.toBeNull();
  });

  it("a level-2 rating on a Friday opens a follow-up due 2 working days later, past the weekend and a holiday; the admin closes it", async () => {
    // A second payout, rated on a Friday; the Monday after is a public holiday: due on Wednesday.
    const payout = await t.request("POST", "/v1/payouts", {
      token: token.agentA,
      body: { consignorId: villager.id, amountFen: 500, method: "cash" },
    });
    expect(payout.status, payout.text).toBe(201);
    const [request] = await requestsOf("payout", { subjectId: payout.json.id });
    const friday = fridayOnOrBefore(chinaToday());
    await t.db.db.insert(calendarDays).values({
      coopId: w.coop.id,
      day: addDays(friday, 3),
      kind: "holiday",
      name: "测试假日",
      updatedByUserId: w.admin.id,
    });
    const given = await giveRating(t.db.db, {
      requestId: request!.id,
      rating: { level: 2, comment: "等了很久" },
      caller: { address: "203.0.113.9", addressIsPersonal: true, browser: null },
      now: new Date(`${friday}T10:00:00+08:00`),
    });
    expect(given).toMatchObject({ level: 2, followUp: true });

    const listed = await t.request("GET", "/v1/admin/rating-follow-ups?status=open", { token: token.admin });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json.items).toHaveLength(1);
    const followUp = listed.json.items[0];
    expect(followUp).toMatchObject({
      kind: "payout",
      subjectId: payout.json.id,
      servicePointId: w.pointA.id,
      level: 2,
      comment: "等了很久",
      phone: villager.phone,
      dueOn: addDays(friday, 5),
      status: "open",
      overdue: chinaToday() > addDays(friday, 5),
    });
    // The agent of the point reads it without the phone; another point's agent does not see it at all.
    const mine = await t.request("GET", "/v1/admin/rating-follow-ups", { token: token.agentA });
    expect(mine.status).toBe(200);
    expect(mine.json.items.map((f: { id: string; phone: string | null }) => [f.id, f.phone])).toEqual([
      [followUp.id, null],
    ]);
    expect(
      (await t.request("GET", "/v1/admin/rating-follow-ups", { token: token.agentB })).json.items,
    ).toEqual([]);
    const theirs = await t.request("GET", `/v1/admin/rating-follow-ups?pointId=${w.pointA.id}`, {
      token: token.agentB,
    });
    expect(theirs.status).toBe(403);

    // The point's dashboard counts the ratings of its service and the open follow-up.
    const range = `from=${addDays(friday, -1)}&to=${chinaToday()}`;
    const board = await t.request("GET", `/v1/reports/dashboard?${range}`, { token: token.agentA });
    expect(board.status, board.text).toBe(200);
    // Ratings 5 (the pickup), 4 (the sale) and 2 (this payout).
    expect(board.json.ratings).toMatchObject({
      count: 3,
      averageLevel: 3.7,
      satisfiedPct: 66.7,
      openFollowUps: 1,
      overdueFollowUps: chinaToday() > addDays(friday, 5) ? 1 : 0,
    });
    const otherPoint = await t.request("GET", `/v1/reports/dashboard?${range}&pointId=${w.pointB.id}`, {
      token: token.admin,
    });
    expect(otherPoint.json.ratings).toEqual({
      count: 0,
      averageLevel: null,
      satisfiedPct: null,
      openFollowUps: 0,
      overdueFollowUps: 0,
    });

    // Only the admin closes it, with a note; closing it again is a conflict; the close is audited.
    const close = (tokenOfStaff: string | undefined, body: unknown, key?: string) =>
      t.request("POST", `/v1/admin/rating-follow-ups/${followUp.id}/close`, {
        token: tokenOfStaff,
        body,
        ...(key ? { headers: { "idempotency-key": key } } : {}),
      });
    expect((await close(token.agentA, { note: "已回访" })).status).toBe(403);
    expect((await close(token.admin, {})).status).toBe(400);
    expect((await close(token.admin, { note: "  " })).status).toBe(400);
    const closed = await close(token.admin, { note: "已电话回访，已道歉" }, "close-follow-up-1");
    expect(closed.status, closed.text).toBe(200);
    expect(closed.json).toMatchObject({
      status: "closed",
      note: "已电话回访，已道歉",
      closedByName: w.admin.displayName,
      overdue: false,
    });
    const replay = await close(token.admin, { note: "已电话回访，已道歉" }, "close-follow-up-1");
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect((await close(token.admin, { note: "再次" })).status).toBe(409);
    const audited = await t.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "rating_follow_up.close"), eq(auditLog.entityId, followUp.id)));
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actorUserId: w.admin.id });
    expect(
      (await t.request("GET", "/v1/admin/rating-follow-ups?status=open", { token: token.admin })).json.items,
    ).toEqual([]);
    const later = await t.request("GET", `/v1/reports/dashboard?${range}`, { token: token.agentA });
    expect(later.json.ratings).toMatchObject({ count: 3, openFollowUps: 0 });
  });
});
