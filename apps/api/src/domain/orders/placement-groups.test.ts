import type { Executor } from "@coop/db";
import { describe, expect, it } from "vitest";
import { driverErrorOf } from "../../lib/db-errors";
import { GroupedPlacementError, MAX_GROUP, placeInGroup } from "./placement-groups";

/** A database whose place_orders calls are answered by the test, one at a time, when it chooses. */
function fakeDatabase() {
  const calls: Array<{ orders: Array<{ n: number }>; answer(a: unknown): void; fail(e: unknown): void }> = [];
  const query = {
    execute: ({ ps }: { ps: string }) =>
      new Promise((resolve, reject) => {
        calls.push({
          orders: JSON.parse(ps) as Array<{ n: number }>,
          answer: (r) => resolve([{ r }]),
          fail: reject,
        });
      }),
  };
  const db = { select: () => ({ from: () => ({ prepare: () => query }) }) } as unknown as Executor;
  return { db, calls };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const place = (db: Executor, n: number) =>
  placeInGroup<{ created: { n: number } }>(db, JSON.stringify({ n }));

describe("placing a flash sale's orders in groups", () => {
  it("sends an order arriving alone at once, and those arriving meanwhile together in the next group", async () => {
    const { db, calls } = fakeDatabase();
    const first = place(db, 1);
    await settle();
    expect(calls.map((c) => c.orders.length)).toEqual([1]);
    const waiting = [2, 3, 4].map((n) => place(db, n));
    await settle();
    expect(calls).toHaveLength(1);
    calls[0]!.answer([{ created: { n: 1 } }]);
    expect(await first).toEqual({ created: { n: 1 } });
    await settle();
    expect(calls[1]!.orders.map((o) => o.n)).toEqual([2, 3, 4]);
    calls[1]!.answer([{ created: { n: 2 } }, { created: { n: 3 } }, { created: { n: 4 } }]);
    expect(await Promise.all(waiting)).toEqual([2, 3, 4].map((n) => ({ created: { n } })));
  });

  it("never puts more than MAX_GROUP orders in one transaction", async () => {
    const { db, calls } = fakeDatabase();
    const all = Array.from({ length: MAX_GROUP + 9 }, (_, n) => place(db, n));
    for (let i = 0; i < 3; i++) {
      await settle();
      const call = calls[i]!;
      call.answer(call.orders.map((o) => ({ created: { n: o.n } })));
    }
    expect(calls.map((c) => c.orders.length)).toEqual([1, MAX_GROUP, 8]);
    expect((await Promise.all(all)).map((a) => a.created.n)).toEqual([...Array(MAX_GROUP + 9).keys()]);
  });

  it("answers one order's refusal to that order alone, as the driver's error would carry it", async () => {
    const { db, calls } = fakeDatabase();
    const blocker = place(db, 0);
    await settle();
    const [ok, refused] = [place(db, 1), place(db, 2)];
    calls[0]!.answer([{ created: { n: 0 } }]);
    await blocker;
    await settle();
    calls[1]!.answer([
      { created: { n: 1 } },
      { refused: { code: "CO409", message: "FLASH_SALE_LIMIT", detail: '{"limit": 2, "already": 2}' } },
    ]);
    expect(await ok).toEqual({ created: { n: 1 } });
    const error = await refused.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GroupedPlacementError);
    expect(driverErrorOf(error)).toMatchObject({
      code: "CO409",
      message: "FLASH_SALE_LIMIT",
      detail: '{"limit": 2, "already": 2}',
    });
  });

  it("fails every order of a group whose call fails, and goes on with the next group", async () => {
    const { db, calls } = fakeDatabase();
    const blocker = place(db, 0);
    await settle();
    const group = [place(db, 1), place(db, 2)];
    calls[0]!.answer([{ created: { n: 0 } }]);
    await blocker;
    await settle();
    const deadlock = Object.assign(new Error("deadlock detected"), { code: "40P01" });
    calls[1]!.fail(deadlock);
    expect(await Promise.all(group.map((p) => p.catch((e: unknown) => e)))).toEqual([deadlock, deadlock]);
    const after = place(db, 3);
    await settle();
    calls[2]!.answer([{ created: { n: 3 } }]);
    expect(await after).toEqual({ created: { n: 3 } });
  });

  it("refuses to leave an order unanswered when the database answers fewer than it was sent", async () => {
    const { db, calls } = fakeDatabase();
    const only = place(db, 1);
    await settle();
    calls[0]!.answer([]);
    await expect(only).rejects.toThrow(/answered 0 of 1/);
  });
});
