import { readFileSync } from "node:fs";
import type { Executor } from "@coop/db";
import { createTestDb, type TestDb, testDbKinds } from "@coop/db/testing";
import { addDays, chinaToday } from "@coop/shared";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATASETS } from "../src/domain/exports/datasets";
import { exportPages } from "../src/domain/exports/export-stream";
import { sqlRows } from "../src/lib/sql-rows";
import { productionApiCommand, startApi } from "./api-process";
import { makeCoopWorld } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

type World = Awaited<ReturnType<typeof makeCoopWorld>>;

/**
 * Orders with one or two lines of eggs, written in SQL as a co-op's history would be: `count` orders, order n
 * picked up at point A when n is even, else at point B, created 4 days ago + n seconds (several in the same
 * microsecond when `tie` > 1, so paging must break ties by id).
 */
async function writeOrders(
  db: Executor,
  w: World,
  count: number,
  options: { tie?: number; twoLines?: boolean } = {},
) {
  const tie = options.tie ?? 1;
  await db.execute(sql`
    INSERT INTO orders (id, coop_id, status, contact_name, contact_phone, fulfilment_type, pickup_location_id,
                        payment_method, subtotal_fen, delivery_fee_fen, total_fen, access_token_hash, pickup_code_hash,
                        created_at, updated_at)
    SELECT 'ord_x' || lpad(n::text, 8, '0'), ${w.coop.id}, 'confirmed', '买家, "老王"', '1380000' || lpad((n % 10000)::text, 4, '0'),
           'pickup', CASE WHEN n % 2 = 0 THEN ${w.pointA.id} ELSE ${w.pointB.id} END, 'cash_on_pickup',
           ${options.twoLines ? sql`400 + 600` : sql`400`}, 0, ${options.twoLines ? sql`400 + 600` : sql`400`},
           md5(n::text), md5('c' || n), now() - interval '4 days' + (n / ${tie}) * interval '1 second', now()
    FROM generate_series(1, ${count}) n`);
  await db.execute(sql`
    INSERT INTO order_lines (id, order_id, product_id, location_id, quantity, units, unit_size, unit_price_fen, line_total_fen)
    SELECT 'oln_x' || lpad(n::text, 8, '0') || 'a', 'ord_x' || lpad(n::text, 8, '0'), ${w.egg.id}, ${w.warehouse.id},
           2, 2, 1, 200, 400
    FROM generate_series(1, ${count}) n`);
  if (options.twoLines)
    await db.execute(sql`
      INSERT INTO order_lines (id, order_id, product_id, location_id, quantity, units, unit_size, unit_price_fen, line_total_fen)
      SELECT 'oln_x' || lpad(n::text, 8, '0') || 'b', 'ord_x' || lpad(n::text, 8, '0'), ${w.pickle.id}, ${w.warehouse.id},
             200, 200, 1, 3, 600
      FROM generate_series(1, ${count}) n`);
}

