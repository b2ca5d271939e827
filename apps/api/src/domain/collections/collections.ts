import type { Executor } from "@coop/db";
import { collectionRunLines, collectionRuns, locations, lots, products } from "@coop/db/schema";
import { newId } from "@coop/shared";
import { and, asc, desc, eq, inArray, type SQL } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { discrepancyReason, LEDGER_TEXT } from "../line-codes";
import { transitLocationId } from "../locations/transit";
import { moveLot, recordMovement } from "../stock/ledger";

type DiscrepancyKind = "broken" | "short_weight" | "missing" | "spoiled" | "other";

/**
 * A collection run leaves a service point: each lot's stock moves from the point to "in transit" (two ledger
 * lines sharing the run's batch id), and the lots travel until the warehouse receives them.
 */
export async function createCollection(
  db: Executor,
  input: {
    fromServicePointId: string;
    toLocationId?: string | undefined;
    lotIds: string[];
    actorUserId: string;
    requestId?: string;
  },
) {
  const lotIds = [...new Set(input.lotIds)];
  return db.transaction(async (tx) => {
    const [from] = await tx.select().from(locations).where(eq(locations.id, input.fromServicePointId));
    if (from?.kind !== "service_point") {
      throw new ApiError("VALIDATION_FAILED", "There is no such service point.", {
        fields: [{ path: "fromServicePointId", message: "no such service point" }],
      });
    }
    const [to] = input.toLocationId
      ? await tx.select().from(locations).where(eq(locations.id, input.toLocationId))
      : await tx
          .select()
          .from(locations)
          .where(and(eq(locations.coopId, from.coopId), eq(locations.kind, "warehouse")))
          .orderBy(asc(locations.code))
          .limit(1);
    if (to?.kind !== "warehouse") {
      throw new ApiError("VALIDATION_FAILED", "Collections go to a warehouse.", {
        fields: [{ path: "toLocationId", message: "not a warehouse" }],
      });
    }
    const found = await tx.select().from(lots).where(inArray(lots.id, lotIds)).for("update");
    const bad = lotIds.filter((id) => {
      const lot = found.find((l) => l.id === id);
      return !lot || lot.locationId !== from.id || lot.status !== "in_stock" || lot.onHand === 0;
    });
    if (bad.length) {
      throw new ApiError("VALIDATION_FAILED", "Some lots are not in stock at this service point.", {
        fields: bad.map((id) => ({
          path: `lotIds.${lotIds.indexOf(id)}`,
          message: `${id} is not in stock here`,
        })),
      });
    }
    const transitId = await transitLocationId(tx, from.coopId);
    const runId = newId("collection");
    await tx.insert(collectionRuns).values({
      id: runId,
      coopId: from.coopId,
      fromLocationId: from.id,
      toLocationId: to.id,
      status: "in_transit",
      createdByUserId: input.actorUserId,
    });
    for (const lot of found) {
      await moveLot(tx, lot, transitId, {
        actorUserId: input.actorUserId,
        batchId: runId,
        reason: LEDGER_TEXT.collection_sent,
      });
      await tx.update(lots).set({ status: "in_transit" }).where(eq(lots.id, lot.id));
      await tx.insert(collectionRunLines).values({ runId, lotId: lot.id, quantitySent: lot.onHand });
    }
    await audit(tx, {
      actorUserId: input.actorUserId,
      requestId: input.requestId,
      action: "collection.create",
      entityType: "collection",
      entityId: runId,
      data: { from: from.id, to: to.id, lotIds },
    });
    return runId;
  });
}

/**
 * The warehouse receives a run: every lot moves in at what was sent, and any shortfall (broken eggs, short
 * weight) is a discrepancy line against that lot, with its kind and note. Lines not listed arrived in full.
 */
