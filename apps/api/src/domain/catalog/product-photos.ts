import type { Executor } from "@coop/db";
import { productPhotos, products } from "@coop/db/schema";
import { MAX_PRODUCT_PHOTOS, newId, PRODUCT_PHOTO_FORMATS, type ProductPhotoFormat } from "@coop/shared";
import type { AdminProductPhoto, ProductPhoto } from "@coop/shared/contract";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { audit } from "../../lib/audit";
import { ApiError } from "../../lib/errors";
import { acceptedPhotoType, type BlobStorage } from "../../storage/blob-storage";
import { makeImageVariants } from "../../storage/image-variants";
import { lockProduct } from "./lock-product";

type PhotoRow = typeof productPhotos.$inferSelect;

/** Where a variant's bytes are kept: one deterministic key per photo, width and format (decision 0032). */
export function variantKey(photoId: string, width: number, format: ProductPhotoFormat): string {
  return `product-photos/${photoId}/${width}-${format}`;
}

export function projectPhoto(row: PhotoRow): ProductPhoto {
  return {
    id: row.id,
    width: row.width,
    height: row.height,
    widths: row.variantWidths,
    alt: row.altZh !== null && row.altEn !== null ? { zh: row.altZh, en: row.altEn } : null,
  };
}

/** Each product's main photo (its first live one), by product id, in one query. */
export async function mainPhotosOf(db: Executor, productIds: string[]): Promise<Map<string, ProductPhoto>> {
  const unique = [...new Set(productIds)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([productPhotos.productId])
    .from(productPhotos)
    .where(and(inArray(productPhotos.productId, unique), isNull(productPhotos.removedAt)))
    .orderBy(productPhotos.productId, asc(productPhotos.position));
  return new Map(rows.map((p) => [p.productId, projectPhoto(p)]));
}

function projectAdminPhoto(row: PhotoRow): AdminProductPhoto {
  return { ...projectPhoto(row), position: row.position, createdAt: row.createdAt.toISOString() };
}

const livePhotosOf = (productId: string) =>
  and(eq(productPhotos.productId, productId), isNull(productPhotos.removedAt));

/**
 * Numbers the product's live photos 0, 1, 2… in the order given. Two steps, because live positions are unique
 * at every row (not at the end of a statement): out of the way first, then into place.
 */
async function renumber(tx: Executor, productId: string, photoIds: string[]) {
  await tx
    .update(productPhotos)
    .set({ position: sql`${productPhotos.position} + 500` })
    .where(livePhotosOf(productId));
  for (const [position, photoId] of photoIds.entries()) {
    await tx
      .update(productPhotos)
      .set({ position })
      .where(and(eq(productPhotos.id, photoId), livePhotosOf(productId)));
  }
}

/** A product's live photos for the admin, the main one first. */
export async function listProductPhotos(
  db: Executor,
  coopId: string,
  productId: string,
): Promise<AdminProductPhoto[]> {
  const [product] = await db
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.id, productId), eq(products.coopId, coopId)));
  if (!product) throw new ApiError("NOT_FOUND", "There is no such product.");
  const rows = await db
    .select()
    .from(productPhotos)
    .where(livePhotosOf(productId))
    .orderBy(asc(productPhotos.position));
  return rows.map(projectAdminPhoto);
}

/**
 * Adds a photo to a product: checks it is a JPEG, PNG or WebP of at most 5 MB (by its bytes, not the
 * client's word), decodes it and makes every variant (outside any transaction), then in one transaction
 * writes the row and every variant's bytes: a photo is listed only when all its variants can be served.
 * It goes last in the order (the first one becomes the main photo). At most MAX_PRODUCT_PHOTOS live ones.
 */
export async function addProductPhoto(
  db: Executor,
  storage: BlobStorage,
  input: {
    coopId: string;
    productId: string;
    bytes: Uint8Array;
    alt: { zh: string; en: string } | null;
    actorUserId: string;
    requestId?: string;
  },
): Promise<AdminProductPhoto> {
  const contentType = acceptedPhotoType(input.bytes);
  // A product that does not exist is refused before a second of encoding is spent on it.
  await listProductPhotos(db, input.coopId, input.productId);
  const image = await makeImageVariants(input.bytes);
  const id = newId("productPhoto");
  return db.transaction(async (tx) => {
    // Locked: two uploads at once get the next two positions, and the limit holds.
    await lockProduct(tx, input.coopId, input.productId);
    // Live positions are always 0 … count − 1 (removal closes the gap), so the new one takes `count`.
    const [live] = await tx
      .select({ count: sql<number>`count(*)::integer` })
      .from(productPhotos)
      .where(livePhotosOf(input.productId));
    const position = live?.count ?? 0;
    if (position >= MAX_PRODUCT_PHOTOS) {
      throw new ApiError(
        "INVALID_STATE",
        `A product has at most ${MAX_PRODUCT_PHOTOS} photos. Remove one before adding another.`,
      );
    }
    const [row] = await tx
      .insert(productPhotos)
      .values({
        id,
        productId: input.productId,
        position,
        altZh: input.alt?.zh ?? null,
        altEn: input.alt?.en ?? null,
        width: image.width,
        height: image.height,
        contentType,
        sizeBytes: input.bytes.length,
        variantWidths: image.widths,
        uploadedByUserId: input.actorUserId,
      })
      .returning();
    const store = storage.within?.(tx) ?? storage;
    for (const variant of image.variants) {
      await store.put(variantKey(id, variant.width, variant.format), variant.bytes);
    }
    await audit(tx, {
      actorUserId: input.actorUserId,
      action: "product.photo_added",
      entityType: "product",
      entityId: input.productId,
      data: { photoId: id, position, width: image.width, height: image.height, bytes: input.bytes.length },
      requestId: input.requestId,
    });
    return projectAdminPhoto(row!);
  });
}

