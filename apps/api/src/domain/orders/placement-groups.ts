import type { Executor } from "@coop/db";
import { sql } from "drizzle-orm";
import { prepared } from "../../lib/prepared";

/**
 * Orders of a live flash sale placed in groups, one transaction per group (decision 0048, migration 0037).
 *
 * Hundreds of orders a second for one product each cost PostgreSQL a commit, a round trip and a
 * transaction's start and end; on a small machine those bound the sale, not the buckets' locks. Orders that
 * arrive while a group is at the database wait and go together in the next one, as PostgreSQL's own group
 * commit does: nothing waits on a timer, so an order that arrives alone goes at once, alone. In a group a
 * flash order's refusals (its phone's limit, sold out, busy buckets) come back as data, nothing of that order
 * written; anything else raised rolls back the whole group and fails every order of it (the caller then
 * places each alone, see place-order.ts).
 */

/** At most this many orders in one transaction, so that no group holds its bucket long (place_orders: 50). */
export const MAX_GROUP = 32;
/**
 * Groups at the database at once, per database object (per API process). One: the next group gathers while
 * this one is placed, and two processes' groups rarely want the same buckets (measured in bench/: two per
 * process sold a 1,000-unit sale slower, its groups smaller and meeting each other's bucket locks).
 */
export const GROUPS_IN_FLIGHT = 1;

/** An order place_order refused inside a group: carries its SQLSTATE as a driver error does. */
export class GroupedPlacementError extends Error {
  readonly code: string;
  readonly detail: string | undefined;
  constructor(error: { code: string; message: string; detail?: string | null }) {
    super(error.message);
    this.name = "GroupedPlacementError";
    this.code = error.code;
    this.detail = error.detail ?? undefined;
  }
}

interface Waiting {
  payload: string;
  resolve(answer: unknown): void;
  reject(error: unknown): void;
}

type GroupAnswer = Array<{ refused: { code: string; message: string; detail?: string | null } } | object>;

const placeOrdersCall = (db: Executor) =>
  prepared(db, "place_orders", () =>
    db
      .select({ r: sql<GroupAnswer>`place_orders(${sql.placeholder("ps")}::jsonb)` })
      .from(sql`(SELECT 1) AS one`)
      .prepare("place_orders"),
  );

class PlacementGroups {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(private readonly db: Executor) {}

  place(payload: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ payload, resolve, reject });
      this.send();
    });
  }

  private send() {
    while (this.inFlight < GROUPS_IN_FLIGHT && this.waiting.length > 0) {
      const group = this.waiting.splice(0, MAX_GROUP);
      this.inFlight++;
      void this.placeGroup(group).finally(() => {
        this.inFlight--;
        this.send();
      });
    }
  }

  private async placeGroup(group: Waiting[]) {
    let answers: GroupAnswer;
    try {
      const [row] = await placeOrdersCall(this.db).execute({
        ps: `[${group.map((w) => w.payload).join(",")}]`,
      });
      answers = row!.r;
    } catch (error) {
      for (const w of group) w.reject(error);
      return;
    }
    group.forEach((w, i) => {
      const answer = answers[i];
      if (answer && "refused" in answer) w.reject(new GroupedPlacementError(answer.refused));
      else if (answer) w.resolve(answer);
      else w.reject(new Error(`place_orders answered ${answers.length} of ${group.length} orders`));
    });
  }
}

const groupsByDb = new WeakMap<object, PlacementGroups>();

/**
 * Places one order (place_order's argument, as JSON) in the next group for this database; answers
 * place_order's answer, or throws what it raised (a GroupedPlacementError with its SQLSTATE).
 */
export function placeInGroup<T>(db: Executor, payload: string): Promise<T> {
  let groups = groupsByDb.get(db);
  if (!groups) {
    groups = new PlacementGroups(db);
    groupsByDb.set(db, groups);
  }
  return groups.place(payload) as Promise<T>;
}
