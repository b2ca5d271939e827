import { EXPORT_MAX_DAYS, ExportParams, ExportQuery } from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { exportFile } from "../domain/exports/export-stream";
import { checkDayRange } from "../lib/day-range";
import { createRouter } from "../lib/router";
import { errorResponses } from "../lib/schemas";
import { visibleServicePoints } from "../lib/scope";
import { requireStaff } from "../middleware/authenticate";

const binary = z.any().meta({ type: "string", format: "binary" });

const exportDef = createRoute({
  method: "get",
  path: "/exports/{dataset}",
  tags: ["Reports"],
  security: [{ bearerAuth: [] }],
  summary: "Download orders, order lines, statements, payouts, stock or a ledger as CSV or XLSX",
  description: `Rows created in the range of China days (stock-levels: as stock stands now), oldest first, streamed as they are read (decision 0043): a year's export starts at once and the API holds a page of rows at a time. Money in fen and in yuan (two decimals, exact), quantities in the product's base unit, times in China time (+08:00). An agent gets their own service point's rows; an admin the co-op's, or one point's with pointId. At most ${EXPORT_MAX_DAYS} days. Each download is audited. A failure part-way aborts the download rather than ending the file early.`,
  middleware: [requireStaff("admin", "agent")] as const,
  request: { params: ExportParams, query: ExportQuery },
  responses: {
    200: {
      description: "The file, as an attachment",
      content: {
        "text/csv": { schema: binary },
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { schema: binary },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

export function exportRoutes() {
  return createRouter().openapi(exportDef, async (c) => {
    const staff = c.var.staff!;
    const { dataset } = c.req.valid("param");
    const q = c.req.valid("query");
    checkDayRange(q, EXPORT_MAX_DAYS, "An export");
    const points = visibleServicePoints(staff, q.pointId);
    const file = await exportFile(c.var.deps.db, {
      dataset,
      format: q.format,
      scope: { coopId: staff.coopId, pointId: points === "all" ? null : points[0]!, from: q.from, to: q.to },
      actorUserId: staff.id,
      requestId: c.var.requestId,
      onError: (error) => c.var.logger.error({ err: error, dataset }, "export aborted part-way"),
    });
    return new Response(file.body, {
      status: 200,
      headers: {
        "content-type": file.contentType,
        "content-disposition": `attachment; filename="${file.filename}"`,
        "cache-control": "no-store",
      },
    }) as never;
  });
}
