import {
  CommitmentKindParams,
  CommitmentSettings,
  CommitmentsReport,
  REPORT_MAX_DAYS,
  ReportRange,
  SetCommitment,
} from "@coop/shared/contract";
import { createRoute } from "@hono/zod-openapi";
import { commitmentSettings, setCommitment } from "../domain/commitments/commitment-settings";
import { commitmentsReport } from "../domain/commitments/commitments-report";
import { checkDayRange } from "../lib/day-range";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { visibleServicePoints } from "../lib/scope";
import { requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

const tags = ["Reports"];
const security = [{ bearerAuth: [] }];

const reportDef = createRoute({
  method: "get",
  path: "/reports/commitments",
  tags,
  security,
  summary: "限时办结: how much work was done within its commitment, per kind and per service point",
  description:
    "Work started in the range (China days): intakes settled, assisted orders ready, pickups handed over, complaints answered, each judged against the co-op's commitment in working days on its calendar (decision 0047); per point with its ratings; and what is at risk or breached now. An agent gets their own point's.",
  middleware: [requireStaff("admin", "agent")] as const,
  request: { query: ReportRange },
  responses: { 200: jsonContent(CommitmentsReport, "The report"), ...errorResponses(400, 401, 403) },
});

const settingsDef = createRoute({
  method: "get",
  path: "/admin/commitments",
  tags,
  security,
  summary: "The co-op's service commitments: working days per kind of work",
  middleware: [requireStaff("admin", "agent")] as const,
  responses: { 200: jsonContent(CommitmentSettings, "The commitments"), ...errorResponses(401, 403) },
});

const setDef = createRoute({
  method: "put",
  path: "/admin/commitments/{kind}",
  tags,
  security,
  summary: "Set how many working days a kind of work may take (admin); audited",
  middleware: [requireStaff("admin"), idempotent()] as const,
  request: {
    params: CommitmentKindParams,
    body: { required: true, content: { "application/json": { schema: SetCommitment } } },
  },
  responses: { 200: jsonContent(CommitmentSettings, "Saved"), ...errorResponses(400, 401, 403) },
});

export function commitmentRoutes() {
  return createRouter()
    .openapi(reportDef, async (c) => {
      const staff = c.var.staff!;
      const q = c.req.valid("query");
      checkDayRange(q, REPORT_MAX_DAYS, "A report");
      const points = visibleServicePoints(staff, q.pointId);
      const report = await commitmentsReport(c.var.deps.db, {
        coopId: staff.coopId,
        pointId: points === "all" ? null : points[0]!,
        from: q.from,
        to: q.to,
      });
      return c.json(report, 200);
    })
    .openapi(settingsDef, async (c) =>
      c.json(await commitmentSettings(c.var.deps.db, c.var.staff!.coopId), 200),
    )
    .openapi(setDef, async (c) => {
      const staff = c.var.staff!;
      const saved = await setCommitment(c.var.deps.db, {
        coopId: staff.coopId,
        kind: c.req.valid("param").kind,
        workingDays: c.req.valid("json").workingDays,
        actorUserId: staff.id,
        requestId: c.var.requestId,
      });
      return c.json(saved, 200);
    });
}
