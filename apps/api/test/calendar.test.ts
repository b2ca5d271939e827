import { testDbKinds } from "@coop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCoopWorld } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

/**
 * Issue 13, item 3: the admin keeps the co-op's working-day calendar (holidays and make-up workdays, 调休);
 * deadlines are counted on it and land on the right day across a holiday and a make-up workday.
 */
describe.each(testDbKinds())("the working-day calendar (%s)", (kind) => {
  let t: TestApp;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(kind);
    const w = await makeCoopWorld(t.db.db);
    token.admin = await t.loginAs(w.admin.login, w.admin.password);
    token.agent = await t.loginAs(w.agentA.login, w.agentA.password);
  });
  afterAll(async () => {
    await t?.close();
  });

  const mark = (day: string, kind: string, name: string, who = "admin") =>
    t.request("PUT", `/v1/admin/calendar/${day}`, { token: token[who], body: { kind, name } });
  const due = async (from: string, workingDays: number) => {
    const res = await t.request(
      "GET",
      `/v1/admin/calendar/deadline?from=${from}&workingDays=${workingDays}`,
      {
        token: token.agent,
      },
    );
    expect(res.status, res.text).toBe(200);
    return res.json.due as string;
  };

  it("is kept by the admin only, and holds only marks that change the week", async () => {
    expect((await mark("2026-10-01", "holiday", "国庆节", "agent")).status).toBe(403);
    const sunday = await mark("2026-10-04", "holiday", "国庆节");
    expect(sunday.status).toBe(400);
    expect(sunday.json.error.code).toBe("VALIDATION_FAILED");
    expect((await mark("2026-09-28", "workday", "调休")).status).toBe(400);
  });

  it("puts deadlines across the National Day holiday and its make-up workdays on the right day", async () => {
    // Before anything is marked: plain weeks.
    expect(await due("2026-09-29", 3)).toBe("2026-10-02");
    for (const day of ["2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"]) {
      const res = await mark(day, "holiday", "国庆节");
      expect(res.status, res.text).toBe(200);
    }
    expect((await mark("2026-09-27", "workday", "国庆节调休")).status).toBe(200);
    const year = await mark("2026-10-10", "workday", "国庆节调休");
    expect(year.json.days).toHaveLength(7);
    // 2026 has 261 weekdays; 5 holidays off, 2 make-up days on.
    expect(year.json.workingDays).toBe(261 - 5 + 2);

    // Tuesday 29 Sep + 3: Wed 30, (1–7 Oct off), Thu 8, Fri 9.
    expect(await due("2026-09-29", 3)).toBe("2026-10-09");
    // + 4 is the make-up Saturday 10 Oct.
    expect(await due("2026-09-29", 4)).toBe("2026-10-10");
    // Friday 25 Sep + 1 is the make-up Sunday 27 Sep.
    expect(await due("2026-09-25", 1)).toBe("2026-09-27");

    // Marking again is safe; taking a mark off puts the day back on the week's rule, twice over too.
    expect((await mark("2026-10-10", "workday", "国庆节调休")).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const off = await t.request("DELETE", "/v1/admin/calendar/2026-10-10", { token: token.admin });
      expect(off.status).toBe(204);
    }
    expect(await due("2026-09-29", 4)).toBe("2026-10-12");
    const listed = await t.request("GET", "/v1/admin/calendar?year=2026", { token: token.admin });
    expect(listed.json.days.map((d: { day: string }) => d.day)).toEqual([
      "2026-09-27",
      "2026-10-01",
      "2026-10-02",
      "2026-10-05",
      "2026-10-06",
      "2026-10-07",
    ]);
  });
});
