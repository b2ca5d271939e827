import type { Database, Executor } from "@coop/db";
import { coops } from "@coop/db/schema";
import type { CoopSettings, UpdateCoopSettings } from "@coop/shared/contract";
import { asc, eq } from "drizzle-orm";
import type { z } from "zod";
import { audit } from "../../lib/audit";

/** The co-op's settings as the contract names them. */
export async function getCoopSettings(db: Executor, coopId: string): Promise<z.infer<typeof CoopSettings>> {
  const [row] = await db.select().from(coops).where(eq(coops.id, coopId));
  return {
    id: row!.id,
    code: row!.code,
    name: { zh: row!.nameZh, en: row!.nameEn },
    defaultCommissionBps: row!.defaultCommissionBps,
    deliveryFeeFen: row!.deliveryFeeFen,
    freeDeliveryOverFen: row!.freeDeliveryOverFen,
    unpaidOrderSeconds: row!.unpaidOrderSeconds,
  };
}

/** The admin changes some settings: written with its audit line in one transaction; the settings now. */
export async function updateCoopSettings(
  db: Database,
  input: {
    coopId: string;
    actorUserId: string;
    requestId: string;
    changes: z.infer<typeof UpdateCoopSettings>;
  },
): Promise<z.infer<typeof CoopSettings>> {
  // Only what was sent: an absent field keeps its value (null is a value: no free-delivery threshold).
  const changes = Object.fromEntries(Object.entries(input.changes).filter(([, v]) => v !== undefined));
  if (Object.keys(changes).length) {
    await db.transaction(async (tx) => {
      await tx.update(coops).set(changes).where(eq(coops.id, input.coopId));
      await audit(tx, {
        actorUserId: input.actorUserId,
        requestId: input.requestId,
        action: "coop.settings",
        entityType: "coop",
        entityId: input.coopId,
        data: changes,
      });
    });
  }
  return getCoopSettings(db, input.coopId);
}

/**
 * The terms a buyer checks out under before anyone is logged in: the delivery fee rule and the unpaid-order
 * hold time of the co-op this installation serves (the first by code; one co-op per installation today).
 */
export async function checkoutTerms(db: Executor) {
  const [coop] = await db.select().from(coops).orderBy(asc(coops.code)).limit(1);
  return {
    deliveryFeeFen: coop?.deliveryFeeFen ?? 0,
    freeDeliveryOverFen: coop?.freeDeliveryOverFen ?? null,
    unpaidOrderSeconds: coop?.unpaidOrderSeconds ?? 1800,
  };
}
