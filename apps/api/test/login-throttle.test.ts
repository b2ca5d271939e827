import { createDb, type DbHandle } from "@coop/db";
import { loginThrottle } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { signClientIdentity } from "@coop/shared/client-signature";
import { like } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { noJobs } from "../src/jobs/queue";
import { purgeExpiredRows } from "../src/jobs/retention";
import { databaseStorage } from "../src/storage/blob-storage";
import { makeCoop, makeStaff } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

const SECRET = "test-only-client-address-secret-0123456789";
const browserId = (n: number) => `browser_${String(n).padStart(16, "0")}`;

describe.each(testDbKinds())("login throttle (%s)", (kind) => {
  let t: TestApp;
  let coopId: string;

  beforeAll(async () => {
    t = await createTestApp(kind, { CLIENT_ADDRESS_SECRET: SECRET });
    coopId = (await makeCoop(t.db.db)).id;
  });
  afterAll(() => t?.close());

  const person = () => makeStaff(t.db.db, coopId, "warehouse");
  const from = (address: string) => ({ "x-forwarded-for": address });
  const viaShop = (identity: { address: string | null; browser: string | null }, secret = SECRET) => ({
    "x-forwarded-for": "192.0.2.200", // the shop's own address
    "x-coop-client": signClientIdentity(identity, secret),
  });
  const attempt = (login: string, password: string, headers: Record<string, string>, app = t) =>
    app.request("POST", "/v1/auth/login", { body: { login, password }, headers });
  const retryAfter = (res: { headers: Headers }) => Number(res.headers.get("retry-after"));

  it("answers the 11th failure from one client with 429 and Retry-After, before checking the password", async () => {
    const client = from("198.51.100.10");
    for (let i = 1; i <= 10; i++) {
      const res = await attempt(`nobody-a${i}`, "wrong-password", client);
      expect(res.status, `attempt ${i}`).toBe(401);
    }
    const y = await person();
    const eleventh = await attempt(y.login, y.password, client);
    expect(eleventh.status).toBe(429);
    expect(eleventh.json.error.code).toBe("RATE_LIMITED");
    expect(retryAfter(eleventh)).toBeGreaterThan(0);
    expect(retryAfter(eleventh)).toBeLessThanOrEqual(60);
    expect(eleventh.json.error.details.retryAfterSeconds).toBe(retryAfter(eleventh));

    expect((await attempt(y.login, y.password, from("198.51.100.11"))).status).toBe(200);
  });

  it("allows one name 5 failures per device in 15 minutes; a success starts the count again", async () => {
    const x = await person();
    const device = from("198.51.100.20");
    for (let i = 1; i <= 4; i++) expect((await attempt(x.login, `guess-${i}`, device)).status).toBe(401);
    expect((await attempt(x.login.toUpperCase(), x.password, device)).status).toBe(200);
    for (let i = 1; i <= 5; i++) expect((await attempt(x.login, `again-${i}`, device)).status).toBe(401);
    const sixth = await attempt(` ${x.login.toUpperCase()}`, x.password, device);
    expect(sixth.status).toBe(429);
    expect(retryAfter(sixth)).toBeGreaterThan(60);
    expect(retryAfter(sixth)).toBeLessThanOrEqual(15 * 60);
  });

  it("an attacker on name X from client A locks neither X from client B nor name Y from client A", async () => {
    const [x, y] = [await person(), await person()];
    const attacker = from("198.51.100.30");
    for (let i = 1; i <= 5; i++) expect((await attempt(x.login, `guess-${i}`, attacker)).status).toBe(401);
    for (let i = 6; i <= 12; i++) expect((await attempt(x.login, `guess-${i}`, attacker)).status).toBe(429);
    expect((await attempt(x.login, x.password, from("198.51.100.31"))).status).toBe(200);
    // The refused attempts checked no password and are not counted against client A.
    expect((await attempt(y.login, y.password, attacker)).status).toBe(200);
  });

  it("an address sprayed with guesses still lets in the person whose device logged in there before", async () => {
    const [y, z] = [await person(), await person()];
    const sharedAddress = from("198.51.100.40"); // one village's mobile network, say
    expect((await attempt(y.login, y.password, sharedAddress)).status).toBe(200);
    for (let i = 1; i <= 10; i++)
      expect((await attempt(`nobody-b${i}`, "x", sharedAddress)).status).toBe(401);
    expect((await attempt("nobody-b11", "x", sharedAddress)).status).toBe(429);
    expect((await attempt(y.login, y.password, sharedAddress)).status).toBe(200);
    // A device new to the name waits for the minute to pass (decision 0015).
    expect((await attempt(z.login, z.password, sharedAddress)).status).toBe(429);
  });

  it("with TRUST_PROXY, rotating X-Forwarded-For cannot get past the per-name limit", async () => {
    const x = await person();
    const usualPhone = from("198.51.100.50");
    expect((await attempt(x.login, x.password, usualPhone)).status).toBe(200);
    for (let i = 1; i <= 20; i++) {
      const res = await attempt(x.login, `guess-${i}`, from(`203.0.113.${i}`));
      expect(res.status, `guess ${i}`).toBe(401);
    }
    const next = await attempt(x.login, x.password, from("203.0.113.99"));
    expect(next.status).toBe(429);
    expect(retryAfter(next)).toBeGreaterThan(60);
    // The attacker cannot lock the person out of the phone they always use.
    expect((await attempt(x.login, x.password, usualPhone)).status).toBe(200);
  });

  it("believes only the last X-Forwarded-For entry, the one the proxy appended", async () => {
    for (let i = 1; i <= 10; i++) {
      const res = await attempt(`nobody-c${i}`, "x", from(`10.9.9.${i}, 198.51.100.60`));
      expect(res.status, `attempt ${i}`).toBe(401);
    }
    expect((await attempt("nobody-c11", "x", from("10.9.9.11, 198.51.100.60"))).status).toBe(429);
  });

  it("ignores an unsigned, forged, tampered or stale X-Coop-Client header", async () => {
    const shop = "192.0.2.70";
    const valid = signClientIdentity({ address: "203.0.113.70", browser: null }, SECRET);
    const claims = [
      "203.0.113.71",
      signClientIdentity({ address: "203.0.113.72", browser: null }, "a-guessed-secret-of-32-characters-xx"),
      valid.replace("203.0.113.70", "203.0.113.73"),
      signClientIdentity({ address: "203.0.113.74", browser: null }, SECRET, Date.now() - 10 * 60_000),
    ];
    for (let i = 1; i <= 10; i++) {
      const headers = { ...from(shop), "x-coop-client": claims[i % claims.length] as string };
      expect((await attempt(`nobody-d${i}`, "x", headers)).status, `attempt ${i}`).toBe(401);
    }
    // All ten were counted against the address they really came from.
    const eleventh = await attempt("nobody-d11", "x", {
      ...from(shop),
      "x-coop-client": claims[0] as string,
    });
    expect(eleventh.status).toBe(429);
  });

  it("tells people apart behind the shop by the address it signs", async () => {
    // Every request comes from the shop's address; the signed addresses are the people's.
    for (let i = 1; i <= 15; i++) {
      const res = await attempt(
        `nobody-e${i}`,
        "x",
        viaShop({ address: `203.0.113.${100 + i}`, browser: null }),
      );
      expect(res.status, `person ${i}`).toBe(401);
    }
    const x = await person();
    expect(
      (await attempt(x.login, x.password, viaShop({ address: "203.0.113.130", browser: null }))).status,
    ).toBe(200);
  });

  it("tells people apart by the browser id when the shop cannot see addresses", async () => {
    const x = await person();
    const attacker = viaShop({ address: null, browser: browserId(1) });
    for (let i = 1; i <= 5; i++) expect((await attempt(x.login, `guess-${i}`, attacker)).status).toBe(401);
    expect((await attempt(x.login, x.password, attacker)).status).toBe(429);
    expect(
      (await attempt(x.login, x.password, viaShop({ address: null, browser: browserId(2) }))).status,
    ).toBe(200);
    // The browser id outranks the address: the same phone on another network is the same device.
    const y = await person();
    const phone = browserId(3);
    for (let i = 1; i <= 5; i++) {
      const res = await attempt(
        y.login,
        `guess-${i}`,
        viaShop({ address: `203.0.113.${200 + i}`, browser: phone }),
      );
      expect(res.status).toBe(401);
    }
    expect(
      (await attempt(y.login, y.password, viaShop({ address: "203.0.113.210", browser: phone }))).status,
    ).toBe(429);
  });

  it("lets no more than 5 of 12 simultaneous guesses at one name from one device reach the password", async () => {
    const x = await person();
    const device = from("198.51.100.80");
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => attempt(x.login, `guess-${i}`, device)),
    );
    const statuses = results.map((r) => r.status).sort();
    const checked = statuses.filter((s) => s === 401).length;
    // At most the device's 5. (Fewer can happen: the device and the address are counted in separate
    // buckets, and a guess that is 5th on one can be 11th on the other when they race.)
    expect(checked).toBeLessThanOrEqual(5);
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(12 - checked);
  });

  it("shares one allowance between two API processes on the same database", async () => {
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
      const x = await person();
      const device = from("198.51.100.90");
      for (let i = 1; i <= 5; i++) {
        const res = await attempt(x.login, `guess-${i}`, device, i % 2 ? t : otherApp);
        expect(res.status, `guess ${i}`).toBe(401);
      }
      expect((await attempt(x.login, x.password, device, otherApp)).status).toBe(429);
      expect((await attempt(x.login, x.password, device, t)).status).toBe(429);
    } finally {
      await second.close();
    }
  });

  it("purges counters long over and known devices not seen for 30 days", async () => {
    await t.db.db.insert(loginThrottle).values([
      { bucket: "login:purge-old", windowStartedAt: new Date(Date.now() - 3 * 86_400_000), failures: 3 },
      { bucket: "login:purge-new", windowStartedAt: new Date(), failures: 3 },
      { bucket: "known:a:1.2.3.4|purge-old", windowStartedAt: new Date(Date.now() - 31 * 86_400_000) },
      { bucket: "known:a:1.2.3.4|purge-new", windowStartedAt: new Date(Date.now() - 3 * 86_400_000) },
    ]);
    expect((await purgeExpiredRows(t.db.db)).loginThrottle).toBeGreaterThanOrEqual(2);
    const left = await t.db.db
      .select({ bucket: loginThrottle.bucket })
      .from(loginThrottle)
      .where(like(loginThrottle.bucket, "%purge-%"));
    expect(left.map((r) => r.bucket).sort()).toEqual(["known:a:1.2.3.4|purge-new", "login:purge-new"]);
  });
});
