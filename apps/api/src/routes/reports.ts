import {
  Dashboard,
  REPORT_MAX_DAYS,
  ReportRange,
  SalesReport,
  SalesReportQuery,
} from "@coop/shared/contract";
import { createRoute } from "@hono/zod-openapi";
import { dashboard } from "../domain/reports/dashboard";
import { rebuildAllRollups } from "../domain/reports/rollup-refresh";
import { salesReport } from "../domain/reports/sales-report";
import type { StaffPrincipal } from "../lib/context";
import { checkDayRange } from "../lib/day-range";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { visibleServicePoints } from "../lib/scope";
import { requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

const tags = ["Reports"];
const security = [{ bearerAuth: [] }];

const salesDef = createRoute({
  method: "get",
  path: "/reports/sales",
  tags,
  security,
  summary: "Sales over a range of China days, by day, week, month, channel, product or service point",
  description:
    "Net of refunds, money in fen, from the sales ledger's rollups (decision 0044). An agent gets their own point's figures; asking for another point is 403. At most 732 days.",
  middleware: [requireStaff("admin", "agent")] as const,
  request: { query: SalesReportQuery },
  responses: { 200: jsonContent(SalesReport, "The report"), ...errorResponses(400, 401, 403) },
});

const dashboardDef = createRoute({
  method: "get",
  path: "/reports/dashboard",
  tags,
  security,
  summary:
    "The staff dashboard: sales of the range, what is owed to villagers, stock, expiring lots, open orders",
  description: "Co-op wide for an admin (or one point with pointId); an agent's own point.",
  middleware: [requireStaff("admin", "agent")] as const,
  request: { query: ReportRange },
  responses: { 200: jsonContent(Dashboard, "The dashboard"), ...errorResponses(400, 401, 403) },
});

const rebuildDef = createRoute({
  method: "post",
  path: "/admin/reports/rebuild",
  tags,
  security,
  summary: "Rebuild every report rollup from the sales ledger (admin)",
  description:
    "The rollups are kept up to date every minute; this recomputes all of them (after a restore, say). Gives the same rows however often it runs. Audited.",
  middleware: [requireStaff("admin"), idempotent()] as const,
  responses: { 204: { description: "Rebuilt" }, ...errorResponses(401, 403) },
});

/** The range is checked here (zod checks each day's shape); the point is the staff member's to see. */
function scopeOf(staff: StaffPrincipal, range: { from: string; to: string; pointId?: string | undefined }) {
  checkDayRange(range, REPORT_MAX_DAYS, "A report");
  const points = visibleServicePoints(staff, range.pointId);
  return points === "all" ? null : points[0]!;
}

export function reportRoutes() {
  return createRouter()
    .openapi(salesDef, async (c) => {
      const staff = c.var.staff!;
      const q = c.req.valid("query");
      const pointId = scopeOf(staff, q);
      const report = await salesReport(c.var.deps.db, {
        coopId: staff.coopId,
        from: q.from,
        to: q.to,
        by: q.by,
        channel: q.channel,
        pointId,
      });
      return c.json(report, 200);
    })
    .openapi(dashboardDef, async (c) => {
      const staff = c.var.staff!;
      const q = c.req.valid("query");
      const pointId = scopeOf(staff, q);
      return c.json(
        await dashboard(c.var.deps.db, { coopId: staff.coopId, from: q.from, to: q.to, pointId }),
        200,
      );
    })
    .openapi(rebuildDef, async (c) => {
      const staff = c.var.staff!;
      await rebuildAllRollups(c.var.deps.db, {
        actorUserId: staff.id,
        coopId: staff.coopId,
        requestId: c.var.requestId,
      });
      return c.body(null, 204);
    });
}
