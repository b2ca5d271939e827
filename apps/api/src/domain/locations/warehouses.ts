import type { Executor } from "@coop/db";
import { locations } from "@coop/db/schema";
import { newId } from "@coop/shared";
import type { CreateWarehouse } from "@coop/shared/contract";
import { and, asc, eq } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { placeCodeTaken } from "./place-views";

/** The name coop:init gives the warehouse when the operator names none (县供销社仓库). */
export const DEFAULT_WAREHOUSE_NAME = { zh: "县供销社仓库", en: "County co-op warehouse" } as const;

/** The co-op's one warehouse (decision 0026), or undefined before it has one. */
export async function findWarehouse(db: Executor, coopId: string) {
  const [row] = await db
    .select()
    .from(locations)
    .where(and(eq(locations.coopId, coopId), eq(locations.kind, "warehouse")))
    .orderBy(asc(locations.code))
    .limit(1);
  return row;
}

/**
 * Opens the co-op's warehouse. A co-op has exactly one (orders, collections and delivery runs all draw on
 * "the" warehouse; the database holds the rule with a partial UNIQUE index): a second one is refused with
 * 409 ALREADY_EXISTS naming the one there is, to be edited instead. With `reuseExisting` (coop:init) the
 * existing warehouse is returned instead, so running the set-up twice makes one.
 */
export async function createWarehouse(
  db: Executor,
  input: {
    coopId: string;
    actorUserId: string | null;
    requestId?: string;
    data: CreateWarehouse;
    reuseExisting?: boolean;
  },
): Promise<{ id: string; code: string; created: boolean }> {
  const { data } = input;
  return db.transaction(async (tx) => {
    const id = newId("location");
    const inserted = await tx
      .insert(locations)
      .values({
        id,
        coopId: input.coopId,
        kind: "warehouse",
        code: data.code,
        nameZh: data.name.zh,
        nameEn: data.name.en,
        address: data.address || null,
        phone: data.phone || null,
      })
      .onConflictDoNothing()
      .returning({ id: locations.id });
    if (inserted.length === 0) {
      const existing = await findWarehouse(tx, input.coopId);
      if (existing && input.reuseExisting) return { id: existing.id, code: existing.code, created: false };
      if (existing) {
        throw new ApiError(
          "ALREADY_EXISTS",
          `The co-op already has its warehouse ${existing.code} (${existing.nameZh}); edit that one instead.`,
          { details: { warehouseId: existing.id, code: existing.code } },
        );
      }
      throw placeCodeTaken(data.code);
    }
    await audit(tx, {
      actorUserId: input.actorUserId,
      action: "warehouse.create",
      entityType: "location",
      entityId: id,
      data,
      requestId: input.requestId,
    });
    return { id, code: data.code, created: true };
  });
}
