import { Readable } from "node:stream";
import type { Executor } from "@coop/db";
import type { ExportDataset, ExportFormat } from "@coop/shared/contract";
import { stringify } from "csv-stringify/sync";
import { audit } from "../../lib/audit";
import { sqlRows } from "../../lib/sql-rows";
import { DATASETS, type Dataset, type ExportScope, isNumericColumn, type PageCursor } from "./datasets";
import { xlsxStream } from "./xlsx-writer";

/** Rows per page read: large enough that the queries cost little, small enough to hold in memory. */
export const EXPORT_PAGE_ROWS = 500;

type Row = Record<string, unknown> & { cursor_at: string; cursor_id: string };

/** Every row of a dataset in the scope, a page at a time. */
export async function* exportPages(
  db: Executor,
  dataset: Dataset,
  scope: ExportScope,
  pageRows = EXPORT_PAGE_ROWS,
): AsyncGenerator<Row[]> {
  let cursor: PageCursor | null = null;
  for (;;) {
    const rows: Row[] = await sqlRows<Row>(db, dataset.page(scope, cursor, pageRows));
    if (rows.length === 0) return;
    yield rows;
    // A page shorter than asked is the last (order lines: fewer orders than asked, checked by one more read).
    if (rows.length < pageRows) return;
    const last: Row = rows[rows.length - 1]!;
    cursor = { at: String(last.cursor_at), id: String(last.cursor_id) };
  }
}

const cell = (value: unknown) => (value === null || value === undefined ? "" : value);

export interface ExportFile {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  filename: string;
}

/**
 * An export as a stream the response sends while it is read: CSV (UTF-8 with a BOM, so Excel shows the
 * Chinese) or XLSX, each pulling a page of rows only when the one before has gone out. A failure half-way aborts the stream, so
 * the download breaks instead of ending as a file that looks whole. Who exported what is audited first.
 */
export async function exportFile(
  db: Executor,
  input: {
    dataset: ExportDataset;
    format: ExportFormat;
    scope: ExportScope;
    actorUserId: string;
    requestId?: string;
    onError?: (error: unknown) => void;
  },
): Promise<ExportFile> {
  const dataset = DATASETS[input.dataset];
  const { scope } = input;
  await audit(db, {
    actorUserId: input.actorUserId,
    action: "export.download",
    entityType: "export",
    entityId: input.dataset,
    data: { format: input.format, from: scope.from, to: scope.to, pointId: scope.pointId },
    requestId: input.requestId,
  });
  const name = `coop-${input.dataset}-${scope.from}-${scope.to}${scope.pointId ? `-${scope.pointId}` : ""}`;
  const pages = exportPages(db, dataset, scope);
  if (input.format === "csv") {
    return {
      body: csvStream(dataset, pages, input.onError),
      contentType: "text/csv; charset=utf-8",
      filename: `${name}.csv`,
    };
  }
  return {
    body: xlsxFile(dataset, pages, input.onError),
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    filename: `${name}.xlsx`,
  };
}

/** Pulled by the response: a page is read only when the one before has gone out (backpressure). */
function csvStream(
  dataset: Dataset,
  pages: AsyncGenerator<Row[]>,
  onError?: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const keys = dataset.columns.map((c) => c.key);
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(`\uFEFF${stringify([keys])}`));
          return;
        }
        const next = await pages.next();
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(stringify(next.value.map((row) => keys.map((k) => cell(row[k]))))));
      } catch (error) {
        onError?.(error);
        controller.error(error);
      }
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
}

/** The XLSX file: the sheet's rows are read as the zip takes them (xlsx-writer.ts). */
function xlsxFile(
  dataset: Dataset,
  pages: AsyncGenerator<Row[]>,
  onError?: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  const keys = dataset.columns.map((c) => c.key);
  async function* cells() {
    for await (const rows of pages) yield rows.map((row) => keys.map((k) => row[k]));
  }
  const zip = xlsxStream(
    dataset.sheet,
    dataset.columns.map((c) => ({ heading: c.label, numeric: isNumericColumn(c.key) })),
    cells(),
  );
  zip.on("error", (error) => onError?.(error));
  return Readable.toWeb(zip) as unknown as ReadableStream<Uint8Array>;
}
