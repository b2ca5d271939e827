import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, idColumn } from "./_columns";
import { coops, locations } from "./coop";

/** A villager who consigns produce (and may buy farm supplies). May have no online account at all. */
export const consignors = pgTable(
  "consignors",
  {
    id: idColumn(),
    coopId: text()
      .notNull()
      .references(() => coops.id),
    name: text().notNull(),
    /** Mainland mobile number, digits only; one villager per phone in a co-op. */
    phone: text().notNull(),
    /** The service point that registered the villager; agents of that point manage them. */
    servicePointId: text()
      .notNull()
      .references(() => locations.id),
    village: text(),
    /** The villager agreed that their name and village may appear on product pages. */
    showOnProductPages: boolean().notNull().default(false),
    /**
     * Running balance of the villager's consignor ledger (earnings − deductions − payouts), in fen.
     * Kept beside the ledger so a payout can check and lower it in one conditional UPDATE; a test checks
     * it always equals the ledger's sum.
     */
    balanceFen: bigint({ mode: "number" }).notNull().default(0),
    /** The registration command's client-made id (its Idempotency-Key), so an offline registration sent twice makes one villager. */
    clientCommandId: text().unique(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("consignors_coop_phone_unique").on(t.coopId, t.phone),
    check("consignors_phone_digits", sql`phone ~ '^[0-9]{11}$'`),
    index("consignors_service_point_idx").on(t.servicePointId),
    index("consignors_name_idx").on(t.name),
  ],
);
