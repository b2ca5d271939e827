import { Readable } from "node:stream";
import { ZipArchive } from "archiver";

// An XLSX file is a zip of a few XML parts (ECMA-376, SpreadsheetML). ExcelJS's streaming writer hands its XML
// to the zip without waiting for it (exceljs/exceljs#734, open), so a large export piles up in memory ahead of
// the compressor. Here the sheet is a Readable the zip pulls from: a page of rows is read from the database
// only when the compressor, and behind it the buyer's line, has taken the one before (decision 0043).

export interface SheetColumn {
  heading: string;
  numeric: boolean;
  width?: number;
}

/** XML 1.0 allows no control character but tab, newline and return, and no lone surrogate, in text. */
function xmlAllowed(code: number, prev: number, next: number): boolean {
  if (code < 0x20) return code === 0x09 || code === 0x0a || code === 0x0d;
  if (code === 0xfffe || code === 0xffff) return false;
  if (code >= 0xd800 && code <= 0xdbff) return next >= 0xdc00 && next <= 0xdfff;
  if (code >= 0xdc00 && code <= 0xdfff) return prev >= 0xd800 && prev <= 0xdbff;
  return true;
}

function withoutNonXml(value: string): string {
  let clean = true;
  for (let i = 0; i < value.length && clean; i++) {
    clean = xmlAllowed(value.charCodeAt(i), value.charCodeAt(i - 1), value.charCodeAt(i + 1));
  }
  if (clean) return value;
  let out = "";
  for (let i = 0; i < value.length; i++) {
    if (xmlAllowed(value.charCodeAt(i), value.charCodeAt(i - 1), value.charCodeAt(i + 1))) out += value[i];
  }
  return out;
}

export function xmlText(value: string): string {
  return withoutNonXml(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** A, B, … Z, AA, AB…: the column's letters in a cell reference. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let out = "";
  while (n > 0) {
    const rest = (n - 1) % 26;
    out = String.fromCharCode(65 + rest) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

function cellXml(ref: string, value: unknown, numeric: boolean): string {
  if (value === null || value === undefined || value === "") return "";
  if (numeric && Number.isFinite(Number(value))) return `<c r="${ref}"><v>${Number(value)}</v></c>`;
  return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlText(String(value))}</t></is></c>`;
}

/** Rows and cells carry their references (r="B7"): readers such as ExcelJS's need them. */
const rowXml = (
  r: number,
  cells: readonly unknown[],
  columns: readonly SheetColumn[],
  letters: readonly string[],
) =>
  `<row r="${r}">${cells.map((v, i) => cellXml(`${letters[i]}${r}`, v, columns[i]!.numeric)).join("")}</row>`;

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

function fixedParts(sheetName: string): Array<[string, string]> {
  return [
    [
      "[Content_Types].xml",
      `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    ],
    [
      "_rels/.rels",
      `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ],
    [
      "xl/workbook.xml",
      `${XML_HEAD}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="${xmlText(sheetName.slice(0, 31))}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ],
    [
      "xl/_rels/workbook.xml.rels",
      `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ],
  ];
}

/**
 * One sheet of `columns` (a heading row first) filled from `pages`, as an XLSX stream. Reading stops when the
 * stream is cancelled; an error from `pages` destroys the stream, so a download breaks instead of ending short.
 */
export function xlsxStream(
  sheetName: string,
  columns: readonly SheetColumn[],
  pages: AsyncIterator<ReadonlyArray<readonly unknown[]>>,
): Readable {
  let head = true;
  let rowNo = 1;
  const letters = columns.map((_, i) => columnLetters(i));
  const sheet = new Readable({
    async read() {
      try {
        if (head) {
          head = false;
          const cols = columns
            .map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width ?? 16}" customWidth="1"/>`)
            .join("");
          this.push(
            `${XML_HEAD}<worksheet xmlns="${MAIN}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols>${cols}</cols><sheetData>${rowXml(
              1,
              columns.map((c) => c.heading),
              columns.map(() => ({ heading: "", numeric: false })),
              letters,
            )}`,
          );
          return;
        }
        const next = await pages.next();
        if (next.done) {
          this.push("</sheetData></worksheet>");
          this.push(null);
          return;
        }
        this.push(next.value.map((cells) => rowXml(++rowNo, cells, columns, letters)).join(""));
      } catch (error) {
        this.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    },
    async destroy(error, callback) {
      await pages.return?.(undefined);
      callback(error);
    },
  });
  const zip = new ZipArchive({ zlib: { level: 6 } });
  for (const [name, xml] of fixedParts(sheetName)) zip.append(xml, { name });
  zip.append(sheet, { name: "xl/worksheets/sheet1.xml" });
  sheet.on("error", (error) => zip.destroy(error));
  void zip.finalize().catch((error: unknown) => zip.destroy(error as Error));
  return zip;
}
