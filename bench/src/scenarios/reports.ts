/**
 * Issue 13's reports at scale: the sales report and the dashboard through the API, and the dashboard page
 * rendered by the shop, over the generated year (HISTORY_START_MS … HISTORY_END_MS, China days).
 */
import { chinaDate } from "@coop/shared";
import type { Sql } from "postgres";
import { Random } from "../data/random";
import { HISTORY_END_MS, HISTORY_START_MS } from "../data/scales";
import { httpLoad } from "../lib/http";
import type { Service } from "../lib/services";
import { type Summary, summarize } from "../lib/stats";
import { startShop } from "./shop";

/** The generated history's year as China days: the range a prefecture's yearly report covers. */
export const REPORT_YEAR = {
  from: chinaDate(new Date(HISTORY_START_MS)),
  to: chinaDate(new Date(HISTORY_END_MS - 1)),
};

export interface ReportRequest {
  name: string;
  path: (rng: Random) => string;
}

/** The API requests measured: what the report pages ask for over the year. */
export function reportRequests(pointIds: readonly string[]): ReportRequest[] {
  const year = `from=${REPORT_YEAR.from}&to=${REPORT_YEAR.to}`;
  return [
    { name: "sales by point, the year", path: () => `/v1/reports/sales?${year}&by=point` },
    { name: "sales by product, the year", path: () => `/v1/reports/sales?${year}&by=product` },
    { name: "sales by month, the year", path: () => `/v1/reports/sales?${year}&by=month` },
    {
      name: "one point's sales by product, the year",
      path: (rng) => `/v1/reports/sales?${year}&by=product&pointId=${rng.pick(pointIds)}`,
    },
    { name: "dashboard, co-op wide, the year", path: () => `/v1/reports/dashboard?${year}` },
    {
      name: "dashboard, one point, the year",
      path: (rng) => `/v1/reports/dashboard?${year}&pointId=${rng.pick(pointIds)}`,
    },
  ];
}

export interface ShopReportRender {
  page: string;
  path: string;
  render: { p50: number; p99: number; count: number };
  bytes: number;
}

export interface ReportsRun {
  api: Array<Summary & { name: string; clients: number; status: Record<string, number> }>;
  shop: ShopReportRender[] | { skipped: string };
}

export async function reportsRun(options: {
  sql: Sql;
  api: Service;
  token: string;
  admin: { login: string; password: string };
  seconds: number;
  levels: number[];
  shop: boolean;
  log: (m: string) => void;
}): Promise<ReportsRun> {
  const { sql, api, token, seconds, log } = options;
  const pointIds = (await sql`SELECT id FROM locations WHERE kind = 'service_point' ORDER BY id`).map(
    (r) => r.id as string,
  );
  const headers = { authorization: `Bearer ${token}` };
  const out: ReportsRun = { api: [], shop: { skipped: "not run" } };
  for (const request of reportRequests(pointIds)) {
    const warm = new Random(5);
    await httpLoad([{ url: api.url, connections: 2 }], {
      seconds: 1,
      headers,
      next: () => ({ path: request.path(warm) }),
    });
    for (const clients of options.levels) {
      const rng = new Random(clients * 23);
      const result = await httpLoad([{ url: api.url, connections: clients }], {
        seconds,
        headers,
        next: () => ({ path: request.path(rng) }),
      });
      out.api.push({ ...result, name: request.name, clients });
      log(
        `  ${request.name} ×${clients}: ${Math.round(result.throughput)}/s p50 ${result.p50.toFixed(1)} ms p99 ${result.p99.toFixed(1)} ms${result.errors ? ` errors ${result.errors} ${JSON.stringify(result.status)}` : ""}`,
      );
    }
  }
  if (options.shop) out.shop = await measureReportPages(api.url, options.admin, pointIds, log);
  return out;
}

/**
 * The staff report pages as the shop renders them for a signed-in admin: the whole HTML response, including
 * the shop's calls to the API and the charts drawn on the server, one request at a time after a warm-up.
 */
async function measureReportPages(
  apiUrl: string,
  admin: { login: string; password: string },
  pointIds: readonly string[],
  log: (m: string) => void,
): Promise<ShopReportRender[]> {
  const shop = await startShop(apiUrl);
  try {
    const cookie = await staffCookie(shop.url, admin);
    const year = `from=${REPORT_YEAR.from}&to=${REPORT_YEAR.to}`;
    const pages = [
      { page: "dashboard, co-op wide, the year", path: `/staff/reports?${year}` },
      { page: "dashboard, co-op wide, default range", path: "/staff/reports" },
      { page: "dashboard, one point, the year", path: `/staff/reports?${year}&pointId=${pointIds[0]}` },
      { page: "sales report by point, the year", path: `/staff/reports/sales?${year}&by=point` },
    ];
    const results: ShopReportRender[] = [];
    for (const { page, path } of pages) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 50; i++) {
        const t0 = performance.now();
        const res = await fetch(`${shop.url}${path}`, {
          headers: { cookie, "accept-encoding": "gzip, br" },
          redirect: "manual",
        });
        const body = await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`shop answered ${res.status} for ${path}`);
        bytes = body.byteLength;
        if (i >= 10) times.push(performance.now() - t0);
      }
      const render = summarize(times, 0, 1);
      results.push({ page, path, render: { p50: render.p50, p99: render.p99, count: render.count }, bytes });
      log(`  shop ${page}: server render p50 ${render.p50.toFixed(1)} ms, p99 ${render.p99.toFixed(1)} ms`);
    }
    return results;
  } finally {
    await shop.stop();
  }
}

/** Signs in through the console's login form, as a person would; returns the session cookie. */
async function staffCookie(shopUrl: string, admin: { login: string; password: string }): Promise<string> {
  const res = await fetch(`${shopUrl}/staff/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: shopUrl },
    body: new URLSearchParams({ login: admin.login, password: admin.password, redirectTo: "/staff" }),
    redirect: "manual",
  });
  const setCookie = res.headers.getSetCookie();
  if (res.status !== 302 || setCookie.length === 0)
    throw new Error(`staff login through the shop failed: ${res.status} ${await res.text()}`);
  return setCookie.map((c) => c.split(";")[0]).join("; ");
}
