import type { Database, Executor } from "@coop/db";
import { locations, ratingFollowUps, ratingRequests, ratings, staffUsers } from "@coop/db/schema";
import { chinaToday, type RatingFollowUpStatus } from "@coop/shared";
import type { RatingFollowUp } from "@coop/shared/contract";
import { and, asc, desc, eq, inArray, type SQL } from "drizzle-orm";
import { audit } from "../../lib/audit";
import type { StaffPrincipal } from "../../lib/context";
import { ApiError } from "../../lib/errors";

const LIST_LIMIT = 200;

/**
 * Low ratings' follow-ups: open ones first, soonest due first; then the closed, last closed first. `points` is
 * what the staff member may see ("all" for an admin). Who rated (the phone) is for the admin, who calls back:
 * an agent reads their point's follow-ups without it.
 */
export async function listFollowUps(
  db: Executor,
  input: {
    coopId: string;
    points: string[] | "all";
    status?: RatingFollowUpStatus | undefined;
    showPhone: boolean;
    now?: Date;
  },
): Promise<RatingFollowUp[]> {
  const where: SQL[] = [eq(ratingRequests.coopId, input.coopId)];
  if (input.points !== "all") where.push(inArray(ratingFollowUps.servicePointId, input.points));
  if (input.status) where.push(eq(ratingFollowUps.status, input.status));
  const rows = await followUpRows(db, and(...where)!)
    .orderBy(
      desc(eq(ratingFollowUps.status, "open")),
      asc(ratingFollowUps.dueOn),
      desc(ratingFollowUps.closedAt),
      asc(ratingFollowUps.id),
    )
    .limit(LIST_LIMIT);
  const today = chinaToday(input.now ?? new Date());
  return rows.map((r) => project(r, today, input.showPhone));
}

/**
 * The admin closes a follow-up with what was done. Only an open one: closing a closed one is 409 (a retried
 * request with its Idempotency-Key gets the first answer instead). Audited with the note.
 */
export async function closeFollowUp(
  db: Database,
  input: { id: string; note: string; staff: StaffPrincipal; requestId?: string; now?: Date },
): Promise<RatingFollowUp> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const [current] = await followUpRows(
      tx,
      and(eq(ratingFollowUps.id, input.id), eq(ratingRequests.coopId, input.staff.coopId))!,
    ).for("update", { of: ratingFollowUps });
    if (!current) throw new ApiError("NOT_FOUND", "There is no such follow-up.");
    if (current.followUp.status === "closed") {
      throw new ApiError("INVALID_STATE", "This follow-up was closed already.", {
        details: { closedAt: current.followUp.closedAt?.toISOString() ?? null },
      });
    }
    await tx
      .update(ratingFollowUps)
      .set({ status: "closed", closedByUserId: input.staff.id, closedAt: now, note: input.note })
      .where(eq(ratingFollowUps.id, input.id));
    await audit(tx, {
      actorUserId: input.staff.id,
      requestId: input.requestId,
      action: "rating_follow_up.close",
      entityType: "rating_follow_up",
      entityId: input.id,
      data: { ratingId: current.followUp.ratingId, level: current.level, note: input.note },
    });
    const [closed] = await followUpRows(tx, eq(ratingFollowUps.id, input.id)!);
    return project(closed!, chinaToday(now), true);
  });
}

function followUpRows(db: Executor, where: SQL) {
  return db
    .select({
      followUp: ratingFollowUps,
      level: ratings.level,
      comment: ratings.comment,
      ratedAt: ratings.createdAt,
      kind: ratingRequests.kind,
      subjectId: ratingRequests.subjectId,
      phone: ratingRequests.phone,
      pointZh: locations.nameZh,
      pointEn: locations.nameEn,
      closedByName: staffUsers.displayName,
    })
    .from(ratingFollowUps)
    .innerJoin(ratings, eq(ratings.id, ratingFollowUps.ratingId))
    .innerJoin(ratingRequests, eq(ratingRequests.id, ratings.requestId))
    .innerJoin(locations, eq(locations.id, ratingFollowUps.servicePointId))
    .leftJoin(staffUsers, eq(staffUsers.id, ratingFollowUps.closedByUserId))
    .where(where)
    .$dynamic();
}

type FollowUpRow = Awaited<ReturnType<typeof followUpRows>>[number];

function project(r: FollowUpRow, today: string, showPhone: boolean): RatingFollowUp {
  const f = r.followUp;
  return {
    id: f.id,
    ratingId: f.ratingId,
    kind: r.kind,
    subjectId: r.subjectId,
    servicePointId: f.servicePointId,
    servicePointName: r.pointZh,
    servicePointNameEn: r.pointEn,
    level: r.level,
    comment: r.comment,
    phone: showPhone ? r.phone : null,
    ratedAt: r.ratedAt.toISOString(),
    dueOn: f.dueOn,
    overdue: f.status === "open" && f.dueOn < today,
    status: f.status,
    closedAt: f.closedAt?.toISOString() ?? null,
    closedByName: r.closedByName ?? null,
    note: f.note,
  };
}
