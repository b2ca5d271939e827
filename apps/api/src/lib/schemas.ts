import { ErrorBody } from "@coop/shared/contract";

/** Response entries for the error statuses a route can return, all with the one error body. */
export function errorResponses(...statuses: Array<400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 429>) {
  const descriptions = {
    400: "Invalid request (VALIDATION_FAILED names the fields)",
    401: "Missing, invalid or expired credentials",
    403: "Not allowed for this role or service point",
    404: "Not found",
    409: "Conflict with the current state",
    410: "Gone: a link that expired or was used already",
    413: "Request body too large",
    415: "Unsupported media type (an upload that is not a JPEG, PNG or WebP image)",
    429: "Too many requests",
  } as const;
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: descriptions[s], content: { "application/json": { schema: ErrorBody } } },
    ]),
  ) as Record<
    (typeof statuses)[number],
    { description: string; content: { "application/json": { schema: typeof ErrorBody } } }
  >;
}

export const jsonContent = <T>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
