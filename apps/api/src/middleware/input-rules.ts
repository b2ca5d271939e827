import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from "@coop/shared";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../lib/context";
import { ApiError, type FieldIssue } from "../lib/errors";

/** Enough to show the caller what to fix; a body with thousands of bad strings gets the first few. */
const MAX_REPORTED_FIELDS = 20;
const BAD_ENCODING_MESSAGE = "is not valid UTF-8 percent-encoding";

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;
const FORM_TYPES = new Set(["multipart/form-data", "application/x-www-form-urlencoded"]);

/**
 * One input rule for every route, before authentication so anonymous routes get it too: text that
 * PostgreSQL cannot store — a NUL character or a lone UTF-16 surrogate — is refused with 400
 * VALIDATION_FAILED naming where it was: "(path)", "query.<name>", or the JSON path of a body field
 * ("contact.name", "items.0.productId"). Percent-encoding that does not decode to UTF-8 ("%ED%A0%80", a
 * surrogate encoded as if it were a character; "%FF") is refused the same way. Without this such text reached
 * a query and failed it with a 500, after an Idempotency-Key had been claimed.
 *
 * Bodies: JSON (keys and string values at any depth) and the text fields of forms. Files in a multipart
 * upload are bytes, not text, and are left alone. A body that is not valid JSON is left to the route's
 * validator, which answers it in its own words. Must run after the body limits: it reads the body.
 */
export function inputRules() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const fields = [...checkUrl(c.req.url), ...(await checkBody(c))];
    if (fields.length > 0) {
      const reported = fields.slice(0, MAX_REPORTED_FIELDS);
      throw new ApiError(
        "VALIDATION_FAILED",
        `Some fields contain a character that cannot be stored: ${reported.map((f) => f.path).join(", ")}`,
        { fields: reported },
      );
    }
    await next();
  });
}

function checkUrl(url: string): FieldIssue[] {
  const { pathname, search } = new URL(url);
  const issues: FieldIssue[] = [];
  const path = strictDecode(pathname);
  if (path === null) issues.push({ path: "(path)", message: BAD_ENCODING_MESSAGE });
  else if (!isStorableText(path)) issues.push({ path: "(path)", message: UNSTORABLE_TEXT_MESSAGE });
  for (const pair of search.slice(1).split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? "" : pair.slice(eq + 1);
    const name = strictDecode(rawName.replaceAll("+", " "));
    const value = strictDecode(rawValue.replaceAll("+", " "));
    const where = name !== null && isStorableText(name) ? `query.${name}` : "(query)";
    if (name === null || value === null) issues.push({ path: where, message: BAD_ENCODING_MESSAGE });
    else if (!isStorableText(name) || !isStorableText(value)) {
      issues.push({ path: where, message: UNSTORABLE_TEXT_MESSAGE });
    }
  }
  return issues;
}

/** decodeURIComponent throws on percent-encoding that is not UTF-8, surrogates included: null then. */
function strictDecode(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

async function checkBody(c: Context<AppEnv>): Promise<FieldIssue[]> {
  const mediaType = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (JSON_TYPE.test(mediaType)) {
    const text = await c.req.text();
    if (text === "") return [];
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [];
    }
    return unstorableStrings(body);
  }
  if (FORM_TYPES.has(mediaType)) {
    let form: FormData;
    try {
      const bytes = await c.req.arrayBuffer();
      form = await new Response(bytes, {
        headers: { "content-type": c.req.header("content-type")! },
      }).formData();
    } catch {
      return [];
    }
    const issues: FieldIssue[] = [];
    form.forEach((value, name) => {
      if (typeof value !== "string") return;
      if (!isStorableText(name) || !isStorableText(value)) {
        issues.push({ path: isStorableText(name) ? name : "(body)", message: UNSTORABLE_TEXT_MESSAGE });
      }
    });
    return issues;
  }
  return [];
}

interface Visit {
  value: unknown;
  key: string | null;
  parent: Visit | null;
}

/**
 * Every key and string value of a parsed JSON body that cannot be stored, by path. Walked with an explicit
 * stack and parent links (a path is spelled out only for a bad string): a 1 MB body can nest far deeper than
 * the call stack goes, and copying paths at every level would cost the square of the depth.
 */
export function unstorableStrings(body: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const stack: Visit[] = [{ value: body, key: null, parent: null }];
  const report = (at: Visit) => issues.push({ path: fieldPath(at), message: UNSTORABLE_TEXT_MESSAGE });
  while (stack.length > 0 && issues.length < MAX_REPORTED_FIELDS) {
    const visit = stack.pop()!;
    const { value } = visit;
    if (typeof value === "string") {
      if (!isStorableText(value)) report(visit);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], key: String(i), parent: visit });
    } else if (value !== null && typeof value === "object") {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        // A bad key cannot be shown as it is: name the object it sits in.
        if (!isStorableText(key)) report({ value: child, key: "(key)", parent: visit });
        else stack.push({ value: child, key, parent: visit });
      }
    }
  }
  return issues;
}

/** No real field sits deeper; a path through a body nested thousands deep is cut rather than echoed whole. */
const MAX_PATH_KEYS = 20;

function fieldPath(at: Visit): string {
  const keys: string[] = [];
  for (let v: Visit | null = at; v?.key != null; v = v.parent) keys.push(v.key);
  if (keys.length === 0) return "(body)";
  keys.reverse();
  return keys.length > MAX_PATH_KEYS ? `${keys.slice(0, MAX_PATH_KEYS).join(".")}.…` : keys.join(".");
}
