import { type ErrorCode, statusOf } from "@coop/shared";

export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * The one error type handlers and domain functions throw. Its code is from the closed list in
 * @coop/shared; its message is written for the person who will read it and never contains internals.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldIssue[];
  readonly details?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { fields?: FieldIssue[]; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    if (extra.fields) this.fields = extra.fields;
    if (extra.details) this.details = extra.details;
  }

  get status() {
    return statusOf(this.code);
  }
}

export function errorBody(error: ApiError, requestId: string) {
  return {
    error: {
      code: error.code,
      message: error.message,
      requestId,
      ...(error.fields ? { fields: error.fields } : {}),
      ...(error.details ? { details: error.details } : {}),
    },
  };
}
