import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createDb, pgliteDir } from "@coop/db";
import { lotPhotos, lots, storedFiles } from "@coop/db/schema";
import { newId } from "@coop/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeConsignor, makeCoopWorld } from "./factories";
import { makePng } from "./photos";

const run = promisify(execFile);
const apiDir = path.resolve(import.meta.dirname, "..");

/**
 * `pnpm coop files:import`, the upgrade step for deployments whose photos were written under DATA_DIR/files
 * by earlier releases: run as an operator would, against an embedded database in a temp folder.
 */
describe("coop CLI: files:import", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "coop-files-import-"));
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, NODE_ENV: "test" };
  delete env.DATABASE_URL;
  const photos = [makePng(10, 10, 11), makePng(40, 30, 12), makePng(5, 5, 13)];
  const keys: string[] = [];

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

  const writeOnDisk = (i: number) => {
    const file = path.join(dataDir, "files", keys[i]!);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, photos[i]!);
  };

  async function storedBytes() {
    const handle = await createDb({ dataDir: pgliteDir(dataDir) });
    try {
      const rows = await handle.db.select().from(storedFiles);
      return new Map(rows.map((r) => [r.key, r.bytes]));
    } finally {
      await handle.close();
    }
  }

  beforeAll(async () => {
    // The state an older release left: photo rows in the database, their bytes as files on disk.
    const handle = await createDb({ dataDir: pgliteDir(dataDir) });
    await handle.migrate();
    const w = await makeCoopWorld(handle.db);
    const villager = await makeConsignor(handle.db, w.coop.id, w.pointA.id);
    const lotId = newId("lot");
    await handle.db.insert(lots).values({
      id: lotId,
      coopId: w.coop.id,
      lotNo: "L-IMPORT-1",
      productId: w.egg.id,
      consignorId: villager.id,
      originLocationId: w.pointA.id,
      locationId: w.pointA.id,
      status: "in_stock",
      quantityReceived: 30,
      onHand: 30,
      qcPassed: true,
      receivedByUserId: w.agentA.id,
    });
    for (const bytes of photos) {
      const id = newId("photo");
      const storageKey = `photos/${lotId.slice(-2)}/${id}`;
      keys.push(storageKey);
      await handle.db.insert(lotPhotos).values({
        id,
        lotId,
        contentType: "image/png",
        sizeBytes: bytes.length,
        storageKey,
      });
    }
    await handle.close();
    writeOnDisk(0);
    writeOnDisk(1);
    // A stray file no photo names: not copied.
    writeFileSync(path.join(dataDir, "files", "photos", "stray"), photos[0]!);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("copies every photo file into the database, names the missing one, and can be run again", async () => {
    const first = await coop("files:import");
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toContain("into the database: 2; already there: 0.");
    expect(first.stderr).toContain(`missing on disk: ${keys[2]}`);

    // The missing file turns up (an older copy of DATA_DIR/files): the second run copies only that one.
    writeOnDisk(2);
    const second = await coop("files:import");
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("into the database: 1; already there: 2.");

    const third = await coop("files:import");
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toContain("into the database: 0; already there: 3.");

    const stored = await storedBytes();
    expect([...stored.keys()].sort()).toEqual([...keys].sort());
    for (const [i, key] of keys.entries()) expect(Buffer.compare(stored.get(key)!, photos[i]!)).toBe(0);
  });
});
