import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Executor } from "@coop/db";
import { storedFiles } from "@coop/db/schema";
import { eq } from "drizzle-orm";
import { ApiError } from "../lib/errors";

/**
 * Where uploaded files (intake photos) live. One small interface so the store can be swapped (the database,
 * the file system, an object store) without touching the domain code.
 */
export interface BlobStorage {
  /** Idempotent: putting the same key again keeps the first bytes (keys are never reused for other content). */
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array | null>;
  /**
   * The same store working inside the caller's transaction, for a store that lives in the database: the
   * photo's row and its bytes then commit or vanish together. Stores outside the database have none.
   */
  within?(tx: Executor): BlobStorage;
}

/**
 * Files kept in the database (table stored_files), so one database backup holds every photo and a restore
 * can never list a photo whose bytes are gone (issue 14, point 10).
 */
export function databaseStorage(db: Executor): BlobStorage {
  return {
    async put(key, bytes) {
      assertSafeKey(key);
      await db
        .insert(storedFiles)
        .values({ key, bytes, sizeBytes: bytes.length })
        .onConflictDoNothing({ target: storedFiles.key });
    },
    async get(key) {
      const [row] = await db
        .select({ bytes: storedFiles.bytes })
        .from(storedFiles)
        .where(eq(storedFiles.key, key));
      return row?.bytes ?? null;
    },
    within: (tx) => databaseStorage(tx),
  };
}

const SAFE_KEY = /^[a-z0-9_/-]{1,200}$/;

function assertSafeKey(key: string) {
  if (!SAFE_KEY.test(key) || key.includes("..")) throw new Error(`unsafe storage key: ${key}`);
}

/** Files under a folder of this machine (DATA_DIR/files before photos moved into the database). */
export function fileSystemStorage(root: string): BlobStorage {
  const resolve = (key: string) => {
    assertSafeKey(key);
    return path.join(root, key);
  };
  return {
    async put(key, bytes) {
      const file = resolve(key);
      await mkdir(path.dirname(file), { recursive: true });
      // Written to a temporary name and renamed, so a reader never sees half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, file);
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(resolve(key)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
  };
}

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/** The image type from the file's first bytes; the client's Content-Type is not trusted. */
export function sniffImageType(bytes: Uint8Array): "image/jpeg" | "image/png" | "image/webp" | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)) {
    return "image/png";
  }
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  return null;
}

/**
 * The type of an uploaded photo, after checking it is a JPEG, PNG or WebP image of at most 5 MB; a person
 * who sent the wrong file is told what to send instead.
 */
export function acceptedPhotoType(bytes: Uint8Array): "image/jpeg" | "image/png" | "image/webp" {
  if (bytes.length === 0) {
    throw new ApiError("VALIDATION_FAILED", "The photo is empty.", {
      fields: [{ path: "photo", message: "empty file" }],
    });
  }
  if (bytes.length > MAX_PHOTO_BYTES) {
    throw new ApiError("PAYLOAD_TOO_LARGE", "The photo is larger than 5 MB. Take it again at a lower size.");
  }
  const contentType = sniffImageType(bytes);
  if (!contentType) {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "This file is not a photo. Send a JPEG, PNG or WebP image.");
  }
  return contentType;
}
