import type { Executor } from "@coop/db";
import { lotReceiptPrints, lots, type RECEIPT_PRINT_FORMATS } from "@coop/db/schema";
import { newId } from "@coop/shared";
import { and, asc, eq, inArray } from "drizzle-orm";

export type ReceiptPrintFormat = (typeof RECEIPT_PRINT_FORMATS)[number];

/** Formats that put paper in the villager's hand: after the first of these, every one says 补打. */
const PAPER: ReceiptPrintFormat[] = ["pdf", "escpos"];

export interface RecordedPrint {
  id: string;
  at: Date;
  /** The time of this print when it is a reprint (a paper copy came out before), else null. */
  reprint: { at: string } | null;
  /** Paper copies before this one. */
  earlierPaperPrints: number;
}

/**
 * Appends one line to the lot's print log and says whether this copy is a reprint. The lot's row is locked
 * for the moment of the count, so two phones printing the same receipt at once cannot both print an
 * "original". A screen showing is logged but is not paper: printing after it is still the original.
 */
export async function recordReceiptPrint(
  db: Executor,
  input: { lotId: string; format: ReceiptPrintFormat; userId: string | null },
): Promise<RecordedPrint> {
  return db.transaction(async (tx) => {
    await tx.select({ id: lots.id }).from(lots).where(eq(lots.id, input.lotId)).for("update");
    const earlier = await tx
      .select({ id: lotReceiptPrints.id })
      .from(lotReceiptPrints)
      .where(and(eq(lotReceiptPrints.lotId, input.lotId), inArray(lotReceiptPrints.format, PAPER)))
      .orderBy(asc(lotReceiptPrints.createdAt));
    const [row] = await tx
      .insert(lotReceiptPrints)
      .values({
        id: newId("receiptPrint"),
        lotId: input.lotId,
        format: input.format,
        printedByUserId: input.userId,
      })
      .returning({ id: lotReceiptPrints.id, at: lotReceiptPrints.createdAt });
    const isPaper = PAPER.includes(input.format);
    return {
      id: row!.id,
      at: row!.at,
      reprint: isPaper && earlier.length > 0 ? { at: row!.at.toISOString() } : null,
      earlierPaperPrints: earlier.length,
    };
  });
}
