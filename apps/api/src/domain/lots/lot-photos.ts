import type { Database, Executor } from "@coop/db";
import { lotPhotos } from "@coop/db/schema";
import { newId } from "@coop/shared";
import { and, eq } from "drizzle-orm";
import { ApiError } from "../../lib/errors";
import { acceptedPhotoType, type BlobStorage } from "../../storage/blob-storage";

/**
 * Stores an intake photo after checking it really is a JPEG, PNG or WebP image of at most 5 MB. One
 * transaction for the photo's row and (with the database store) its bytes: a crash in between can never
 * leave a listed photo that answers 404.
 */
export async function addLotPhoto(
  db: Database,
  storage: BlobStorage,
  input: { lotId: string; bytes: Uint8Array; actorUserId: string },
) {
  return db.transaction((tx) => storePhoto(tx, storage.within?.(tx) ?? storage, input));
}

async function storePhoto(
  db: Executor,
  storage: BlobStorage,
  input: { lotId: string; bytes: Uint8Array; actorUserId: string },
) {
  const contentType = acceptedPhotoType(input.bytes);
  const id = newId("photo");
  const storageKey = `photos/${input.lotId.slice(-2)}/${id}`;
  // The file is stored first: a row never points at a missing file (an orphan file is harmless).
  await storage.put(storageKey, input.bytes);
  await db.insert(lotPhotos).values({
    id,
    lotId: input.lotId,
    contentType,
    sizeBytes: input.bytes.length,
    storageKey,
    uploadedByUserId: input.actorUserId,
  });
  return { id };
}

export async function readLotPhoto(db: Executor, storage: BlobStorage, lotId: string, photoId: string) {
  const [row] = await db
    .select()
    .from(lotPhotos)
    .where(and(eq(lotPhotos.id, photoId), eq(lotPhotos.lotId, lotId)));
  const bytes = row ? await storage.get(row.storageKey) : null;
  if (!row || !bytes) throw new ApiError("NOT_FOUND", "There is no such photo.");
  return { bytes, contentType: row.contentType };
}
