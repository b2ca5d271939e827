import type { Database } from "@coop/db";
import { commitmentReminders } from "@coop/db/schema";
import { chinaToday } from "@coop/shared";
import { sql } from "drizzle-orm";
import { sqlRows } from "../../lib/sql-rows";
import { queueSms } from "../notifications/queue-sms";
import { ATTENTION_DAYS, judgeWork } from "./commitments-report";

/**
 * The morning reminder (限时办结): every service point with work at risk or breached gets one SMS on its
 * phone saying how many. The reminder row and the SMS are written together, and the row's key is the point
 * and the day, so two processes running the job, or a rerun, text a point once a day.
 */
export async function sendCommitmentReminders(db: Database, now = new Date()): Promise<number> {
  const today = chinaToday(now);
  const coops = await sqlRows<{ id: string }>(db, sql`SELECT id FROM coops ORDER BY id`);
  let sent = 0;
  for (const coop of coops) {
    const from = new Date(now.getTime() - ATTENTION_DAYS * 86_400_000);
    const { judged } = await judgeWork(db, {
      coopId: coop.id,
      pointId: null,
      from: chinaToday(from),
      to: today,
      now,
    });
    const perPoint = new Map<string, { atRisk: number; breached: number }>();
    for (const j of judged) {
      if (j.standing.state !== "at_risk" && j.standing.state !== "breached") continue;
      const counts = perPoint.get(j.item.pointId) ?? { atRisk: 0, breached: 0 };
      if (j.standing.state === "at_risk") counts.atRisk++;
      else counts.breached++;
      perPoint.set(j.item.pointId, counts);
    }
    if (perPoint.size === 0) continue;
    const points = await sqlRows<{ id: string; name_zh: string; phone: string | null }>(
      db,
      sql`SELECT id, name_zh, phone FROM locations WHERE coop_id = ${coop.id} AND id IN ${[...perPoint.keys()]}`,
    );
    for (const point of points) {
      const counts = perPoint.get(point.id)!;
      await db.transaction(async (tx) => {
        const [fresh] = await tx
          .insert(commitmentReminders)
          .values({ servicePointId: point.id, day: today, ...counts })
          .onConflictDoNothing()
          .returning({ day: commitmentReminders.day });
        // Already reminded today, or a point without a phone: the console's 限时办结 page still lists it.
        if (!fresh || !point.phone) return;
        await queueSms(tx, {
          to: point.phone,
          template: "commitment_reminder",
          data: { servicePointName: point.name_zh, ...counts },
        });
        sent++;
      });
    }
  }
  return sent;
}
