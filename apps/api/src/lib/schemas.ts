import { ERROR_CODES } from "@coop/shared";
import { z } from "@hono/zod-openapi";

/** OpenAPI components shared by every route module. */
export const ErrorResponseSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES as [string, ...string[]]).openapi({ example: "VALIDATION_FAILED" }),
      message: z.string().openapi({ example: "Some fields are missing or invalid: quantity" }),
      requestId: z.string(),
      fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi("Error");

export const LocalizedTextSchema = z
  .object({ zh: z.string(), en: z.string() })
  .openapi("LocalizedText", { description: "Text in Simplified Chinese and English" });

/** Response entries for the error statuses a route can return, all with the one error body. */
export function errorResponses(...statuses: Array<400 | 401 | 403 | 404 | 409 | 413 | 429>) {
  const descriptions = {
    400: "Invalid request (VALIDATION_FAILED names the fields)",
    401: "Missing, invalid or expired credentials",
    403: "Not allowed for this role or service point",
    404: "Not found",
    409: "Conflict with the current state",
    413: "Request body too large",
    429: "Too many requests",
  } as const;
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: descriptions[s], content: { "application/json": { schema: ErrorResponseSchema } } },
    ]),
  ) as Record<
    (typeof statuses)[number],
    { description: string; content: { "application/json": { schema: typeof ErrorResponseSchema } } }
  >;
}

export const jsonContent = <T>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