/**
 * Puts a product's live photos in the order given (the first is the main photo). The list must name each
 * live photo exactly once, so a page showing an old list cannot lose or resurrect one (409 otherwise).
 */
export async function reorderProductPhotos(
  db: Executor,
  input: { coopId: string; productId: string; photoIds: string[]; actorUserId: string; requestId?: string },
): Promise<AdminProductPhoto[]> {
  return db.transaction(async (tx) => {
    await lockProduct(tx, input.coopId, input.productId);
    const live = await tx
      .select({ id: productPhotos.id, position: productPhotos.position })
      .from(productPhotos)
      .where(livePhotosOf(input.productId));
    const wanted = new Set(input.photoIds);
    const sameSet =
      wanted.size === input.photoIds.length &&
      wanted.size === live.length &&
      live.every((p) => wanted.has(p.id));
    if (!sameSet) {
      throw new ApiError(
        "INVALID_STATE",
        "The order must list every photo of the product once; the photos changed meanwhile, so reload them.",
        { fields: [{ path: "photoIds", message: "not the product's live photos, each once" }] },
      );
    }
    const before = live.sort((a, b) => a.position - b.position).map((p) => p.id);
    await renumber(tx, input.productId, input.photoIds);
    await audit(tx, {
      actorUserId: input.actorUserId,
      action: "product.photos_reordered",
      entityType: "product",
      entityId: input.productId,
      data: { before, after: input.photoIds },
      requestId: input.requestId,
    });
    const rows = await tx
      .select()
      .from(productPhotos)
      .where(livePhotosOf(input.productId))
      .orderBy(asc(productPhotos.position));
    return rows.map(projectAdminPhoto);
  });
}

/**
 * Takes a photo off the product: it leaves the catalog and its variants answer 404 at once; the row stays,
 * naming who removed it, and the photos after it move up (the next becomes main if it was). Removing it again changes nothing (a retried request gets the same answer).
 */
export async function removeProductPhoto(
  db: Executor,
  input: { coopId: string; productId: string; photoId: string; actorUserId: string; requestId?: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    await lockProduct(tx, input.coopId, input.productId);
    const [row] = await tx
      .select()
      .from(productPhotos)
      .where(and(eq(productPhotos.id, input.photoId), eq(productPhotos.productId, input.productId)));
    if (!row) throw new ApiError("NOT_FOUND", "There is no such photo of this product.");
    if (row.removedAt) return;
    await tx
      .update(productPhotos)
      .set({ removedAt: new Date(), removedByUserId: input.actorUserId })
      .where(eq(productPhotos.id, row.id));
    const rest = await tx
      .select({ id: productPhotos.id })
      .from(productPhotos)
      .where(livePhotosOf(input.productId))
      .orderBy(asc(productPhotos.position));
    await renumber(
      tx,
      input.productId,
      rest.map((p) => p.id),
    );
    await audit(tx, {
      actorUserId: input.actorUserId,
      action: "product.photo_removed",
      entityType: "product",
      entityId: input.productId,
      data: { photoId: row.id, position: row.position },
      requestId: input.requestId,
    });
  });
}

/**
 * One variant's bytes for the public: only of a live photo, only a width and format that were made. The
 * ETag names the variant, whose bytes never change (a new upload is a new photo id).
 */
export async function readProductPhotoVariant(
  db: Executor,
  storage: BlobStorage,
  input: { photoId: string; width: number; format: ProductPhotoFormat },
): Promise<{ bytes: Uint8Array; etag: string } | null> {
  if (!(PRODUCT_PHOTO_FORMATS as readonly string[]).includes(input.format)) return null;
  const [row] = await db
    .select({ widths: productPhotos.variantWidths })
    .from(productPhotos)
    .where(and(eq(productPhotos.id, input.photoId), isNull(productPhotos.removedAt)));
  if (!row?.widths.includes(input.width)) return null;
  const key = variantKey(input.photoId, input.width, input.format);
  const bytes = await storage.get(key);
  return bytes ? { bytes, etag: `"${input.photoId}-${input.width}-${input.format}"` } : null;
}