describe.each(testDbKinds())("exports (%s)", (kind) => {
  let t: TestApp;
  let w: World;
  const token: Record<string, string> = {};
  const today = chinaToday();
  const range = `from=${addDays(today, -7)}&to=${today}`;

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    token.admin = await t.loginAs(w.admin.login, w.admin.password);
    token.agentA = await t.loginAs(w.agentA.login, w.agentA.password);
    token.warehouse = await t.loginAs(w.warehouseUser.login, w.warehouseUser.password);
    await writeOrders(t.db.db, w, 25, { tie: 4, twoLines: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  const download = (path: string, who: string) =>
    t.app.request(path, { headers: { authorization: `Bearer ${token[who]}` } });

  it("streams a co-op's order lines as CSV: a BOM, stable keys, every line once, money in fen and yuan", async () => {
    const res = await download(`/v1/exports/order-lines?${range}`, "admin");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="coop-order-lines-.*\.csv"$/,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    // The BOM lets Excel read the Chinese; the parser is told to drop it.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const rows = parse(text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0]!)).toEqual(DATASETS["order-lines"].columns.map((c) => c.key));
    expect(rows).toHaveLength(50);
    expect(new Set(rows.map((r) => r.line_id)).size).toBe(50);
    for (const r of rows) {
      expect(Number(r.line_total_fen)).toBe(Math.round(Number(r.line_total_yuan) * 100));
      expect(r.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    }
    expect(rows.find((r) => r.line_id?.endsWith("a"))).toMatchObject({
      quantity: "2",
      line_total_yuan: "4.00",
    });
    // Oldest first, an order's lines together.
    const orderIds = rows.map((r) => r.order_id);
    expect(orderIds).toEqual([...orderIds].sort());
  });

  it("quotes what needs quoting: a buyer's name with a comma and quotes comes back as typed", async () => {
    const text = await (await download(`/v1/exports/orders?${range}`, "admin")).text();
    const rows = parse(text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(25);
    expect(rows[0]!.contact_name).toBe('买家, "老王"');
    expect(rows[0]).toMatchObject({
      total_fen: "1000",
      total_yuan: "10.00",
      channel: "cash",
      status: "confirmed",
    });
  });

  it("pages by (created_at, id): rows sharing a microsecond are neither lost nor repeated", async () => {
    const scope = { coopId: w.coop.id, pointId: null, from: addDays(today, -7), to: today };
    for (const pageRows of [1, 3, 7, 1000]) {
      const seen: string[] = [];
      for await (const page of exportPages(t.db.db, DATASETS.orders, scope, pageRows))
        seen.push(...page.map((r) => String(r.order_id)));
      expect(seen, `pages of ${pageRows}`).toHaveLength(25);
      expect(new Set(seen).size).toBe(25);
    }
  });

  it("writes XLSX with Chinese headings and numbers as numbers", async () => {
    const res = await download(`/v1/exports/order-lines?${range}&format=xlsx`, "admin");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe("订单明细 order lines");
    expect(sheet.rowCount).toBe(51);
    const headings = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headings).toEqual(DATASETS["order-lines"].columns.map((c) => c.label));
    const total = DATASETS["order-lines"].columns.findIndex((c) => c.key === "line_total_fen") + 1;
    const values = Array.from({ length: 50 }, (_, i) => sheet.getRow(i + 2).getCell(total).value);
    expect(values.every((v) => typeof v === "number")).toBe(true);
    expect((values as number[]).reduce((a, b) => a + b, 0)).toBe(25 * 1000);
  });

  it("gives an agent their own point's rows, and refuses another point's", async () => {
    const text = await (await download(`/v1/exports/orders?${range}`, "agentA")).text();
    const rows = parse(text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows.length).toBe(12);
    expect(new Set(rows.map((r) => r.pickup_point_code))).toEqual(new Set([w.pointA.code]));
    expect((await download(`/v1/exports/orders?${range}&pointId=${w.pointB.id}`, "agentA")).status).toBe(403);
    // An admin narrows to one point the same way.
    const b = await (await download(`/v1/exports/orders?${range}&pointId=${w.pointB.id}`, "admin")).text();
    expect((parse(b, { bom: true, columns: true }) as unknown[]).length).toBe(13);
  });

  it("refuses a backwards or too long range, an unknown dataset, the warehouse role and no token, plainly", async () => {
    const backwards = await download(`/v1/exports/orders?from=${today}&to=${addDays(today, -1)}`, "admin");
    expect(backwards.status).toBe(400);
    expect(((await backwards.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_FAILED");
    expect((await download(`/v1/exports/orders?from=2020-01-01&to=${today}`, "admin")).status).toBe(400);
    expect((await download(`/v1/exports/everything?${range}`, "admin")).status).toBe(400);
    expect((await download(`/v1/exports/orders?${range}&format=pdf`, "admin")).status).toBe(400);
    expect((await download(`/v1/exports/orders?${range}`, "warehouse")).status).toBe(403);
    expect((await t.app.request(`/v1/exports/orders?${range}`)).status).toBe(401);
  });

  it("exports every dataset, and audits who downloaded what", async () => {
    for (const dataset of Object.keys(DATASETS)) {
      const res = await download(`/v1/exports/${dataset}?${range}`, "admin");
      expect(res.status, dataset).toBe(200);
      const rows = parse(await res.text(), { bom: true, columns: true }) as unknown[];
      expect(Array.isArray(rows), dataset).toBe(true);
    }
    const audited = await sqlRows<{ entity_id: string }>(
      t.db.db,
      sql`SELECT entity_id FROM audit_log WHERE action = 'export.download' AND actor_user_id = ${w.admin.id}`,
    );
    expect(audited.map((a) => a.entity_id)).toEqual(expect.arrayContaining(Object.keys(DATASETS)));
  });
});

/** A process's resident memory now (VmRSS) or at its peak so far (VmHWM), in MB. */
function rssMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${field}:`));
  return Number(line?.match(/(\d+)/)?.[1] ?? Number.NaN) / 1024;
}

/**
 * Issue 13's figure: 500,000 order lines exported through a real API process, read as a client reads a
 * download, with the process's peak RSS at most 200 MB — the file is never built in memory.
 */
describe.runIf(process.env.TEST_DATABASE_URL)("an export of 500,000 order lines (postgres)", () => {
  let db: TestDb;
  let w: World;

  beforeAll(async () => {
    db = await createTestDb("postgres");
    w = await makeCoopWorld(db.db);
    await writeOrders(db.db, w, 250_000, { twoLines: true });
    await db.db.execute(sql`ANALYZE orders`);
    await db.db.execute(sql`ANALYZE order_lines`);
  }, 180_000);
  afterAll(async () => {
    await db?.close();
  });

  it("streams with the API's RSS at most 200 MB, CSV and XLSX", async () => {
    const api = await startApi(db.url!, {}, undefined, productionApiCommand());
    try {
      const login = await fetch(`${api.url}/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ login: w.admin.login, password: w.admin.password }),
      });
      const { token } = (await login.json()) as { token: string };
      const today = chinaToday();
      const pid = api.proc.pid!;
      const idle = rssMb(pid, "VmRSS");
      for (const format of ["csv", "xlsx"] as const) {
        const res = await fetch(
          `${api.url}/v1/exports/order-lines?from=${addDays(today, -7)}&to=${today}&format=${format}`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        expect(res.status).toBe(200);
        // Sampled while the file streams: what the process holds during the export.
        let most = rssMb(pid, "VmRSS");
        const sampler = setInterval(() => {
          most = Math.max(most, rssMb(pid, "VmRSS"));
        }, 50);
        let bytes = 0;
        let newlines = 0;
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          bytes += chunk.byteLength;
          if (format === "csv") for (const b of chunk) if (b === 10) newlines++;
        }
        clearInterval(sampler);
        most = Math.max(most, rssMb(pid, "VmRSS"));
        if (format === "csv") expect(newlines).toBe(500_001);
        else expect(bytes).toBeGreaterThan(5_000_000);
        console.log(
          `export of 500,000 order lines as ${format}: ${(bytes / 1e6).toFixed(1)} MB; API RSS ${idle.toFixed(0)} MB before, at most ${most.toFixed(0)} MB during (peak since start ${rssMb(pid, "VmHWM").toFixed(0)} MB)`,
        );

        expect(most, `${format}: API RSS during the export (MB)`).toBeLessThanOrEqual(200);
      }
    } finally {
      await api.stop();
    }
  }, 300_000);
});
