import { parse, type Submission, type SubmissionResult } from "@conform-to/react";
import { configureCoercion } from "@conform-to/zod/v4/future";
import { parseYuan } from "@coop/shared";
import { data } from "@remix-run/node";
import { z } from "zod";
import {
  type $ZodErrorMap,
  type $ZodIssue,
  type $ZodType,
  type input,
  type output,
  safeParse,
} from "zod/v4/core";
import { zhCNCommon } from "../locales/common.zh-CN";
import { ApiError, ApiUnavailableError } from "./api.server";
import { percentToBps } from "./format";
import { newFormKey } from "./forms.server";
import type { FieldProblem, FormProblem } from "./staff.server";

/**
 * Staff forms parsed by Conform against the contract's own zod schemas (docs/decisions/0039): an action
 * reads the form with `parseStaffForm` (Conform's `parse` and zod coercion, as `parseWithZod` does, with
 * errors named by form field), answers a refused form or API error with `staffReply`, and does
 * only its real work in between. Field errors are catalog keys (staffForm.fields.*), never sentences.
 */

/** A staff form's submission: the parsed value on success, catalog keys by field name otherwise. */
export type StaffSubmission<Value = unknown> = Submission<Record<string, unknown>, FieldProblem[], Value>;

type ReplyOptions = Parameters<StaffSubmission["reply"]>[0];

/** Which catalog key a field shows when its value breaks the schema (default: `invalid`). */
export type FieldKeys = Readonly<Record<string, FieldProblem>>;

/** What went wrong, as an answer: the problem sentence, the status code and any fields to mark. */
export interface StaffProblem {
  problem: FormProblem;
  status: number;
  fields?: Readonly<Record<string, FieldProblem>>;
}

/** How an API error's field path (`name.en`) names a form field (`nameEn`): a function, a table or a list. */
export type FieldOf =
  | ((path: string) => string | null)
  | Readonly<Record<string, string>>
  | readonly string[];

const fieldProblems = new Set(Object.keys(zhCNCommon.staffForm.fields));

/** Whether a text is one of the catalog's field problems (a schema may name its own, e.g. `percent`). */
export function isFieldProblem(message: unknown): message is FieldProblem {
  return typeof message === "string" && fieldProblems.has(message);
}

// A field left empty (or only spaces) reaches the schema as undefined, so "missing" is one issue code.
const { coerceFormValue } = configureCoercion({
  stripEmptyString: (value) => (value.trim() === "" ? undefined : value),
});
// Schemas whose form part is coerced already (formToContract): the contract part must see the values as
// the mapping made them ("" stays "", a cleared text).
const coercedAlready = new WeakSet<$ZodType>();

/**
 * A form whose boxes are not the contract's shape: `fields` reads the boxes (coerced like any form), `map`
 * turns them into the contract's input, and the contract checks the result. Name the contract's paths in
 * `parseStaffForm`'s `paths` to show its errors beside the boxes.
 */
export function formToContract<Fields extends $ZodType, Contract extends z.ZodType>(
  fields: Fields,
  map: (value: output<Fields>, ctx: z.RefinementCtx<output<Fields>>) => z.input<Contract>,
  contract: Contract,
) {
  // The mapping's type is checked against the contract's input by `map`'s signature.
  const schema = coerceFormValue(fields)
    .transform(map)
    .pipe(contract as unknown as z.ZodType<z.output<Contract>, Awaited<z.input<Contract>>>);
  coercedAlready.add(schema);
  return schema;
}

const missingIsRequired: $ZodErrorMap = (issue) =>
  issue.code === "invalid_type" && issue.input === undefined ? "required" : undefined;

/** A form field's name as Conform writes it: `items[0].quantity`. */
function nameOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((name, part) => {
    if (typeof part === "number") return `${name}[${part}]`;
    return name ? `${name}.${String(part)}` : String(part);
  }, "");
}

/**
 * The catalog key for one zod issue of a field: a missing value is `required`; a schema's own message
 * that is a catalog key (`percent`, `money`) stands; otherwise the form's key for the field, or `invalid`.
 */
