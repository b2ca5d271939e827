import { once } from "node:events";
import type { Writable } from "node:stream";
import type { Sql } from "postgres";

type Cell = string | number | boolean | null | undefined;

function escapeText(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : value;
}

/**
 * Streams rows into `COPY table (columns) FROM STDIN` (text format) through postgres.js, in ~1 MB chunks,
 * waiting for the socket to drain. Constraints, foreign keys and triggers stay on: COPY checks every row.
 */
export class CopyWriter {
  private buffer: string[] = [];
  private size = 0;
  rows = 0;

  private constructor(
    readonly table: string,
    private readonly stream: Writable,
  ) {}

  static async open(sql: Sql, table: string, columns: readonly string[]): Promise<CopyWriter> {
    const stream = await sql
      .unsafe(`COPY ${table} (${columns.map((c) => `"${c}"`).join(", ")}) FROM STDIN`)
      .writable();
    return new CopyWriter(table, stream);
  }

  /** Adds a row; call `await w.maybeFlush()` in loops so memory stays bounded. */
  row(cells: readonly Cell[]): void {
    let line = "";
    for (let i = 0; i < cells.length; i++) {
      const v = cells[i];
      if (i > 0) line += "\t";
      if (v === null || v === undefined) line += "\\N";
      else if (typeof v === "boolean") line += v ? "t" : "f";
      else if (typeof v === "number") line += String(v);
      else line += escapeText(v);
    }
    line += "\n";
    this.buffer.push(line);
    this.size += line.length;
    this.rows++;
  }

  get full(): boolean {
    return this.size >= 1 << 20;
  }

  async maybeFlush(): Promise<void> {
    if (this.full) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join("");
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, "drain");
  }

  async close(): Promise<number> {
    await this.flush();
    const done = new Promise<void>((resolve, reject) => {
      this.stream.once("finish", () => resolve());
      this.stream.once("error", reject);
    });
    this.stream.end();
    await done;
    return this.rows;
  }
}

export const iso = (ms: number) => new Date(ms).toISOString();
