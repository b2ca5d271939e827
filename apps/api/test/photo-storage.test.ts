import { storedFiles } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseStorage } from "../src/storage/blob-storage";
import { makeConsignor, makeCoopWorld } from "./factories";
import { createTestApp, type TestApp } from "./helpers";
import { downloadPhoto, intakeLot, makePng, uploadPhoto } from "./photos";

/** Intake photos live in the database (stored_files), so a database backup holds them (issue 14, point 10). */
describe.each(testDbKinds())("photos stored in the database (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  let token: string;
  let lotId: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    token = await t.loginAs(w.agentA.login, w.agentA.password);
    const villager = await makeConsignor(t.db.db, w.coop.id, w.pointA.id);
    lotId = await intakeLot(t, token, w, villager.id);
  });
  afterAll(() => t?.close());

  it("keeps each uploaded photo's exact bytes in stored_files and serves them back", async () => {
    // One small, one of about 1 MB: a size where a wrong bytea encoding (text, hex, base64) would show.
    const photos = [makePng(8, 8, 1), makePng(600, 600, 2)];
    const ids: string[] = [];
    for (const bytes of photos) {
      const res = await uploadPhoto(t, token, lotId, bytes);
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { id: string }).id);
    }
    const stored = await t.db.db
      .select({ key: storedFiles.key, sizeBytes: storedFiles.sizeBytes })
      .from(storedFiles)
      .where(sql`${storedFiles.key} IN (SELECT storage_key FROM lot_photos WHERE lot_id = ${lotId})`);
    expect(stored.map((s) => s.sizeBytes).sort((a, b) => a - b)).toEqual(photos.map((p) => p.length));
    for (const [i, id] of ids.entries()) {
      const back = await downloadPhoto(t, token, lotId, id);
      expect(back.status).toBe(200);
      expect(back.contentType).toBe("image/png");
      expect(Buffer.compare(back.bytes, photos[i]!)).toBe(0);
    }
  });

  it("writes no bytes when the photo's row cannot be written (one transaction, no orphan, no 404 photo)", async () => {
    const countFiles = async () => (await t.db.db.select({ key: storedFiles.key }).from(storedFiles)).length;
    const before = await countFiles();
    // A failure after the bytes are put and before the row is in: what a crash or a refused insert looks like.
    await t.db.db.execute(sql`
      CREATE FUNCTION refuse_photo() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'photo row refused'; END $$`);
    await t.db.db.execute(
      sql`CREATE TRIGGER refuse_photo BEFORE INSERT ON lot_photos FOR EACH ROW EXECUTE FUNCTION refuse_photo()`,
    );
    try {
      const res = await uploadPhoto(t, token, lotId, makePng(16, 16, 3));
      expect(res.status).toBe(500);
    } finally {
      await t.db.db.execute(sql`DROP TRIGGER refuse_photo ON lot_photos`);
      await t.db.db.execute(sql`DROP FUNCTION refuse_photo()`);
    }
    expect(await countFiles()).toBe(before);
  });

  it("round-trips every byte value; putting a key again is harmless and keeps the first bytes", async () => {
    const storage = databaseStorage(t.db.db);
    const all = Uint8Array.from({ length: 512 }, (_, i) => (i * 7) % 256);
    // A view into the middle of a larger buffer: only the view's bytes may be stored.
    const view = new Uint8Array(all.buffer, 3, 300);
    await storage.put("tests/every-byte", view);
    await storage.put("tests/every-byte", new Uint8Array([1, 2, 3]));
    const back = await storage.get("tests/every-byte");
    expect(back && Buffer.compare(back, view)).toBe(0);
    const [row] = await t.db.db.select().from(storedFiles).where(eq(storedFiles.key, "tests/every-byte"));
    expect(row!.sizeBytes).toBe(300);
    expect(await storage.get("tests/nothing-here")).toBeNull();
    await expect(storage.put("../escape", view)).rejects.toThrow(/unsafe storage key/);
  });
});
