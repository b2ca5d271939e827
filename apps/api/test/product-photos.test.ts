import { productPhotos, storedFiles } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { eq, like } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCoopWorld, makeProduct, makeStaff } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

/** A phone photo: 1200 × 800 as stored, EXIF orientation 6 (upright it is 800 wide, 1200 high), with EXIF. */
async function phoneJpeg() {
  const pixels = await sharp({
    create: { width: 1200, height: 800, channels: 3, background: { r: 200, g: 120, b: 40 } },
  })
    .jpeg()
    .toBuffer();
  return new Uint8Array(
    await sharp(pixels)
      .withMetadata({ orientation: 6 })
      .withExifMerge({ IFD0: { Copyright: "secret-village-gps" } })
      .jpeg()
      .toBuffer(),
  );
}

async function smallPng(width: number, height: number) {
  return new Uint8Array(
    await sharp({ create: { width, height, channels: 4, background: { r: 0, g: 128, b: 0, alpha: 0.5 } } })
      .png()
      .toBuffer(),
  );
}

describe.each(testDbKinds())("product photos (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  const tokens: Record<"admin" | "warehouse" | "agent", string> = { admin: "", warehouse: "", agent: "" };

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    tokens.admin = await t.loginAs(w.admin.login, w.admin.password);
    tokens.warehouse = await t.loginAs(w.warehouseUser.login, w.warehouseUser.password);
    tokens.agent = await t.loginAs(w.agentA.login, w.agentA.password);
  });
  afterAll(() => t?.close());

  async function upload(
    productId: string,
    bytes: Uint8Array,
    opts: { token?: string; key?: string; alt?: { zh: string; en: string }; type?: string } = {},
  ) {
    const form = new FormData();
    form.set("photo", new File([bytes], "photo", { type: opts.type ?? "image/jpeg" }));
    if (opts.alt) {
      form.set("altZh", opts.alt.zh);
      form.set("altEn", opts.alt.en);
    }
    const headers: Record<string, string> = {};
    const token = opts.token ?? tokens.admin;
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.key) headers["idempotency-key"] = opts.key;
    const res = await t.app.request(`/v1/products/${productId}/photos`, {
      method: "POST",
      body: form,
      headers,
    });
    return { status: res.status, json: (await res.json().catch(() => null)) as any, headers: res.headers };
  }

  const variant = (id: string, file: string, headers: Record<string, string> = {}) =>
    t.app.request(`/v1/product-photos/${id}/${file}`, { headers });

  it("makes upright, metadata-free AVIF, WebP and JPEG variants at each width the photo covers", async () => {
    const res = await upload(w.egg.id, await phoneJpeg(), {
      alt: { zh: "一篮土鸡蛋", en: "A basket of eggs" },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      width: 800,
      height: 1200,
      widths: [160, 320, 640],
      position: 0,
      alt: { zh: "一篮土鸡蛋", en: "A basket of eggs" },
    });
    const id = res.json.id as string;
    expect(id).toMatch(/^pph_/);
    for (const width of [160, 320, 640]) {
      for (const [ext, type, format] of [
        ["avif", "image/avif", "heif"],
        ["webp", "image/webp", "webp"],
        ["jpg", "image/jpeg", "jpeg"],
      ] as const) {
        const got = await variant(id, `${width}.${ext}`);
        expect(got.status, `${width}.${ext}`).toBe(200);
        expect(got.headers.get("content-type")).toBe(type);
        const meta = await sharp(new Uint8Array(await got.arrayBuffer())).metadata();
        expect(meta.format).toBe(format);
        expect(meta.width).toBe(width);
        expect(meta.height).toBe(Math.round((1200 * width) / 800));
        // Upright already: no orientation left to apply, and none of the phone's EXIF.
        expect(meta.orientation ?? 1).toBe(1);
        expect(meta.exif).toBeUndefined();
      }
    }
    // Never enlarged: the upright photo is 800 wide, so there is no 1080.
    expect((await variant(id, "1080.webp")).status).toBe(404);
    expect((await variant(id, "320.gif")).status).toBe(404);
  });

  it("serves a variant with a year's immutable caching and an ETag that answers 304", async () => {
    const res = await upload(w.pickle.id, await smallPng(100, 60), { type: "image/png" });
    expect(res.status).toBe(201);
    // Narrower than the smallest width: one variant at its own width.
    expect(res.json).toMatchObject({ width: 100, height: 60, widths: [100] });
    const first = await variant(res.json.id, "100.webp");
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^".+"$/);
    const again = await variant(res.json.id, "100.webp", { "if-none-match": etag! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const other = await variant(res.json.id, "100.avif", { "if-none-match": etag! });
    expect(other.status).toBe(200);
  });

  it("refuses what is not an image (415) and what is over 5 MB (413), storing nothing", async () => {
    const before = await t.db.db.select({ id: productPhotos.id }).from(productPhotos);
    const text = await upload(w.fertilizer.id, new TextEncoder().encode("<html>not a photo</html>"), {
      type: "image/jpeg",
    });
    expect(text.status).toBe(415);
    expect(text.json.error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    // Looks like a PNG by its first bytes, but does not decode.
    const fake = new Uint8Array(4000);
    fake.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const broken = await upload(w.fertilizer.id, fake, { type: "image/png" });
    expect(broken.status).toBe(415);
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set([0xff, 0xd8, 0xff]);
    const tooBig = await upload(w.fertilizer.id, big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await t.db.db.select({ id: productPhotos.id }).from(productPhotos)).toHaveLength(before.length);
  });

  it("lets only an admin upload, reorder or remove: warehouse and agent 403, no login 401", async () => {
    const png = await smallPng(20, 20);
    expect((await upload(w.fertilizer.id, png, { token: tokens.warehouse })).status).toBe(403);
    expect((await upload(w.fertilizer.id, png, { token: tokens.agent })).status).toBe(403);
    expect((await upload(w.fertilizer.id, png, { token: "" })).status).toBe(401);
    for (const who of ["warehouse", "agent"] as const) {
      const order = await t.request("PUT", `/v1/products/${w.egg.id}/photos/order`, {
        token: tokens[who],
        body: { photoIds: ["pph_x"] },
      });
      expect(order.status).toBe(403);
      const remove = await t.request("DELETE", `/v1/products/${w.egg.id}/photos/pph_x`, {
        token: tokens[who],
      });
      expect(remove.status).toBe(403);
      const list = await t.request("GET", `/v1/products/${w.egg.id}/photos`, { token: tokens[who] });
      expect(list.status).toBe(403);
    }
    // Another co-op's admin does not find this co-op's product.
    const stranger = await makeStaff(t.db.db, (await makeCoopWorld(t.db.db)).coop.id, "admin");
    const strangerToken = await t.loginAs(stranger.login, stranger.password);
    expect((await upload(w.fertilizer.id, png, { token: strangerToken })).status).toBe(404);
    const rows = await t.db.db
      .select()
      .from(productPhotos)
      .where(eq(productPhotos.productId, w.fertilizer.id));
    expect(rows).toHaveLength(0);
  });

  it("answers a retry with the same Idempotency-Key from the first upload, and refuses the key for another file", async () => {
    const png = await smallPng(30, 30);
    const key = "photo-retry-0001";
    const first = await upload(w.fertilizer.id, png, { key, type: "image/png" });
    const retry = await upload(w.fertilizer.id, png, { key, type: "image/png" });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.json.id).toBe(first.json.id);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    const other = await upload(w.fertilizer.id, await smallPng(31, 30), { key, type: "image/png" });
    expect(other.status).toBe(409);
    const rows = await t.db.db
      .select()
      .from(productPhotos)
      .where(eq(productPhotos.productId, w.fertilizer.id));
    expect(rows).toHaveLength(1);
    const files = await t.db.db
      .select({ key: storedFiles.key })
      .from(storedFiles)
      .where(like(storedFiles.key, `product-photos/${first.json.id}/%`));
    expect(files.map((f) => f.key).sort()).toEqual(
      ["30-avif", "30-jpeg", "30-webp"].map((v) => `product-photos/${first.json.id}/${v}`),
    );
  });

  it("shows the main photo in the catalog and every photo on the product, in order; reorder and removal follow at once", async () => {
    const product = w.pickle.id;
    const second = await upload(product, await smallPng(400, 300), { type: "image/png" });
    const third = await upload(product, await smallPng(200, 200), { type: "image/png" });
    const listed = await t.request("GET", `/v1/products/${product}/photos`, { token: tokens.admin });
    const ids = listed.json.items.map((p: { id: string }) => p.id) as string[];
    expect(ids.slice(1)).toEqual([second.json.id, third.json.id]);
    const firstId = ids[0]!;

    const catalogPhoto = async () => {
      const page = await t.request("GET", "/v1/products?limit=100");
      return page.json.items.find((p: { id: string }) => p.id === product).photo;
    };
    expect(await catalogPhoto()).toMatchObject({
      id: firstId,
      width: 100,
      height: 60,
      widths: [100],
      alt: null,
    });
    const egg = (await t.request("GET", "/v1/products?limit=100")).json.items.find(
      (p: { id: string }) => p.id === w.egg.id,
    );
    expect(egg.photo.alt).toEqual({ zh: "一篮土鸡蛋", en: "A basket of eggs" });

    // Set the third as main.
    const order = await t.request("PUT", `/v1/products/${product}/photos/order`, {
      token: tokens.admin,
      body: { photoIds: [third.json.id, firstId, second.json.id] },
    });
    expect(order.status).toBe(200);
    expect(order.json.items.map((p: { position: number }) => p.position)).toEqual([0, 1, 2]);
    expect((await catalogPhoto()).id).toBe(third.json.id);
    const detail = await t.request("GET", `/v1/products/${product}`);
    expect(detail.json.photos.map((p: { id: string }) => p.id)).toEqual([
      third.json.id,
      firstId,
      second.json.id,
    ]);
    expect(detail.json.photo.id).toBe(third.json.id);

    // A stale list (missing one) is refused, and changes nothing.
    const stale = await t.request("PUT", `/v1/products/${product}/photos/order`, {
      token: tokens.admin,
      body: { photoIds: [firstId, second.json.id] },
    });
    expect(stale.status).toBe(409);

    // Remove the main: the next moves up, the removed one leaves the catalog and its files answer 404.
    const removed = await t.request("DELETE", `/v1/products/${product}/photos/${third.json.id}`, {
      token: tokens.admin,
    });
    expect(removed.status).toBe(204);
    const again = await t.request("DELETE", `/v1/products/${product}/photos/${third.json.id}`, {
      token: tokens.admin,
    });
    expect(again.status).toBe(204);
    expect((await catalogPhoto()).id).toBe(firstId);
    const after = await t.request("GET", `/v1/products/${product}`);
    expect(after.json.photos.map((p: { id: string }) => p.id)).toEqual([firstId, second.json.id]);
    expect((await variant(third.json.id, "200.webp")).status).toBe(404);
    const [row] = await t.db.db.select().from(productPhotos).where(eq(productPhotos.id, third.json.id));
    expect(row!.removedAt).not.toBeNull();
    expect(row!.removedByUserId).toBe(w.admin.id);

    // A product with no photo says so: null, in the list and on its page.
    const bare = await makeProduct(t.db.db, w.coop.id, { kind: "supply", unit: "bag", priceFen: 900 });
    const supplies = (await t.request("GET", "/v1/products?kind=supply&limit=100")).json.items;
    expect(supplies.find((p: { id: string }) => p.id === bare.id).photo).toBeNull();
    expect((await t.request("GET", `/v1/products/${bare.id}`)).json).toMatchObject({
      photo: null,
      photos: [],
    });
  });

  it("keeps to 8 live photos per product (409 for a ninth)", async () => {
    const product = (await makeCoopWorld(t.db.db)).egg;
    // The product belongs to another co-op: that co-op's admin uploads.
    const admin = await makeStaff(t.db.db, product.coopId, "admin");
    const token = await t.loginAs(admin.login, admin.password);
    for (let i = 0; i < 8; i++) {
      expect(
        (await upload(product.id, await smallPng(10 + i, 10), { token, type: "image/png" })).status,
      ).toBe(201);
    }
    const ninth = await upload(product.id, await smallPng(50, 10), { token, type: "image/png" });
    expect(ninth.status).toBe(409);
    expect(ninth.json.error.code).toBe("INVALID_STATE");
  });
});
