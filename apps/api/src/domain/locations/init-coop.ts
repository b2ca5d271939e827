import type { Executor } from "@coop/db";
import { coops } from "@coop/db/schema";
import { newId } from "@coop/shared";
import { CreateWarehouse } from "@coop/shared/contract";
import { eq } from "drizzle-orm";
import { ApiError } from "../../lib/errors";
import { createWarehouse, DEFAULT_WAREHOUSE_NAME } from "./warehouses";

export interface InitCoopInput {
  code: string;
  name: { zh: string; en: string };
  warehouse?: { code?: string; name?: { zh?: string; en?: string } };
}

/**
 * Sets up a co-op on an empty database (`pnpm coop coop:init`): the co-op and its warehouse, without which
 * no order that needs the warehouse can be placed. Safe to run again: an existing co-op and warehouse are
 * kept as they are (and a co-op set up before warehouses were part of it gets its warehouse now).
 */
export async function initCoop(db: Executor, input: InitCoopInput) {
  return db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(coops)
      .values({ id: newId("coop"), code: input.code, nameZh: input.name.zh, nameEn: input.name.en })
      .onConflictDoNothing({ target: coops.code })
      .returning({ id: coops.id });
    const [coop] = inserted
      ? [inserted]
      : await tx.select({ id: coops.id }).from(coops).where(eq(coops.code, input.code));
    const parsed = CreateWarehouse.safeParse({
      code: input.warehouse?.code ?? `WH-${input.code}`.toUpperCase(),
      name: {
        zh: input.warehouse?.name?.zh || DEFAULT_WAREHOUSE_NAME.zh,
        en: input.warehouse?.name?.en || DEFAULT_WAREHOUSE_NAME.en,
      },
    });
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => ({
        path: `warehouse.${i.path.join(".")}`,
        message: i.message,
      }));
      throw new ApiError("VALIDATION_FAILED", fields.map((f) => `${f.path}: ${f.message}`).join("; "), {
        fields,
      });
    }
    const warehouse = await createWarehouse(tx, {
      coopId: coop!.id,
      actorUserId: null,
      data: parsed.data,
      reuseExisting: true,
    });
    return { coop: { id: coop!.id, created: Boolean(inserted) }, warehouse };
  });
}
