import pino, { type DestinationStream, type Logger } from "pino";
import type { Env } from "../env";
import { sqlStateOf } from "./db-errors";

/**
 * Fields that hold credentials or a person's details: redacted wherever they sit in a log line, up to three
 * levels deep (`phone`, `contact.phone`, `sms.data.phone`). Names and phones of villagers and buyers, pickup
 * codes and order access tokens are as sensitive as passwords here: they open orders and payouts.
 */
const SENSITIVE_KEYS = [
  "password",
  "passwordHash",
  "password_hash",
  "token",
  "accessToken",
  "access_token",
  "clientSecret",
  "secret",
  "authorization",
  "cookie",
  "set-cookie",
  "x-coop-client",
  "pickupCode",
  "pickup_code",
  // A villager's one-time pickup code (domain/orders/pickup-sms.ts).
  "smsCode",
  "phone",
  "contactPhone",
  "consignorPhone",
  "name",
  "displayName",
  "contactName",
  "consignorName",
  "contact",
  "address",
  // A query's values, wherever something puts them.
  "params",
  "parameters",
];

export const REDACTED_PATHS = SENSITIVE_KEYS.flatMap((key) => {
  const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  const child = k.startsWith("[") ? k : `.${k}`;
  return [k, `*${child}`, `*.*${child}`];
});

/**
 * Properties of an error worth a log line and holding no values: the SQLSTATE and the names of the
 * constraint, table and column (postgres.js spells them `constraint_name`…, PGlite `constraint`…), Node's
 * socket details, an HTTP status. Everything else an error carries is left out: postgres.js puts the query's
 * `parameters` on its errors, and PostgreSQL's `detail` repeats the offending values ("Key (phone)=(139…)").
 */
const SAFE_ERROR_FIELDS = [
  "code",
  "severity",
  "constraint",
  "constraint_name",
  "table",
  "table_name",
  "column",
  "column_name",
  "schema",
  "schema_name",
  "routine",
  "errno",
  "syscall",
  "address",
  "port",
  "status",
  "statusCode",
] as const;

const MAX_CAUSE_DEPTH = 4;

/**
 * An error as a log line may show it: its type, a message without the query's values, the safe fields, the
 * stack frames and its cause (Drizzle wraps the driver's error, which has the SQLSTATE).
 */
export function serializeError(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error) && (typeof err !== "object" || err === null)) {
    return { type: typeof err, message: safeMessage(String(err)) };
  }
  const e = err as Error & Record<string, unknown>;
  const type = e instanceof Error ? e.constructor?.name || e.name || "Error" : "Object";
  const message = safeMessage(typeof e.message === "string" ? e.message : "");
  const out: Record<string, unknown> = { type, message };
  if (depth === 0) {
    const sqlState = sqlStateOf(err);
    if (sqlState) out.sqlState = sqlState;
  }
  for (const field of SAFE_ERROR_FIELDS) {
    const value = e[field];
    if (typeof value === "string" || typeof value === "number") out[field] = value;
  }
  if (typeof e.stack === "string") {
    // The stack's first line repeats the message, values and all: keep only the frames.
    const frames = e.stack.split("\n").filter((line) => /^\s+at /.test(line));
    out.stack = [`${type}: ${message}`, ...frames].join("\n");
  }
  if (e.cause !== undefined && depth < MAX_CAUSE_DEPTH) out.cause = serializeError(e.cause, depth + 1);
  return out;
}

/**
 * Drizzle's message is "Failed query: <sql>\nparams: <values>": the SQL has placeholders, the rest is values.
 * PostgreSQL quotes the offending value in a few messages; those values are cut too.
 */
function safeMessage(message: string): string {
  const paramsAt = message.indexOf("\nparams:");
  const withoutParams = paramsAt === -1 ? message : message.slice(0, paramsAt);
  return withoutParams
    .replace(/(invalid input (?:syntax|value) for (?:type|enum) [^:]+: )".*"/s, '$1"[redacted]"')
    .replace(/value ".*" is out of range/s, 'value "[redacted]" is out of range');
}

/** Structured JSON logs on stdout (or `destination`, for tests); credentials and personal details never reach them. */
export function createLogger(
  env: Pick<Env, "LOG_LEVEL" | "NODE_ENV">,
  destination?: DestinationStream,
): Logger {
  const options = {
    level: env.LOG_LEVEL,
    base: { service: "coop-api" },
    serializers: { err: serializeError },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  };
  return destination ? pino(options, destination) : pino(options);
}