export function issueProblem(issue: Pick<$ZodIssue, "message" | "path">, keys: FieldKeys = {}): FieldProblem {
  if (isFieldProblem(issue.message)) return issue.message;
  const name = nameOf(issue.path);
  return keys[name] ?? keys[String(issue.path[0] ?? "")] ?? "invalid";
}

/**
 * Parses a staff form with a contract schema (or one derived from it): empty fields are missing, numbers
 * and checkboxes are coerced by Conform, and each field's first error is a catalog key. `paths` names the
 * form field of a schema path where they differ: a flat form piped into the contract's nested shape
 * reports `name.zh` under its box `nameZh` (`{ "name.zh": "nameZh" }`).
 */
export function parseStaffForm<Schema extends $ZodType>(
  form: FormData | URLSearchParams,
  schema: Schema,
  keys: FieldKeys = {},
  paths: Readonly<Record<string, string>> = {},
): Submission<input<Schema>, FieldProblem[], output<Schema>> {
  const coerced = coercedAlready.has(schema) ? schema : coerceFormValue(schema);
  return parse<output<Schema>, FieldProblem[]>(form, {
    resolve(payload) {
      const result = safeParse(coerced, payload, { error: missingIsRequired });
      if (result.success) return { value: result.data as output<Schema> };
      const error: Record<string, FieldProblem[]> = {};
      for (const issue of result.error.issues) {
        const name = nameOf(issue.path);
        const field = Object.hasOwn(paths, name) ? paths[name]! : name;
        error[field] ??= [issueProblem({ ...issue, path: field === name ? issue.path : [field] }, keys)];
      }
      return { error };
    },
  }) as Submission<input<Schema>, FieldProblem[], output<Schema>>;
}

function fieldMapper(fieldOf: FieldOf): (path: string) => string | null {
  if (typeof fieldOf === "function") return fieldOf;
  if (Array.isArray(fieldOf)) return (path) => (fieldOf.includes(path) ? path : null);
  const table = fieldOf as Readonly<Record<string, string>>;
  return (path) => (Object.hasOwn(table, path) ? table[path]! : null);
}

/**
 * The usual answer to an API error in an action: validation problems by field (mapped with `fieldOf`),
 * an unreachable API, a refused role, a stale record; anything else is a bug and is thrown.
 */
export function apiErrorToReply(error: unknown, fieldOf: FieldOf = []): StaffProblem {
  if (error instanceof ApiUnavailableError) return { problem: "unavailable", status: 503 };
  if (!(error instanceof ApiError)) throw error;
  if (error.code === "VALIDATION_FAILED") {
    const toField = fieldMapper(fieldOf);
    const fields: Record<string, FieldProblem> = {};
    for (const issue of error.fields) {
      const field = toField(issue.path);
      if (field) fields[field] = "invalid";
    }
    return { problem: "checkFields", status: 400, fields };
  }
  if (error.status === 401) return { problem: "loggedOut", status: 401 };
  if (error.status === 403) return { problem: "forbidden", status: 403 };
  if (error.status === 404) return { problem: "notFound", status: 404 };
  if (error.code === "IDEMPOTENCY_IN_PROGRESS") return { problem: "inProgress", status: 409 };
  if (error.code === "INVALID_STATE") return { problem: "invalidState", status: 409 };
  if (error.code === "RATE_LIMITED") return { problem: "rateLimited", status: 429 };
  throw error;
}

/** Fields a reply never sends back: secrets, and the old idempotency key (the answer carries a new one). */
function hiddenFields(payload: Record<string, unknown>): string[] {
  return Object.keys(payload).filter((name) => name === "idempotencyKey" || /password/i.test(name));
}

/** The body of a problem answer; `result` is Conform's last result for `useForm({ lastResult })`. */
export interface StaffReplyBody {
  ok: false;
  problem: FormProblem;
  fields: Partial<Record<string, FieldProblem>>;
  idempotencyKey: string;
  result: SubmissionResult<FieldProblem[]>;
}

/**
 * A form's answer when something is wrong: the problem sentence (default: check the fields, 400), each
 * field's first error from the schema or the API, what was typed (passwords left out) and a NEW
 * idempotency key: the API remembers the failed answer under the old one, and a corrected form is a
 * new request. `extra` adds what a screen needs beside (e.g. `{ ownAccount: true }`).
 */
