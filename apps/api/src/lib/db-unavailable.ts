import { errorCodesOf, sqlStateOf } from "./db-errors";
import { ApiError } from "./errors";

/** Seconds a client is told to wait before retrying while the database is away (Retry-After). */
export const RETRY_AFTER_SECONDS = 5;

/** Node's socket errors when the server is down, restarting or unreachable. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** postgres.js's own codes for a connection that never came or went away. */
const DRIVER_CODES = new Set([
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

/**
 * SQLSTATEs of a server that is shutting down, starting up or full: admin_shutdown, crash_shutdown,
 * cannot_connect_now, too_many_connections. Class 08 (connection exception) is matched by prefix.
 */
const SERVER_STATES = new Set(["57P01", "57P02", "57P03", "53300"]);

/**
 * True when `error` (or anything in its `cause` chain: Drizzle wraps the driver's error) says the database
 * could not be reached, as opposed to a query it refused. Such a request may simply be retried.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return errorCodesOf(error).some(
    (code) =>
      SOCKET_CODES.has(code) ||
      DRIVER_CODES.has(code) ||
      SERVER_STATES.has(code) ||
      /^08[0-9A-Z]{3}$/.test(code),
  );
}

/**
 * True for a transaction PostgreSQL aborted to break a deadlock or a serialization conflict (40P01, 40001):
 * nothing of it was written, and the same request succeeds when sent again.
 */
export function isTransientConflict(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state === "40P01" || state === "40001";
}

export function serviceUnavailable(): ApiError {
  return new ApiError(
    "SERVICE_UNAVAILABLE",
    "The co-op's system is not answering for a moment. Please try again in a few seconds.",
  );
}
