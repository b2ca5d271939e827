import type { Executor } from "@coop/db";
import { lotPhotos, storedFiles } from "@coop/db/schema";
import { eq } from "drizzle-orm";
import { databaseStorage, fileSystemStorage } from "./blob-storage";

export interface FileImportReport {
  /** Photos whose bytes were copied into the database by this run. */
  imported: number;
  /** Photos whose bytes were already in the database (an earlier run, or uploaded after the upgrade). */
  alreadyStored: number;
  /** Storage keys with no file on disk: those photos answer 404 until the file is found and imported. */
  missing: string[];
  /** Storage keys whose file on disk has another size than the photo's row: left out, the file is suspect. */
  mismatched: string[];
}

/**
 * Copies the photos that older releases wrote under DATA_DIR/files into stored_files. Only photos listed
 * in lot_photos are copied (a stray file is no photo), each as one idempotent insert, so the command can be
 * run again after a partial run or a late file copy.
 */
export async function importFilesFromDisk(db: Executor, root: string): Promise<FileImportReport> {
  const disk = fileSystemStorage(root);
  const target = databaseStorage(db);
  const photos = await db
    .select({ key: lotPhotos.storageKey, sizeBytes: lotPhotos.sizeBytes, stored: storedFiles.key })
    .from(lotPhotos)
    .leftJoin(storedFiles, eq(storedFiles.key, lotPhotos.storageKey))
    .orderBy(lotPhotos.storageKey);
  const report: FileImportReport = { imported: 0, alreadyStored: 0, missing: [], mismatched: [] };
  for (const photo of photos) {
    if (photo.stored !== null) {
      report.alreadyStored++;
      continue;
    }
    // One file in memory at a time (at most 5 MB each).
    const bytes = await disk.get(photo.key);
    if (!bytes) report.missing.push(photo.key);
    else if (bytes.length !== photo.sizeBytes) report.mismatched.push(photo.key);
    else {
      await target.put(photo.key, bytes);
      report.imported++;
    }
  }
  return report;
}
