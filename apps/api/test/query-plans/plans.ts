import type { Database, DbHandle } from "@coop/db";

/** One statement as the driver sent it to the server: its text and its bound parameters. */
export interface SentQuery {
  text: string;
  params: unknown[];
}

/** A node of EXPLAIN (FORMAT JSON)'s plan tree (the fields this test reads). */
export interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Alias?: string;
  "Parent Relationship"?: string;
  "Subplan Name"?: string;
  "Plan Rows"?: number;
  "Total Cost"?: number;
  "Index Cond"?: string;
  "Recheck Cond"?: string;
  Filter?: string;
  "Hash Cond"?: string;
  "Join Filter"?: string;
  "Sort Key"?: string[];
  Plans?: PlanNode[];
}

/**
 * Records every statement the API's database pool sends, through postgres.js's own `debug` hook: called for
 * each query on every connection of the pool (transactions included) with the exact text and parameters that
 * go on the wire, so what is explained is what the API runs, not a copy of its SQL. The hook lives on the
 * pool's shared options object, which each connection reads per query, so it can be set on a running pool.
 */
export function recordQueries(db: Database) {
  const client = (db as unknown as { $client?: { options?: { debug?: unknown } } }).$client;
  if (!client?.options || !("debug" in client.options)) {
    throw new Error("The database is not a postgres.js pool: cannot record the statements the API sends.");
  }
  const options = client.options;
  let sink: SentQuery[] | null = null;
  options.debug = (_connection: number, text: string, params: unknown[]) => {
    // postgres.js's own catalogue look-ups when a connection opens are not the API's queries.
    if (sink && !/\bpg_catalog\./.test(text)) sink.push({ text, params: [...params] });
  };
  return {
    /** Runs fn and returns what it sent to the database. */
    async during<T>(fn: () => Promise<T>): Promise<{ result: T; sent: SentQuery[] }> {
      const sent: SentQuery[] = [];
      sink = sent;
      try {
        return { result: await fn(), sent };
      } finally {
        sink = null;
      }
    },
    stop() {
      options.debug = false;
    },
  };
}

/**
 * Reads only: the statements whose plans this test judges (and may run again to reach the plan cache's
 * choice). Writes and transaction control are skipped; a hot GET issues none.
 */
export function isRead(text: string): boolean {
  return /^\s*(select|with)\b/i.test(text) && !/\b(insert|update|delete|merge)\b/i.test(text);
}

/** The statement's shape: the same query with a different number of ids in an IN list is the same query. */
export function shapeOf(text: string): string {
  return text.replace(/\$\d+(\s*,\s*\$\d+)*/g, "$…").replace(/\s+/g, " ");
}

/** A parameter as an SQL literal, for EXECUTE (which cannot take bind parameters). */
function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = value instanceof Date ? value.toISOString() : String(value);
  return `'${text.replaceAll("'", "''")}'`;
}

function planOf(rows: unknown[]): PlanNode {
  const cell = (rows[0] as Record<string, unknown>)["QUERY PLAN"];
  const json = typeof cell === "string" ? JSON.parse(cell) : cell;
  return (json as Array<{ Plan: PlanNode }>)[0]!.Plan;
}

let statementCounter = 0;

/**
 * The plans PostgreSQL uses for one statement with its parameters:
 * - `custom`: planned for these values, as for the first five executions of a prepared statement;
 * - `cached`: what a prepared statement runs from its sixth execution on, when the plan cache may switch to
 *   a generic plan (postgres.js prepares every statement, so the API's connections do reach it).
 * `explainer` must be a one-connection handle: PREPARE belongs to a session.
 */
export async function plansFor(
  explainer: DbHandle,
  q: SentQuery,
): Promise<{ custom: PlanNode; cached: PlanNode }> {
  const custom = planOf((await explainer.executeSql(`EXPLAIN (FORMAT JSON) ${q.text}`, q.params)).rows);
  const name = `plan_check_${++statementCounter}`;
  const args = q.params.length ? `(${q.params.map(literal).join(", ")})` : "";
  await explainer.executeSql(`PREPARE ${name} AS ${q.text}`);
  try {
    for (let i = 0; i < 5; i++) await explainer.executeSql(`EXECUTE ${name}${args}`);
    const cached = planOf((await explainer.executeSql(`EXPLAIN (FORMAT JSON) EXECUTE ${name}${args}`)).rows);
    return { custom, cached };
  } finally {
    await explainer.executeSql(`DEALLOCATE ${name}`);
  }
}

export function* planNodes(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* planNodes(child);
}

const INDEX_NODES = new Set(["Index Scan", "Index Only Scan", "Bitmap Index Scan"]);

export function indexesUsed(plan: PlanNode): string[] {
  return [
    ...new Set(
      [...planNodes(plan)].filter((n) => INDEX_NODES.has(n["Node Type"])).map((n) => n["Index Name"]!),
    ),
  ];
}

export function seqScannedTables(plan: PlanNode): string[] {
  return [
    ...new Set(
      [...planNodes(plan)].filter((n) => n["Node Type"] === "Seq Scan").map((n) => n["Relation Name"]!),
    ),
  ];
}

/** The plan as an indented tree, like EXPLAIN's text format, for failure messages and the report. */
export function renderPlan(node: PlanNode, depth = 0): string {
  const pad = "  ".repeat(depth);
  const on = node["Relation Name"] ? ` on ${node["Relation Name"]}` : "";
  const using = node["Index Name"] ? ` using ${node["Index Name"]}` : "";
  const sub = node["Subplan Name"] ? ` [${node["Subplan Name"]}]` : "";
  const head = `${pad}${depth ? "-> " : ""}${node["Node Type"]}${on}${using}${sub}  (cost=${node["Total Cost"]} rows=${node["Plan Rows"]})`;
  const details = (
    [
      ["Index Cond", node["Index Cond"]],
      ["Recheck Cond", node["Recheck Cond"]],
      ["Hash Cond", node["Hash Cond"]],
      ["Join Filter", node["Join Filter"]],
      ["Filter", node.Filter],
      ["Sort Key", node["Sort Key"]?.join(", ")],
    ] as const
  )
    .filter(([, v]) => v)
    .map(([k, v]) => `${pad}     ${k}: ${v}`);
  return [head, ...details, ...(node.Plans ?? []).map((c) => renderPlan(c, depth + 1))].join("\n");
}
