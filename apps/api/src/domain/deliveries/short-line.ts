import type { Executor } from "@coop/db";
import { deliveryRunLines, deliveryRuns } from "@coop/db/schema";
import { and, eq } from "drizzle-orm";
import { ApiError } from "../../lib/errors";

/**
 * A run line that arrived short, locked for the one decision about its missing part (send it again, or give
 * the money back), with its run and how many units are missing. A line not counted yet, or counted in full,
 * has nothing to decide.
 */
export async function lockShortLine(tx: Executor, runId: string, lineId: string) {
  const [short] = await tx
    .select({ line: deliveryRunLines, run: deliveryRuns })
    .from(deliveryRunLines)
    .innerJoin(deliveryRuns, eq(deliveryRuns.id, deliveryRunLines.runId))
    .where(and(eq(deliveryRunLines.id, lineId), eq(deliveryRunLines.runId, runId)))
    .for("update", { of: deliveryRunLines });
  if (!short) throw new ApiError("NOT_FOUND", "There is no such line on this run.");
  const { line, run } = short;
  const missing = line.quantity - (line.quantityReceived ?? line.quantity);
  if (line.quantityReceived === null || missing === 0)
    throw new ApiError("INVALID_STATE", "Nothing of this line is missing.");
  return { line, run, missing };
}
