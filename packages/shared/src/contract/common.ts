import { z } from "zod";
import { ERROR_CODES } from "../errors";
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from "../text";

/**
 * Text a person types into a form: refused, with the field named, when it holds what PostgreSQL cannot store
 * (a NUL, half an emoji). The API refuses such text for every route anyway; this lets the shop say so at the
 * field before sending.
 */
export const TextInput = z.string().refine(isStorableText, UNSTORABLE_TEXT_MESSAGE);

export const LocalizedText = z
  .object({ zh: z.string(), en: z.string() })
  .meta({ id: "LocalizedText", description: "Text in Simplified Chinese and English" });
export type LocalizedText = z.infer<typeof LocalizedText>;

export const FieldIssue = z.object({ path: z.string(), message: z.string() });

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES as [string, ...string[]]).meta({ example: "VALIDATION_FAILED" }),
      message: z.string().meta({ description: "For people; clients branch on code, never on this" }),
      requestId: z.string(),
      fields: z.array(FieldIssue).optional().meta({ description: "For VALIDATION_FAILED: each bad field" }),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: "Error" });
export type ErrorBody = z.infer<typeof ErrorBody>;
