import type { Executor } from "@coop/db";
import { consignors, locations } from "@coop/db/schema";
import { newId } from "@coop/shared";
import type { CreateConsignor } from "@coop/shared/contract";
import { and, asc, eq, gt, ilike, inArray, or, type SQL } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";

export type ConsignorRow = typeof consignors.$inferSelect;

export function projectConsignor(c: ConsignorRow) {
  return {
    id: c.id,
    name: c.name,
    phone: c.phone,
    servicePointId: c.servicePointId,
    village: c.village,
    showOnProductPages: c.showOnProductPages,
    balanceFen: c.balanceFen,
    createdAt: c.createdAt.toISOString(),
  };
}

export async function findConsignor(db: Executor, id: string) {
  const [row] = await db.select().from(consignors).where(eq(consignors.id, id));
  if (!row) throw new ApiError("NOT_FOUND", "There is no such villager.");
  return row;
}

/**
 * Finds villagers by phone (digits, at least 4) or name within the points the caller may see. A phone that
 * matches exactly a villager registered elsewhere is reported separately, with only their name and point,
 * so the agent does not register the same person twice.
 */
export async function searchConsignors(
  db: Executor,
  input: { q: string; servicePointIds: string[] | "all"; limit: number },
) {
  const q = input.q.trim();
  const digits = q.replace(/[\s-]/g, "");
  const isPhone = /^\d{4,11}$/.test(digits);
  const match: SQL = isPhone
    ? ilike(consignors.phone, `%${digits}%`)
    : or(ilike(consignors.name, `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`), eq(consignors.phone, digits))!;
  const scope =
    input.servicePointIds === "all" ? undefined : inArray(consignors.servicePointId, input.servicePointIds);
  const items = await db
    .select()
    .from(consignors)
    .where(and(match, scope))
    .orderBy(asc(consignors.name))
    .limit(input.limit);
  let elsewhere: Array<{
    id: string;
    name: string;
    servicePointId: string;
    servicePointName: { zh: string; en: string };
  }> = [];
  if (input.servicePointIds !== "all" && /^1\d{10}$/.test(digits)) {
    const rows = await db
      .select({
        id: consignors.id,
        name: consignors.name,
        servicePointId: consignors.servicePointId,
        zh: locations.nameZh,
        en: locations.nameEn,
      })
      .from(consignors)
      .innerJoin(locations, eq(locations.id, consignors.servicePointId))
      .where(eq(consignors.phone, digits));
    elsewhere = rows
      .filter((r) => !input.servicePointIds.includes(r.servicePointId))
      .map((r) => ({
        id: r.id,
        name: r.name,
        servicePointId: r.servicePointId,
        servicePointName: { zh: r.zh, en: r.en },
      }));
  }
  return { items: items.map(projectConsignor), elsewhere };
}

/**
 * Every villager registered at one service point, a page at a time in id order (keyset): what an agent's
 * phone keeps so that any of the point's villagers can be found with no network, not only recent ones.
 */
export async function pointRoster(
  db: Executor,
  input: { servicePointId: string; afterId?: string | undefined; limit: number },
) {
  const rows = await db
    .select({
      id: consignors.id,
      name: consignors.name,
      phone: consignors.phone,
      village: consignors.village,
      servicePointId: consignors.servicePointId,
    })
    .from(consignors)
    .where(
      and(
        eq(consignors.servicePointId, input.servicePointId),
        input.afterId ? gt(consignors.id, input.afterId) : undefined,
      ),
    )
    .orderBy(asc(consignors.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

/**
 * The villager an earlier request of this registration command made, if any. A command is the same when it
 * names the same phone at the same point; the name and village may have been corrected since (PATCH), so
 * they are not compared. Another phone or point under the same command id is refused.
 */
async function registeredBy(db: Executor, clientCommandId: string, data: CreateConsignor) {
  const [row] = await db
    .select({ id: consignors.id, phone: consignors.phone, servicePointId: consignors.servicePointId })
    .from(consignors)
    .where(eq(consignors.clientCommandId, clientCommandId));
  if (!row) return undefined;
  if (row.phone !== data.phone || row.servicePointId !== data.servicePointId) {
    throw new ApiError(
      "IDEMPOTENCY_KEY_REUSED",
      "This Idempotency-Key already registered a different villager. Use a new key for a new registration.",
      { details: { consignorId: row.id } },
    );
  }
  return { id: row.id };
}

/**
 * Registers a villager at a service point. `clientCommandId` (the request's Idempotency-Key) is kept on the
 * villager, so a registration queued on a phone and sent twice, days apart, makes one villager for ever.
 */
export async function createConsignor(
  db: Executor,
  input: { data: CreateConsignor; actorUserId: string; requestId?: string; clientCommandId?: string },
) {
  const { data, clientCommandId } = input;
  if (clientCommandId) {
    const earlier = await registeredBy(db, clientCommandId, data);
    if (earlier) return earlier;
  }
  return db.transaction(async (tx) => {
    const [point] = await tx.select().from(locations).where(eq(locations.id, data.servicePointId));
    if (point?.kind !== "service_point") {
      throw new ApiError("VALIDATION_FAILED", "There is no such service point.", {
        fields: [{ path: "servicePointId", message: "no such service point" }],
      });
    }
    const id = newId("consignor");
    const inserted = await tx
      .insert(consignors)
      .values({
        id,
        coopId: point.coopId,
        name: data.name,
        phone: data.phone,
        servicePointId: point.id,
        village: data.village ?? point.village,
        showOnProductPages: data.showOnProductPages,
        clientCommandId: clientCommandId ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: consignors.id });
    if (inserted.length === 0) {
      // The same command sent twice at once: the other request registered this villager a moment ago.
      const earlier = clientCommandId ? await registeredBy(tx, clientCommandId, data) : undefined;
      if (earlier) return earlier;
      const [existing] = await tx
        .select({ id: consignors.id, servicePointId: consignors.servicePointId })
        .from(consignors)
        .where(and(eq(consignors.coopId, point.coopId), eq(consignors.phone, data.phone)));
      throw new ApiError("ALREADY_EXISTS", "A villager with this phone number is already registered.", {
        fields: [{ path: "phone", message: "already registered" }],
        details: existing ? { consignorId: existing.id, servicePointId: existing.servicePointId } : {},
      });
    }
    await audit(tx, {
      actorUserId: input.actorUserId,
      requestId: input.requestId,
      action: "consignor.create",
      entityType: "consignor",
      entityId: id,
      data,
    });
    return { id };
  });
}

export async function updateConsignor(
  db: Executor,
  consignor: ConsignorRow,
  input: {
    data: {
      name?: string | undefined;
      village?: string | null | undefined;
      showOnProductPages?: boolean | undefined;
    };
    actorUserId: string;
    requestId?: string;
  },
) {
  const changes = Object.fromEntries(Object.entries(input.data).filter(([, v]) => v !== undefined));
  return db.transaction(async (tx) => {
    const [row] = Object.keys(changes).length
      ? await tx.update(consignors).set(changes).where(eq(consignors.id, consignor.id)).returning()
      : [consignor];
    await audit(tx, {
      ...input,
      action: "consignor.update",
      entityType: "consignor",
      entityId: consignor.id,
      data: changes,
    });
    return projectConsignor(row!);
  });
}
