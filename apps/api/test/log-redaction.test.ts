import { Writable } from "node:stream";
import { createTestDb, type TestDb, testDbKinds } from "@coop/db/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { readEnv } from "../src/env";
import { noJobs } from "../src/jobs/queue";
import { createLogger } from "../src/lib/logger";
import { databaseStorage } from "../src/storage/blob-storage";
import { makeCoopWorld, setStock } from "./factories";

/**
 * Issue 14 point 8: a failed query was logged with all its parameters (Drizzle's "params: …", postgres.js's
 * `parameters`), so an argon2 hash, villagers' names and phones reached the logs. Here real requests fail
 * inside real queries on the production logger, and the captured log lines are searched for those values.
 */
describe.each(testDbKinds())("logs keep no query values, tokens or personal details (%s)", (kind) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  let adminToken = "";
  const lines: string[] = [];

  beforeAll(async () => {
    db = await createTestDb(kind);
    const env = readEnv({ NODE_ENV: "test", LOG_LEVEL: "info", TRUST_PROXY: "true" });
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split("\n").filter(Boolean));
        done();
      },
    });
    app = createApp({
      db: db.db,
      env,
      logger: createLogger(env, destination),
      storage: databaseStorage(db.db),
      stripe: null,
      jobs: noJobs,
    });
    w = await makeCoopWorld(db.db);
    await setStock(db.db, w.egg.id, w.warehouse.id, 100);
    const login = await call("POST", "/v1/auth/login", { login: w.admin.login, password: w.admin.password });
    adminToken = login.json.token;
    // A constraint that every new row breaks: the inserts below reach PostgreSQL with their values as
    // parameters and fail there, as a real constraint failure or a bug would.
    for (const table of ["staff_users", "consignors", "orders"]) {
      await db.db.execute(
        sql.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_test_refuse CHECK (false) NOT VALID`),
      );
    }
  });
  afterAll(() => db?.close());

  async function call(method: string, path: string, body?: unknown, token?: string) {
    const res = await app.request(path, {
      method,
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        "x-forwarded-for": "10.1.2.3",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, json: text ? JSON.parse(text) : null };
  }

  const logged = () => lines.join("\n");
  function expectNoneOf(log: string, secrets: string[]) {
    for (const secret of secrets) expect(log, `${secret} was logged`).not.toContain(secret);
  }

  it("a staff account whose insert fails: no password, no argon2 hash, no login or name in the log", async () => {
    lines.length = 0;
    const res = await call(
      "POST",
      "/v1/staff",
      { role: "warehouse", login: "wang.xiaoming", password: "Lotus-Pond-Secret-42", displayName: "王小明" },
      adminToken,
    );
    expect(res.status, res.text).toBe(500);
    const log = logged();
    expectNoneOf(log, ["Lotus-Pond-Secret-42", "$argon2", "argon2id", "wang.xiaoming", "王小明", "params:"]);
    expect(log).toContain('"sqlState":"23514"');
    expect(log).toContain("staff_users_test_refuse");
    expect(log).toContain("Failed query: insert into");
  });

  it("a villager whose insert fails: no name or phone in the log", async () => {
    lines.length = 0;
    const res = await call(
      "POST",
      "/v1/consignors",
      { name: "李秀英", phone: "13800001111", servicePointId: w.pointA.id, village: "桃花村" },
      adminToken,
    );
    expect(res.status, res.text).toBe(500);
    const log = logged();
    expectNoneOf(log, ["李秀英", "13800001111", "桃花村", "params:"]);
    expect(log).toContain('"sqlState":"23514"');
    expect(log).toContain("consignors_test_refuse");
  });

  it("an anonymous order whose insert fails: no buyer's name, phone or note in the log", async () => {
    lines.length = 0;
    const res = await call("POST", "/v1/orders", {
      items: [{ productId: w.egg.id, quantity: 1 }],
      fulfilment: { type: "pickup", servicePointId: w.pointA.id },
      note: "幸福路 88 号 3 单元 after six",
      payment: { method: "cash_on_pickup" },
      contact: { name: "城里张先生", phone: "13912345678" },
    });
    expect(res.status, res.text).toBe(500);
    expectNoneOf(logged(), ["城里张先生", "13912345678", "幸福路", "params:"]);
    expect(logged()).toContain('"sqlState":"23514"');
  });

  it("a buyer's access token in a query string is not logged with the request", async () => {
    lines.length = 0;
    await call("GET", "/v1/orders/ord_x?token=oat_SecretAccessToken123&phone=13912345678");
    const log = logged();
    expect(log).toContain('"path":"/v1/orders/ord_x"');
    expect(log).not.toContain("oat_SecretAccessToken123");
    expect(log).not.toContain("13912345678");
  });

  it("redacts credentials and personal fields wherever a log line carries them", () => {
    lines.length = 0;
    const env = readEnv({ NODE_ENV: "test", LOG_LEVEL: "info" });
    const out: string[] = [];
    const logger = createLogger(env, {
      write: (s: string) => {
        out.push(s);
      },
    });
    logger.info(
      {
        req: { headers: { authorization: "Bearer stf_abc", cookie: "s=1", "x-coop-client": "signed-ip" } },
        sms: { to: "139****5678", data: { pickupCode: "482913", name: "钱阿姨" } },
        order: { accessToken: "oat_zzz", contact: { name: "赵", phone: "13700000000" } },
        passwordHash: "$argon2id$v=19$m=19456",
      },
      "line",
    );
    const line = out.join("");
    for (const secret of [
      "stf_abc",
      "s=1",
      "signed-ip",
      "482913",
      "钱阿姨",
      "oat_zzz",
      "13700000000",
      "$argon2id",
    ]) {
      expect(line, secret).not.toContain(secret);
    }
    expect(line).toContain("[redacted]");
  });
});
