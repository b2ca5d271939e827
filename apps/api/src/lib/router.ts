import { OpenAPIHono } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import type { AppEnv } from "./context";
import { ApiError, type FieldIssue } from "./errors";

export function zodIssues(error: ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join(".") : "(body)",
    message: issue.message,
  }));
}

/**
 * Every router is made here so that every route validates the same way: a request that fails its zod schema
 * becomes 400 VALIDATION_FAILED naming each bad field, thrown to the one onError of the app.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const fields = zodIssues(result.error);
        throw new ApiError(
          "VALIDATION_FAILED",
          `Some fields are missing or invalid: ${fields.map((f) => f.path).join(", ")}`,
          { fields },
        );
      }
    },
  });
}