export async function receiveCollection(
  db: Executor,
  input: {
    runId: string;
    lines: Array<{
      lotId: string;
      receivedQuantity: number;
      discrepancyKind?: DiscrepancyKind | undefined;
      note?: string | undefined;
    }>;
    actorUserId: string;
    requestId?: string;
  },
) {
  return db.transaction(async (tx) => {
    const [run] = await tx
      .select()
      .from(collectionRuns)
      .where(eq(collectionRuns.id, input.runId))
      .for("update");
    if (!run) throw new ApiError("NOT_FOUND", "There is no such collection.");
    if (run.status !== "in_transit")
      throw new ApiError("INVALID_STATE", "This collection was already received.");
    const runLines = await tx.select().from(collectionRunLines).where(eq(collectionRunLines.runId, run.id));
    const fields: Array<{ path: string; message: string }> = [];
    input.lines.forEach((l, i) => {
      const line = runLines.find((r) => r.lotId === l.lotId);
      if (!line) fields.push({ path: `lines.${i}.lotId`, message: "not in this collection" });
      else if (l.receivedQuantity > line.quantitySent) {
        fields.push({
          path: `lines.${i}.receivedQuantity`,
          message: `more than the ${line.quantitySent} sent`,
        });
      } else if (l.receivedQuantity < line.quantitySent && !l.discrepancyKind) {
        fields.push({
          path: `lines.${i}.discrepancyKind`,
          message: "say what happened to the missing units",
        });
      }
    });
    if (fields.length)
      throw new ApiError("VALIDATION_FAILED", "Some received quantities need a look.", { fields });

    const lotRows = await tx
      .select()
      .from(lots)
      .where(
        inArray(
          lots.id,
          runLines.map((r) => r.lotId),
        ),
      )
      .for("update");
    for (const line of runLines) {
      const lot = lotRows.find((l) => l.id === line.lotId)!;
      const given = input.lines.find((l) => l.lotId === line.lotId);
      const received = given?.receivedQuantity ?? line.quantitySent;
      await moveLot(tx, lot, run.toLocationId, {
        actorUserId: input.actorUserId,
        batchId: run.id,
        reason: LEDGER_TEXT.collection_received,
      });
      const short = line.quantitySent - received;
      if (short > 0) {
        await recordMovement(tx, {
          productId: lot.productId,
          locationId: run.toLocationId,
          lotId: lot.id,
          kind: "discrepancy",
          quantityDelta: -short,
          reason: discrepancyReason(given?.discrepancyKind, given?.note),
          actorUserId: input.actorUserId,
          batchId: run.id,
        });
      }
      await tx
        .update(lots)
        .set({ status: lot.status === "blocked" ? "blocked" : received > 0 ? "in_stock" : "depleted" })
        .where(eq(lots.id, lot.id));
      await tx
        .update(collectionRunLines)
        .set({
          quantityReceived: received,
          discrepancyKind: short > 0 ? (given?.discrepancyKind ?? null) : null,
          note: given?.note ?? null,
        })
        .where(and(eq(collectionRunLines.runId, run.id), eq(collectionRunLines.lotId, lot.id)));
    }
    await tx
      .update(collectionRuns)
      .set({ status: "received", receivedAt: new Date(), receivedByUserId: input.actorUserId })
      .where(eq(collectionRuns.id, run.id));
    await audit(tx, {
      actorUserId: input.actorUserId,
      requestId: input.requestId,
      action: "collection.receive",
      entityType: "collection",
      entityId: run.id,
      data: input.lines,
    });
  });
}

export async function getCollections(
  db: Executor,
  filter: { ids?: string[]; status?: "in_transit" | "received"; fromLocationId?: string },
) {
  const conditions: SQL[] = [];
  if (filter.ids) conditions.push(inArray(collectionRuns.id, filter.ids));
  if (filter.status) conditions.push(eq(collectionRuns.status, filter.status));
  if (filter.fromLocationId) conditions.push(eq(collectionRuns.fromLocationId, filter.fromLocationId));
  const runs = await db
    .select()
    .from(collectionRuns)
    .where(and(...conditions))
    .orderBy(desc(collectionRuns.createdAt))
    .limit(100);
  if (runs.length === 0) return [];
  const lines = await db
    .select({
      line: collectionRunLines,
      lotNo: lots.lotNo,
      nameZh: products.nameZh,
      nameEn: products.nameEn,
      unit: products.unit,
    })
    .from(collectionRunLines)
    .innerJoin(lots, eq(lots.id, collectionRunLines.lotId))
    .innerJoin(products, eq(products.id, lots.productId))
    .where(
      inArray(
        collectionRunLines.runId,
        runs.map((r) => r.id),
      ),
    )
    .orderBy(asc(lots.lotNo));
  return runs.map((run) => ({
    id: run.id,
    status: run.status,
    fromLocationId: run.fromLocationId,
    toLocationId: run.toLocationId,
    createdAt: run.createdAt.toISOString(),
    receivedAt: run.receivedAt?.toISOString() ?? null,
    lines: lines
      .filter((l) => l.line.runId === run.id)
      .map((l) => ({
        lotId: l.line.lotId,
        lotNo: l.lotNo,
        productName: { zh: l.nameZh, en: l.nameEn },
        unit: l.unit,
        quantitySent: l.line.quantitySent,
        quantityReceived: l.line.quantityReceived,
        discrepancyKind: l.line.discrepancyKind,
        note: l.line.note,
      })),
  }));
}
