import { UNSTORABLE_TEXT_MESSAGE } from "@coop/shared";
import { ApiError } from "./errors";

/** A driver's error as the cause chain carries it: postgres.js and PGlite both set `code`. */
export interface DriverError {
  code: string;
  message: string;
  detail?: string;
}

/**
 * Every error object along the `cause` chain, the error itself first: Drizzle wraps the driver's error
 * (postgres.js or PGlite) in its own, which carries the query but no code. At most 8 deep.
 */
function* causeChain(error: unknown): Generator<{ code?: unknown; cause?: unknown }> {
  let e = error;
  for (let depth = 0; depth < 8 && typeof e === "object" && e !== null; depth++) {
    yield e as { code?: unknown; cause?: unknown };
    e = (e as { cause?: unknown }).cause;
  }
}

/** Every string `code` along the cause chain (socket codes, the driver's own, SQLSTATEs), outermost first. */
export function errorCodesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (const e of causeChain(error)) if (typeof e.code === "string") codes.push(e.code);
  return codes;
}

/** The first error along the cause chain that carries a code: the driver's, under any wrapper. */
export function driverErrorOf(error: unknown): DriverError | undefined {
  for (const e of causeChain(error)) if (typeof e.code === "string") return e as DriverError;
  return undefined;
}

/** The SQLSTATE of a database error, looked for along the `cause` chain. */
export function sqlStateOf(error: unknown): string | undefined {
  return errorCodesOf(error).find((code) => /^[0-9A-Z]{5}$/.test(code));
}

/**
 * Errors PostgreSQL raises because of what was sent rather than a fault of ours: answered as a 4xx with a
 * stable code, never a 500. The contract bounds every number and the input rules refuse unstorable text, so
 * these are what still gets past them: sums that outgrow a column (a place's stock after many lots),
 * a date PostgreSQL's calendar does not have, a value too big for an index.
 */
export function databaseInputError(error: unknown): ApiError | undefined {
  switch (sqlStateOf(error)) {
    case "22003": // numeric_value_out_of_range
      return new ApiError(
        "CONFLICT",
        "This would take a number past what the system can hold (for example, too much stock at one place). Check the quantity or amount.",
        { details: { reason: "number_out_of_range" } },
      );
    case "22P05": // untranslatable_character
    case "22021": // character_not_in_repertoire
      return new ApiError("VALIDATION_FAILED", `The request ${UNSTORABLE_TEXT_MESSAGE}.`, {
        fields: [{ path: "(body)", message: UNSTORABLE_TEXT_MESSAGE }],
      });
    case "22007": // invalid_datetime_format
    case "22008": // datetime_field_overflow
      return new ApiError("VALIDATION_FAILED", "A date or time is outside the calendar the system keeps.", {
        fields: [{ path: "(body)", message: "a date or time out of range" }],
      });
    case "22001": // string_data_right_truncation
    case "54000": // program_limit_exceeded (e.g. a value too large for an index)
      return new ApiError("VALIDATION_FAILED", "A value is too long to store.", {
        fields: [{ path: "(body)", message: "too long" }],
      });
    default:
      return undefined;
  }
}
