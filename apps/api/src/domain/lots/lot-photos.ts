import type { Executor } from "@coop/db";
import { lotPhotos } from "@coop/db/schema";
import { newId } from "@coop/shared";
import { and, eq } from "drizzle-orm";
import { ApiError } from "../../lib/errors";
import { type BlobStorage, MAX_PHOTO_BYTES, sniffImageType } from "../../storage/blob-storage";

/** Stores an intake photo after checking it really is a JPEG, PNG or WebP image of at most 5 MB. */
export async function addLotPhoto(
  db: Executor,
  storage: BlobStorage,
  input: { lotId: string; bytes: Uint8Array; actorUserId: string },
) {
  if (input.bytes.length === 0) {
    throw new ApiError("VALIDATION_FAILED", "The photo is empty.", {
      fields: [{ path: "photo", message: "empty file" }],
    });
  }
  if (input.bytes.length > MAX_PHOTO_BYTES) {
    throw new ApiError("PAYLOAD_TOO_LARGE", "The photo is larger than 5 MB. Take it again at a lower size.");
  }
  const contentType = sniffImageType(input.bytes);
  if (!contentType) {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "This file is not a photo. Send a JPEG, PNG or WebP image.");
  }
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
