import { auditLog, loginThrottle, staffUsers } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCoopWorld, makeStaff } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

/**
 * Issue 11 item 6 / decision 0034: a password an admin gave (reset, or a new account) lets the person log in,
 * but until they choose their own every staff route but "who am I", logout and "change my password" answers
 * 403 PASSWORD_CHANGE_REQUIRED. Changing it clears that, ends the account's other sessions, is audited, and
 * a wrong current password counts like a failed login.
 */
describe.each(testDbKinds())("changing a reset password (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  let admin: string;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    admin = await t.loginAs(w.admin.login, w.admin.password);
  });
  afterAll(() => t?.close());

  /** Each test from its own address, so the login limits of one never touch another. */
  const address = () => ({ "x-forwarded-for": `203.0.113.${++n}` });
  const login = (name: string, password: string, headers = address()) =>
    t.request("POST", "/v1/auth/login", { body: { login: name, password }, headers });
  const change = (
    token: string,
    body: { currentPassword: string; newPassword: string },
    headers: Record<string, string> = address(),
  ) => t.request("POST", "/v1/auth/password", { token, body, headers });

  async function resetMember(password = "temporary-2026") {
    const member = await makeStaff(t.db.db, w.coop.id, "warehouse");
    const reset = await t.request("POST", `/v1/staff/${member.id}/password`, {
      token: admin,
      body: { password },
    });
    expect(reset.status, reset.text).toBe(200);
    expect(reset.json.mustChangePassword).toBe(true);
    return member;
  }

  it("reset → login works → other routes 403 → change → routes work, other sessions ended, audited", async () => {
    const member = await resetMember();
    const first = await login(member.login, "temporary-2026");
    expect(first.status, first.text).toBe(200);
    expect(first.json.user.mustChangePassword).toBe(true);
    const phone = first.json.token as string;
    const other = (await login(member.login, "temporary-2026")).json.token as string;

    const blocked = await t.request("GET", "/v1/collections", { token: phone });
    expect(blocked.status).toBe(403);
    expect(blocked.json.error.code).toBe("PASSWORD_CHANGE_REQUIRED");
    // A mutating route too, before it looks at its body.
    const post = await t.request("POST", "/v1/collections", { token: phone, body: {} });
    expect(post.json.error.code).toBe("PASSWORD_CHANGE_REQUIRED");
    const me = await t.request("GET", "/v1/auth/me", { token: phone });
    expect(me.status).toBe(200);
    expect(me.json.user.mustChangePassword).toBe(true);

    const changed = await change(phone, { currentPassword: "temporary-2026", newPassword: "my-own-pass-77" });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json.sessionsEnded).toBe(1);

    expect((await t.request("GET", "/v1/collections", { token: phone })).status).toBe(200);
    expect((await t.request("GET", "/v1/auth/me", { token: phone })).json.user.mustChangePassword).toBe(
      false,
    );
    // The other session (whoever else knew the temporary password) has ended.
    expect((await t.request("GET", "/v1/auth/me", { token: other })).status).toBe(401);
    // The temporary password is gone; the new one logs in with nothing held back.
    expect((await login(member.login, "temporary-2026")).status).toBe(401);
    const again = await login(member.login, "my-own-pass-77");
    expect(again.json.user.mustChangePassword).toBe(false);
    expect((await t.request("GET", "/v1/collections", { token: again.json.token })).status).toBe(200);

    const [row] = await t.db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, member.id), eq(auditLog.action, "staff_user.password_change")));
    expect(row?.actorUserId).toBe(member.id);
    expect(row?.data).toEqual({ afterReset: true, sessionsEnded: 1 });
    expect(JSON.stringify(row?.data)).not.toContain("my-own-pass-77");
  });

  it("logout still works while the change is due", async () => {
    const member = await resetMember();
    const token = (await login(member.login, "temporary-2026")).json.token as string;
    expect((await t.request("POST", "/v1/auth/logout", { token })).status).toBe(204);
    expect((await t.request("GET", "/v1/auth/me", { token })).status).toBe(401);
  });

  it("a wrong current password is 400 CURRENT_PASSWORD_WRONG, counted like a failed login (429 after 5)", async () => {
    const member = await resetMember();
    const from = address();
    const token = (await login(member.login, "temporary-2026", from)).json.token as string;
    for (let i = 0; i < 5; i++) {
      const wrong = await change(
        token,
        { currentPassword: `guess-${i}-xxxx`, newPassword: "my-own-pass-77" },
        from,
      );
      expect(wrong.status).toBe(400);
      expect(wrong.json.error.code).toBe("CURRENT_PASSWORD_WRONG");
      expect(wrong.json.error.fields[0].path).toBe("currentPassword");
    }
    const [bucket] = await t.db.db
      .select()
      .from(loginThrottle)
      .where(like(loginThrottle.bucket, `device:%|${member.login}`));
    // This device logged in as the name just now (known), so its own device bucket is the one counting.
    expect(bucket?.failures).toBe(5);
    // The sixth guess from this device is refused before any password is checked, even the right one.
    const sixth = await change(
      token,
      { currentPassword: "temporary-2026", newPassword: "my-own-pass-77" },
      from,
    );
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(0);
    const [still] = await t.db.db.select().from(staffUsers).where(eq(staffUsers.id, member.id));
    expect(still?.mustChangePassword).toBe(true);
    // A login of the name from the same device shares the count.
    expect((await login(member.login, "temporary-2026", from)).status).toBe(429);
  });

  it("the new password follows the creation rules and differs from the current one", async () => {
    const member = await resetMember();
    const token = (await login(member.login, "temporary-2026")).json.token as string;
    const short = await change(token, { currentPassword: "temporary-2026", newPassword: "short" });
    expect(short.status).toBe(400);
    expect(short.json.error.code).toBe("VALIDATION_FAILED");
    const same = await change(token, { currentPassword: "temporary-2026", newPassword: "temporary-2026" });
    expect(same.status).toBe(400);
    expect(same.json.error.fields[0].path).toBe("newPassword");
    expect((await t.request("GET", "/v1/collections", { token })).status).toBe(403);
  });

  it("an account an admin creates must change its first password; the CLI's and seeds' need not", async () => {
    const created = await t.request("POST", "/v1/staff", {
      token: admin,
      body: { role: "warehouse", login: "new-packer-01", password: "first-pass-2026" },
    });
    expect(created.status, created.text).toBe(201);
    const token = (await login("new-packer-01", "first-pass-2026")).json.token as string;
    expect((await t.request("GET", "/v1/collections", { token })).json.error.code).toBe(
      "PASSWORD_CHANGE_REQUIRED",
    );
    // Staff made without an admin's password (factories, like the CLI) work at once.
    const plain = await makeStaff(t.db.db, w.coop.id, "warehouse");
    const own = await t.loginAs(plain.login, plain.password);
    expect((await t.request("GET", "/v1/collections", { token: own })).status).toBe(200);
    // And may change their password whenever they like.
    const changed = await change(own, { currentPassword: plain.password, newPassword: "another-pass-88" });
    expect(changed.status).toBe(200);
    expect(changed.json.sessionsEnded).toBe(0);
  });
});
