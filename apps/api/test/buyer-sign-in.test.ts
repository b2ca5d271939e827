import { createDb, type DbHandle } from "@coop/db";
import { buyerLoginCodes, buyerSessions, notifications, sessions } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { newId } from "@coop/shared";
import { signClientIdentity } from "@coop/shared/client-signature";
import { and, desc, eq, sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { hashToken } from "../src/domain/auth/tokens";
import { deliverOutbox } from "../src/jobs/outbox";
import { noJobs } from "../src/jobs/queue";
import { databaseStorage } from "../src/storage/blob-storage";
import { makeCoopWorld, setStock } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

const CLIENT_SECRET = "test-only-client-address-secret-0123456789";

describe.each(testDbKinds())("buyers who come back: sign-in by phone (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  let phoneSeq = 0;
  /** A phone no other test in this file uses, so each test starts with fresh limits. */
  const newPhone = () => `1390000${String(++phoneSeq).padStart(4, "0")}`;
  let addressSeq = 0;
  const newClient = () => ({ "x-forwarded-for": `198.51.100.${++addressSeq}` });

  beforeAll(async () => {
    t = await createTestApp(kind, { CLIENT_ADDRESS_SECRET: CLIENT_SECRET });
    w = await makeCoopWorld(t.db.db);
    await setStock(t.db.db, w.egg.id, w.pointA.id, 10_000);
  });
  afterAll(() => t?.close());

  async function placeCashOrder(phone: string, quantity = 2) {
    const res = await t.request("POST", "/v1/orders", {
      body: {
        items: [{ productId: w.egg.id, quantity }],
        fulfilment: { type: "pickup", servicePointId: w.pointA.id },
        payment: { method: "cash_on_pickup" },
        contact: { name: "李阿姨", phone },
      },
    });
    expect(res.status, res.text).toBe(201);
    return res.json as { id: string; pickupCode: string; accessToken: string };
  }

  const askCode = (phone: string, headers: Record<string, string>, app = t) =>
    app.request("POST", "/v1/buyer/login-codes", { body: { phone }, headers });
  const signIn = (phone: string, code: string, headers: Record<string, string>, app = t) =>
    app.request("POST", "/v1/buyer/sessions", { body: { phone, code }, headers });

  /** The code the outbox holds for the phone's latest sign-in SMS (what the buyer's phone would show). */
  async function codeSentTo(phone: string): Promise<string> {
    const [row] = await t.db.db
      .select({ data: notifications.data })
      .from(notifications)
      .where(and(eq(notifications.recipient, phone), eq(notifications.template, "buyer_login_code")))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(1);
    const code = (row?.data as { loginCode?: string } | undefined)?.loginCode;
    expect(code).toMatch(/^\d{6}$/);
    return code!;
  }

  async function signedIn(phone: string, client = newClient()) {
    expect((await askCode(phone, client)).status).toBe(202);
    const res = await signIn(phone, await codeSentTo(phone), client);
    expect(res.status, res.text).toBe(201);
    return res.json.token as string;
  }

  const wrong = (code: string) => (code === "000000" ? "111111" : "000000");

  it("texts a code, answers 202 the same whether or not the phone has orders, and signs in once with it", async () => {
    const withOrders = newPhone();
    await placeCashOrder(withOrders);
    const stranger = newPhone();
    const a = await askCode(withOrders, newClient());
    const b = await askCode(stranger, newClient());
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(a.json).toEqual(b.json);
    expect(a.json).toEqual({ expiresInSeconds: 600, resendAfterSeconds: 60 });

    // Only a keyed hash is stored, never the code.
    const code = await codeSentTo(withOrders);
    const [stored] = await t.db.db
      .select()
      .from(buyerLoginCodes)
      .where(eq(buyerLoginCodes.phone, withOrders));
    expect(stored!.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(code);

    const client = newClient();
    const session = await signIn(withOrders, code, client);
    expect(session.status, session.text).toBe(201);
    expect(session.json.phone).toBe(withOrders);
    expect(session.json.token).toMatch(/^bst_/);
    const days = (Date.parse(session.json.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThanOrEqual(30);
    // The session's token is stored only as its SHA-256.
    const sessions = await t.db.db.select().from(buyerSessions).where(eq(buyerSessions.phone, withOrders));
    expect(sessions).toHaveLength(1);
    expect(JSON.stringify(sessions)).not.toContain(session.json.token);

    // A code works once.
    const reused = await signIn(withOrders, code, client);
    expect(reused.status).toBe(401);
    expect(reused.json.error.code).toBe("INVALID_CREDENTIALS");
    expect(reused.json.error.details.reason).toBe("not_valid");
  });

  it("sends the code through the outbox template and drops it from the outbox once sent", async () => {
    const phone = newPhone();
    await askCode(phone, newClient());
    const code = await codeSentTo(phone);
    const sent: Array<{ to: string; template: string; data: Record<string, unknown> }> = [];
    await deliverOutbox({
      db: t.db.db,
      sms: { send: async (m) => void sent.push(m) },
      logger: pino({ level: "silent" }),
    });
    const mine = sent.find((m) => m.to === phone && m.template === "buyer_login_code");
    expect(mine?.data.loginCode).toBe(code);
    const [row] = await t.db.db
      .select({ status: notifications.status, data: notifications.data })
      .from(notifications)
      .where(eq(notifications.recipient, phone));
    expect(row!.status).toBe("sent");
    expect(JSON.stringify(row!.data)).not.toContain(code);
  });

  it("refuses an expired code, and a new code voids the old one", async () => {
    const phone = newPhone();
    await askCode(phone, newClient());
    const first = await codeSentTo(phone);
    await t.db.db
      .update(buyerLoginCodes)
      .set({ expiresAt: sql`now() - interval '1 second'` as unknown as Date })
      .where(eq(buyerLoginCodes.phone, phone));
    const expired = await signIn(phone, first, newClient());
    expect(expired.status).toBe(401);
    expect(expired.json.error.details.reason).toBe("not_valid");

    // A minute later (the per-phone minute window ends), a new code; the old one never works again.
    await t.db.db.execute(
      sql`UPDATE login_throttle SET window_started_at = now() - interval '61 seconds' WHERE bucket = ${`buyer:code:phone-minute:${phone}`}`,
    );
    expect((await askCode(phone, newClient())).status).toBe(202);
    const second = await codeSentTo(phone);
    if (second !== first) expect((await signIn(phone, first, newClient())).status).toBe(401);
    expect((await signIn(phone, second, newClient())).status).toBe(201);
  });

  it("kills a code at the 5th wrong try, even with the right code after it", async () => {
    const phone = newPhone();
    await askCode(phone, newClient());
    const code = await codeSentTo(phone);
    for (let i = 1; i <= 4; i++) {
      const res = await signIn(phone, wrong(code), newClient());
      expect(res.status, `try ${i}`).toBe(401);
      expect(res.json.error.details).toEqual({ reason: "wrong", attemptsLeft: 5 - i });
    }
    const fifth = await signIn(phone, wrong(code), newClient());
    expect(fifth.json.error.details).toEqual({ reason: "not_valid", attemptsLeft: 0 });
    const right = await signIn(phone, code, newClient());
    expect(right.status).toBe(401);
    expect(right.json.error.details.reason).toBe("not_valid");
  });

  it("limits codes per phone (1 a minute, 5 an hour) with 429, Retry-After and a plain message", async () => {
    const phone = newPhone();
    expect((await askCode(phone, newClient())).status).toBe(202);
    const again = await askCode(phone, newClient());
    expect(again.status).toBe(429);
    expect(again.json.error.code).toBe("RATE_LIMITED");
    expect(again.json.error.message).toMatch(/wait 1 minute/);
    const retry = Number(again.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);

    const passMinute = () =>
      t.db.db.execute(
        sql`UPDATE login_throttle SET window_started_at = now() - interval '61 seconds' WHERE bucket = ${`buyer:code:phone-minute:${phone}`}`,
      );
    for (let i = 2; i <= 5; i++) {
      await passMinute();
      expect((await askCode(phone, newClient())).status, `code ${i}`).toBe(202);
    }
    await passMinute();
    const sixth = await askCode(phone, newClient());
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(60);
    // Only the five codes were queued.
    const queued = await t.db.db.select().from(notifications).where(eq(notifications.recipient, phone));
    expect(queued).toHaveLength(5);
  });

  it("limits codes per client: 10 an hour over any phones, told apart by the address the shop signs", async () => {
    const viaShop = (address: string) => ({
      "x-forwarded-for": "192.0.2.200",
      "x-coop-client": signClientIdentity({ address, browser: null }, CLIENT_SECRET),
    });
    for (let i = 1; i <= 10; i++) {
      expect((await askCode(newPhone(), viaShop("203.0.113.10"))).status, `phone ${i}`).toBe(202);
    }
    const eleventh = await askCode(newPhone(), viaShop("203.0.113.10"));
    expect(eleventh.status).toBe(429);
    expect(Number(eleventh.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another person behind the same shop is not held back.
    expect((await askCode(newPhone(), viaShop("203.0.113.11"))).status).toBe(202);
  });

  it("shares the limits between two API processes on one database", async () => {
    const second: DbHandle =
      kind === "postgres" && t.db.url
        ? await createDb({ databaseUrl: t.db.url, maxConnections: 2 })
        : { ...t.db, close: async () => {} };
    const other = createApp({
      db: second.db,
      env: t.env,
      logger: pino({ level: "silent" }),
      storage: databaseStorage(second.db),
      stripe: null,
      jobs: noJobs,
    });
    const otherApp = {
      request: async (
        method: string,
        path: string,
        init: { body?: unknown; headers?: Record<string, string> },
      ) => {
        const res = await other.request(path, {
          method,
          headers: { "content-type": "application/json", ...init.headers },
          body: JSON.stringify(init.body),
        });
        return { status: res.status, headers: res.headers, json: await res.json() };
      },
    } as unknown as TestApp;
    try {
      const phone = newPhone();
      expect((await askCode(phone, newClient(), t)).status).toBe(202);
      expect((await askCode(phone, newClient(), otherApp)).status).toBe(429);

      // Wrong tries at one code count on both processes together.
      const code = await codeSentTo(phone);
      for (let i = 1; i <= 4; i++) {
        const res = await signIn(phone, wrong(code), newClient(), i % 2 ? t : otherApp);
        expect(res.json.error.details.attemptsLeft, `try ${i}`).toBe(5 - i);
      }
      await signIn(phone, wrong(code), newClient(), otherApp);
      expect((await signIn(phone, code, newClient(), t)).status).toBe(401);

      // And the look-up's miss limit.
      const lookupPhone = newPhone();
      for (let i = 1; i <= 5; i++) {
        const res = await (i % 2 ? t : otherApp).request("POST", "/v1/orders/lookup", {
          body: { phone: lookupPhone, pickupCode: String(100000 + i) },
          headers: newClient(),
        });
        expect(res.status, `miss ${i}`).toBe(404);
      }
      const sixth = await otherApp.request("POST", "/v1/orders/lookup", {
        body: { phone: lookupPhone, pickupCode: "123456" },
        headers: newClient(),
      });
      expect(sixth.status).toBe(429);
    } finally {
      await second.close();
    }
  });

  it("shows the phone's orders on any device, newest first, including one placed before sign-in, and not another phone's", async () => {
    const phone = newPhone();
    const before = await placeCashOrder(phone, 1);
    const someoneElse = await placeCashOrder(newPhone(), 3);
    const token = await signedIn(phone);
    const after = await placeCashOrder(phone, 2);

    const list = await t.request("GET", "/v1/buyer/orders", { token });
    expect(list.status, list.text).toBe(200);
    expect(list.json.items.map((o: { id: string }) => o.id)).toEqual([after.id, before.id]);
    expect(list.json.items.every((o: { contact: { phone: string } }) => o.contact.phone === phone)).toBe(
      true,
    );
    expect(list.json.items[0].items[0]).toMatchObject({ productId: w.egg.id, quantity: 2 });
    // No pickup code: it derives from the access token, which the database does not hold.
    expect(list.json.items.every((o: { pickupCode: unknown }) => o.pickupCode === null)).toBe(true);
    expect(JSON.stringify(list.json)).not.toContain(before.pickupCode);

    // Keyset pages.
    const page1 = await t.request("GET", "/v1/buyer/orders?limit=1", { token });
    expect(page1.json.items.map((o: { id: string }) => o.id)).toEqual([after.id]);
    const page2 = await t.request("GET", `/v1/buyer/orders?limit=1&cursor=${page1.json.nextCursor}`, {
      token,
    });
    expect(page2.json.items.map((o: { id: string }) => o.id)).toEqual([before.id]);
    expect(page2.json.nextCursor).toBeNull();

    // GET /v1/orders/:id: the session opens its phone's orders, and another phone's is "no such order".
    const own = await t.request("GET", `/v1/orders/${before.id}`, { token });
    expect(own.status).toBe(200);
    expect(own.json.id).toBe(before.id);
    expect(own.json.pickupCode).toBeNull();
    const other = await t.request("GET", `/v1/orders/${someoneElse.id}`, { token });
    expect(other.status).toBe(404);
    // The access token still shows its own code, as before.
    const byToken = await t.request("GET", `/v1/orders/${before.id}`, { token: before.accessToken });
    expect(byToken.json.pickupCode).toBe(before.pickupCode);
    // A session may not act on an order (cancel needs the order's own token or staff).
    const cancel = await t.request("POST", `/v1/orders/${before.id}/cancel`, { token, body: {} });
    expect([401, 403, 404]).toContain(cancel.status);
    expect(cancel.status).not.toBe(200);

    // Without a session: 401.
    expect((await t.request("GET", "/v1/buyer/orders")).status).toBe(401);
  });

  it("reads a phone's history on the (contact_phone, id) index, newest first without a sort", async () => {
    const plan = await t.db.db.transaction(async (tx) => {
      // Too few rows for the planner to prefer an index on its own: ask whether one serves the query.
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      const result = (await tx.execute(
        sql`EXPLAIN (FORMAT JSON) SELECT * FROM orders WHERE contact_phone = ${newPhone()} AND id < 'ord_zzzz' ORDER BY id DESC LIMIT 21`,
      )) as unknown as { rows?: Array<Record<string, unknown>> } | Array<Record<string, unknown>>;
      const rows = Array.isArray(result) ? result : (result.rows ?? []);
      return JSON.stringify(rows[0]);
    });
    expect(plan).toContain("orders_contact_phone_id_idx");
    expect(plan).not.toContain('"Sort"');
  });

  it("signs out: the token stops working at once", async () => {
    const phone = newPhone();
    const token = await signedIn(phone);
    const me = await t.request("GET", "/v1/buyer/sessions/current", { token });
    expect(me.status).toBe(200);
    expect(me.json.phone).toBe(phone);
    expect((await t.request("DELETE", "/v1/buyer/sessions/current", { token })).status).toBe(204);
    const after = await t.request("GET", "/v1/buyer/orders", { token });
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe("SESSION_EXPIRED");
    // A made-up session token is refused, not treated as anonymous.
    const forged = await t.request("GET", "/v1/buyer/orders", { token: `bst_${"x".repeat(43)}` });
    expect(forged.status).toBe(401);
  });

  it("still lets in a staff token that happens to begin with bst_ (staff tokens are random base64url)", async () => {
    const token = `bst_${"s".repeat(39)}`;
    await t.db.db.insert(sessions).values({
      id: newId("session"),
      userId: w.admin.id,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    const me = await t.request("GET", "/v1/auth/me", { token });
    expect(me.status, me.text).toBe(200);
    expect(me.json.user.id).toBe(w.admin.id);
  });

  it("looks one order up by phone + pickup code, with a short-lived view token for that order only", async () => {
    const phone = newPhone();
    const order = await placeCashOrder(phone);
    const otherOrder = await placeCashOrder(phone);
    const found = await t.request("POST", "/v1/orders/lookup", {
      body: { phone, pickupCode: order.pickupCode },
      headers: newClient(),
    });
    expect(found.status, found.text).toBe(200);
    expect(found.json.order.id).toBe(order.id);
    expect(found.json.viewToken).toMatch(/^ovt_/);
    const minutes = (Date.parse(found.json.viewExpiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(29);
    expect(minutes).toBeLessThanOrEqual(30);

    const viewed = await t.request("GET", `/v1/orders/${order.id}`, { token: found.json.viewToken });
    expect(viewed.status).toBe(200);
    expect(viewed.json.id).toBe(order.id);
    // The view token opens that order only, even another of the same phone.
    expect(
      (await t.request("GET", `/v1/orders/${otherOrder.id}`, { token: found.json.viewToken })).status,
    ).toBe(404);
    expect((await t.request("GET", "/v1/buyer/orders", { token: found.json.viewToken })).status).toBe(401);
    // An altered token is refused.
    const altered = `${found.json.viewToken.slice(0, -2)}xx`;
    expect((await t.request("GET", `/v1/orders/${order.id}`, { token: altered })).status).toBe(401);

    // The right code with the wrong phone finds nothing.
    const wrongPhone = await t.request("POST", "/v1/orders/lookup", {
      body: { phone: newPhone(), pickupCode: order.pickupCode },
      headers: newClient(),
    });
    expect(wrongPhone.status).toBe(404);
  });

  it("allows 5 missed look-ups per phone an hour, then 429 even with the right code; a hit is not counted", async () => {
    const phone = newPhone();
    const order = await placeCashOrder(phone);
    // Hits do not use up the allowance.
    for (let i = 0; i < 6; i++) {
      const hit = await t.request("POST", "/v1/orders/lookup", {
        body: { phone, pickupCode: order.pickupCode },
        headers: newClient(),
      });
      expect(hit.status).toBe(200);
    }
    for (let i = 1; i <= 5; i++) {
      const miss = await t.request("POST", "/v1/orders/lookup", {
        body: { phone, pickupCode: wrong(order.pickupCode) },
        headers: newClient(),
      });
      expect(miss.status, `miss ${i}`).toBe(404);
    }
    const locked = await t.request("POST", "/v1/orders/lookup", {
      body: { phone, pickupCode: order.pickupCode },
      headers: newClient(),
    });
    expect(locked.status).toBe(429);
    expect(locked.json.error.code).toBe("RATE_LIMITED");
    const retry = Number(locked.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(60);
    expect(retry).toBeLessThanOrEqual(3600);
  });

  it("allows one client 10 missed look-ups an hour over any phones", async () => {
    const client = newClient();
    for (let i = 1; i <= 10; i++) {
      const miss = await t.request("POST", "/v1/orders/lookup", {
        body: { phone: newPhone(), pickupCode: "000000" },
        headers: client,
      });
      expect(miss.status, `miss ${i}`).toBe(404);
    }
    const next = await t.request("POST", "/v1/orders/lookup", {
      body: { phone: newPhone(), pickupCode: "000000" },
      headers: client,
    });
    expect(next.status).toBe(429);
  });
});
