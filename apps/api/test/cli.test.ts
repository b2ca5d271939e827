import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createDb, pgliteDir, verifyPassword } from "@coop/db";
import { staffUsers } from "@coop/db/schema";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCoop, makeLocation } from "./factories";

const run = promisify(execFile);
const apiDir = path.resolve(import.meta.dirname, "..");

/** `pnpm coop users:create`, run as an operator would, against an embedded database in a temp folder. */
describe("coop CLI: users:create", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "coop-cli-"));
  const env = { ...process.env, DATA_DIR: dataDir, NODE_ENV: "test", DATABASE_URL: "" };
  delete (env as Record<string, unknown>).DATABASE_URL;

  async function coop(...args: string[]) {
    try {
      const { stdout, stderr } = await run("node", ["--import", "tsx", "src/cli/coop.ts", ...args], {
        cwd: apiDir,
        env,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  beforeAll(async () => {
    const handle = await createDb({ dataDir: pgliteDir(dataDir) });
    await handle.migrate();
    const c = await makeCoop(handle.db);
    await makeLocation(handle.db, c.id, { code: "SP-CLI1" });
    await handle.close();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("creates an agent tied to a service point, with a hashed password, and refuses mistakes clearly", async () => {
    const ok = await coop(
      "users:create",
      "--role",
      "agent",
      "--login",
      "Agent.Wang",
      "--password",
      "s3cret-pass",
      "--service-point",
      "SP-CLI1",
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Created agent "agent.wang"/);

    const again = await coop(
      "users:create",
      "--role",
      "admin",
      "--login",
      "agent.wang",
      "--password",
      "s3cret-pass",
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("ALREADY_EXISTS");

    const agentWithoutPoint = await coop(
      "users:create",
      "--role",
      "agent",
      "--login",
      "agent.zhao",
      "--password",
      "s3cret-pass",
    );
    expect(agentWithoutPoint.code).toBe(1);
    expect(agentWithoutPoint.stderr).toContain("servicePointCode");

    const shortPassword = await coop(
      "users:create",
      "--role",
      "admin",
      "--login",
      "boss",
      "--password",
      "short",
    );
    expect(shortPassword.code).toBe(1);
    expect(shortPassword.stderr).toContain("password");

    const unknownPoint = await coop(
      "users:create",
      "--role",
      "agent",
      "--login",
      "agent.qian",
      "--password",
      "s3cret-pass",
      "--service-point",
      "NOPE",
    );
    expect(unknownPoint.code).toBe(1);
    expect(unknownPoint.stderr).toContain("NOPE");

    const handle = await createDb({ dataDir: pgliteDir(dataDir) });
    try {
      const rows = await handle.db.select().from(staffUsers);
      expect(rows.map((r) => r.login)).toEqual(["agent.wang"]);
      const [user] = await handle.db.select().from(staffUsers).where(eq(staffUsers.login, "agent.wang"));
      expect(user!.role).toBe("agent");
      expect(user!.servicePointId).toBeTruthy();
      expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(user!.passwordHash, "s3cret-pass")).toBe(true);
    } finally {
      await handle.close();
    }
  });
});