export function staffReply<E extends object = Record<never, never>>(
  submission: {
    payload: Record<string, unknown>;
    error?: Record<string, FieldProblem[] | null> | null;
    reply: (options?: ReplyOptions) => SubmissionResult<FieldProblem[]>;
  },
  problem: StaffProblem = { problem: "checkFields", status: 400 },
  extra?: E,
) {
  const fields: Partial<Record<string, FieldProblem>> = {};
  for (const [name, errors] of Object.entries(submission.error ?? {})) {
    if (name && errors?.[0]) fields[name] = errors[0];
  }
  Object.assign(fields, problem.fields);
  const fieldErrors = Object.fromEntries(
    Object.entries(problem.fields ?? {}).map(([name, key]) => [name, [key]]),
  );
  const result = submission.reply({ fieldErrors, hideFields: hiddenFields(submission.payload) });
  const body: StaffReplyBody = {
    ok: false,
    problem: problem.problem,
    fields,
    idempotencyKey: newFormKey(),
    result,
  };
  return data({ ...body, ...(extra as E) }, { status: problem.status });
}

/** A form's percent text ("12", "8.5", "10%") as basis points, then checked by the contract's bps schema. */
export function percentAsBps<Out extends z.ZodType<number, number>>(bps: Out) {
  return z
    .string()
    .transform((value, ctx) => {
      const parsed = percentToBps(value);
      if (parsed === null) ctx.addIssue({ code: "custom", message: "percent" satisfies FieldProblem });
      return parsed ?? z.NEVER;
    })
    .pipe(bps);
}

/** A form's yuan text ("50", "12.50") as fen, then checked by the contract's fen schema. */
export function yuanAsFen<Out extends z.ZodType<number, number>>(fen: Out) {
  return z
    .string()
    .transform((value, ctx) => {
      const parsed = parseYuan(value.trim());
      if (parsed === null) ctx.addIssue({ code: "custom", message: "money" satisfies FieldProblem });
      return parsed ?? z.NEVER;
    })
    .pipe(fen);
}

/**
 * An optional text of an edit form that an empty box clears: the contract's clearable text (an empty
 * string stores nothing) gets "" instead of being left out, which would keep the old text.
 */
export function clearable<T extends z.ZodType<string | undefined, string | undefined>>(text: T) {
  return text.default("" as never);
}

/** The contract's localized name ({ zh, en }) as a form's two boxes, `nameZh` and `nameEn`. */
export function nameBoxes<Zh extends $ZodType, En extends $ZodType>(name: { shape: { zh: Zh; en: En } }) {
  return { nameZh: name.shape.zh, nameEn: name.shape.en };
}

/** The two boxes of a name (`nameZh`, `nameEn`) as the contract's localized `name`. */
export function withName<T extends { nameZh: string; nameEn: string }>({ nameZh, nameEn, ...rest }: T) {
  return { ...rest, name: { zh: nameZh, en: nameEn } };
}

/**
 * The API's field paths of a form whose fields carry the contract's names, its name in two boxes:
 * `apiFields(["code", "address"])` maps `code`, `address`, `name.zh` → `nameZh` and `name.en` → `nameEn`.
 */
export function apiFields(names: readonly string[]): Readonly<Record<string, string>> {
  return {
    ...Object.fromEntries(names.map((name) => [name, name])),
    "name.zh": "nameZh",
    "name.en": "nameEn",
  };
}

/** A checkbox as a boolean: ticked ("on") is true, absent is false. */
export const checkbox = z.boolean().default(false);

/** A checkbox with its own value (`value="yes"`) as a boolean: ticked is true, absent is false. */
export function tickedAs(value: string) {
  return z
    .string()
    .optional()
    .transform((sent) => sent === value);
}

/** A code typed in any case, written in capitals before the contract's pattern checks it. */
export function capitals<Out extends z.ZodType<string, string>>(code: Out) {
  return z
    .string()
    .transform((typed) => typed.toUpperCase())
    .pipe(code);
}
