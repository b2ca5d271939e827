import type { Executor } from "@coop/db";
import type { CommitmentKind } from "@coop/shared";
import { type SQL, sql } from "drizzle-orm";
import { sqlRows } from "../../lib/sql-rows";

// The pieces of work each commitment covers, read from the records that already say when the work started
// and when it was done (decision 0047): nothing is stored per piece, so the figures cannot drift from the
// orders, status lines and ledgers they describe.

export interface CommitmentItem {
  kind: CommitmentKind;
  subjectId: string;
  /** The service point whose work it is. */
  pointId: string;
  startedAt: Date;
  doneAt: Date | null;
}

export interface ItemScope {
  coopId: string;
  pointId: string | null;
  /** Work started in [from, before): instants, ISO 8601. */
  from: string;
  before: string;
}

const inScope = (column: string, s: ItemScope) =>
  s.pointId ? sql`AND ${sql.raw(column)} = ${s.pointId}` : sql``;

const QUERIES: Record<CommitmentKind, (s: ItemScope) => SQL> = {
  // An order an agent placed for a villager (帮代办), from the order to the goods ready at the point.
  assisted_ready: (s) => sql`
    SELECT o.pickup_location_id AS point_id, o.id AS subject_id, o.created_at AS started_at,
           (SELECT min(h.created_at) FROM order_status_history h
            WHERE h.order_id = o.id AND h.to_status IN ('ready_for_pickup', 'picked_up')) AS done_at
    FROM orders o
    WHERE o.coop_id = ${s.coopId} AND o.placed_by_user_id IS NOT NULL AND o.pickup_location_id IS NOT NULL
      AND o.status NOT IN ('cancelled', 'refunded')
      AND o.created_at >= ${s.from}::timestamptz AND o.created_at < ${s.before}::timestamptz ${inScope("o.pickup_location_id", s)}`,
  // Goods arrived at the point (ready), until the buyer collected them.
  pickup_handover: (s) => sql`
    SELECT o.pickup_location_id AS point_id, o.id AS subject_id, r.at AS started_at,
           (SELECT min(h.created_at) FROM order_status_history h
            WHERE h.order_id = o.id AND h.to_status = 'picked_up') AS done_at
    FROM orders o
    JOIN LATERAL (SELECT min(h.created_at) AS at FROM order_status_history h
                  WHERE h.order_id = o.id AND h.to_status = 'ready_for_pickup') r ON r.at IS NOT NULL
    WHERE o.coop_id = ${s.coopId} AND o.pickup_location_id IS NOT NULL AND o.status NOT IN ('cancelled', 'refunded')
      -- Ready after it was placed: orders placed up to 60 days before the range can be ready in it.
      AND o.created_at >= ${s.from}::timestamptz - interval '60 days' AND o.created_at < ${s.before}::timestamptz
      AND r.at >= ${s.from}::timestamptz AND r.at < ${s.before}::timestamptz ${inScope("o.pickup_location_id", s)}`,
  // A villager's sale credit, until it is paid out (or spent on supplies): first in, first settled, so a
  // credit is settled by the first payout that brings what was paid up to what had been earned by then.
  intake_settled: (s) => sql`
    WITH villagers AS (
      SELECT DISTINCT e.consignor_id FROM consignor_entries e JOIN consignors v ON v.id = e.consignor_id
      WHERE v.coop_id = ${s.coopId} AND e.kind = 'sale_credit'
        AND e.created_at >= ${s.from}::timestamptz AND e.created_at < ${s.before}::timestamptz ${inScope("v.service_point_id", s)}
    ), led AS (
      SELECT e.consignor_id, e.id, e.kind, e.created_at,
             sum(CASE WHEN e.kind IN ('sale_credit', 'sale_reversal') THEN e.amount_fen ELSE 0 END) OVER w AS earned,
             sum(CASE WHEN e.kind IN ('payout', 'purchase') THEN -e.amount_fen ELSE 0 END) OVER w AS settled
      FROM consignor_entries e JOIN villagers USING (consignor_id)
      WINDOW w AS (PARTITION BY e.consignor_id ORDER BY e.created_at, e.id)
    )
    SELECT v.service_point_id AS point_id, c.id AS subject_id, c.created_at AS started_at,
           (SELECT min(p.created_at) FROM led p
            WHERE p.consignor_id = c.consignor_id AND p.kind IN ('payout', 'purchase') AND p.settled >= c.earned
              AND (p.created_at, p.id) > (c.created_at, c.id)) AS done_at
    FROM led c JOIN consignors v ON v.id = c.consignor_id
    WHERE c.kind = 'sale_credit' AND c.created_at >= ${s.from}::timestamptz AND c.created_at < ${s.before}::timestamptz`,
  // A low rating's follow-up, until the admin closes it with what was done.
  complaint_answered: (s) => sql`
    SELECT f.service_point_id AS point_id, f.id AS subject_id, f.created_at AS started_at, f.closed_at AS done_at
    FROM rating_follow_ups f JOIN locations l ON l.id = f.service_point_id
    WHERE l.coop_id = ${s.coopId} AND f.created_at >= ${s.from}::timestamptz AND f.created_at < ${s.before}::timestamptz
      ${inScope("f.service_point_id", s)}`,
};

export async function commitmentItems(
  db: Executor,
  kind: CommitmentKind,
  scope: ItemScope,
): Promise<CommitmentItem[]> {
  const rows = await sqlRows<{
    point_id: string;
    subject_id: string;
    started_at: Date | string;
    done_at: Date | string | null;
  }>(db, QUERIES[kind](scope));
  return rows.map((r) => ({
    kind,
    subjectId: r.subject_id,
    pointId: r.point_id,
    startedAt: new Date(r.started_at),
    doneAt: r.done_at === null ? null : new Date(r.done_at),
  }));
}
