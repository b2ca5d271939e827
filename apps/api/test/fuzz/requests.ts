import fc from "fast-check";
import type { OpenApiDoc, Operation, Parameter } from "./openapi";
import { type IdPool, NASTY_STRINGS, valueArb } from "./values";

/** One request the fuzzer sends, as data (so a failure can print exactly what was sent). */
export interface PlannedRequest {
  op: string;
  role: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  /** JSON or other text; or the parts of a multipart form. */
  body?: string | { multipart: { name: string; bytes: number[]; type: string; filename: string }[] };
}

/** Percent-encodings that are not valid UTF-8 or that servers mishandle, sent raw in paths and queries. */
const RAW_URL_PIECES = ["%ED%A0%80", "%00", "%", "%zz", "%C0%AF", "%2F..%2F", "..", "%F0%9F%98%80"];

/** encodeURIComponent, except that a lone surrogate (which it refuses) goes out as its raw UTF-8 bytes. */
export function encodePiece(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? "undefined");
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text]
      .map((ch) => {
        const code = ch.codePointAt(0)!;
        if (code >= 0xd800 && code <= 0xdfff) {
          // CESU-style bytes of the surrogate: what a careless client sends.
          return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
            .map((b) => `%${b.toString(16).toUpperCase()}`)
            .join("");
        }
        return encodeURIComponent(ch);
      })
      .join("");
  }
}

export interface PlanContext {
  doc: OpenApiDoc;
  pool: IdPool;
  /** Keys sent earlier in the run: a replay (same key, maybe another body) is a case of its own. */
  usedKeys: readonly string[];
  /** Hostile values per 100 valid ones at each node. */
  hostility: number;
}

function paramValue(ctx: PlanContext, op: Operation, p: Parameter): fc.Arbitrary<string> {
  const value = valueArb({ ...ctx, path: op.path }, p.schema ?? { type: "string" }, p.name);
  return fc.oneof(
    { arbitrary: value.map(encodePiece), weight: 30 },
    { arbitrary: fc.constantFrom(...RAW_URL_PIECES), weight: 1 },
  );
}

function urlArb(ctx: PlanContext, op: Operation): fc.Arbitrary<string> {
  const pathParams = op.params.filter((p) => p.in === "path");
  const queryParams = op.params.filter((p) => p.in === "query");
  const path = fc
    .tuple(...pathParams.map((p) => paramValue(ctx, op, p)))
    .map((values) => pathParams.reduce((url, p, i) => url.replace(`{${p.name}}`, values[i]!), op.path));
  const query = fc
    .tuple(
      ...queryParams.map((p) =>
        fc.record({
          // Required ones are nearly always sent; leaving one out is a case too.
          send: fc.nat(19).map((n) => (p.required ? n > 0 : n >= 10)),
          value: paramValue(ctx, op, p),
        }),
      ),
    )
    .map((qs) =>
      qs
        .map((q, i) => (q.send ? `${encodeURIComponent(queryParams[i]!.name)}=${q.value}` : null))
        .filter((q) => q !== null)
        .join("&"),
    );
  return fc.tuple(path, query).map(([p, q]) => (q ? `${p}?${q}` : p));
}

function idempotencyKeyArb(ctx: PlanContext): fc.Arbitrary<string | undefined> {
  const options: { arbitrary: fc.Arbitrary<string | undefined>; weight: number }[] = [
    { arbitrary: fc.constant(undefined), weight: 4 },
    { arbitrary: fc.uuid(), weight: 5 },
    {
      arbitrary: fc.constantFrom("k", "x".repeat(300), "é-latin1", " padded ", "a b\tc"),
      weight: 1,
    },
  ];
  if (ctx.usedKeys.length) options.push({ arbitrary: fc.constantFrom(...ctx.usedKeys), weight: 2 });
  return fc.oneof(...options);
}

function jsonBodyArb(ctx: PlanContext, op: Operation): fc.Arbitrary<{ text?: string; type?: string }> {
  const schema = op.body!.schema;
  const valid = valueArb({ ...ctx, path: op.path }, schema).map((v) => ({
    text: JSON.stringify(v),
    type: "application/json",
  }));
  return fc.oneof(
    { arbitrary: valid, weight: 40 },
    {
      arbitrary: fc.constantFrom(
        { text: "{", type: "application/json" },
        { text: "", type: "application/json" },
        { text: "null", type: "application/json" },
        { text: "[]", type: "application/json" },
        { text: '"\\ud800"', type: "application/json" },
        { text: '{"a":"\\u0000"}', type: "application/json" },
        { text: "\ufeff{}", type: "application/json" },
        { text: "a=1&b=2", type: "application/x-www-form-urlencoded" },
        { text: "{}", type: "text/plain" },
        { text: undefined, type: undefined },
      ),
      weight: 2,
    },
  );
}

const JPEG_HEAD = [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00];

function multipartArb(): fc.Arbitrary<PlannedRequest["body"]> {
  const file = fc.record({
    name: fc.constantFrom("photo", "photo", "file", "photo\u0000"),
    bytes: fc.oneof(
      fc.array(fc.nat(255), { maxLength: 64 }).map((b) => [...JPEG_HEAD, ...b]),
      fc.array(fc.nat(255), { maxLength: 64 }),
    ),
    type: fc.constantFrom("image/jpeg", "image/png", "text/plain", "application/octet-stream", ""),
    filename: fc.constantFrom("a.jpg", "😀.jpg", "../../x.jpg", "a\u0000.jpg", ""),
  });
  return fc.array(file, { minLength: 0, maxLength: 2 }).map((parts) => ({ multipart: parts }));
}

/** A request to `op` as `role`, with the role's credentials in `auth` (header value or undefined). */
export function requestArb(
  ctx: PlanContext,
  op: Operation,
  role: string,
  auth: fc.Arbitrary<string | undefined>,
): fc.Arbitrary<PlannedRequest> {
  const takesKey = op.params.some((p) => p.in === "header" && p.name.toLowerCase() === "idempotency-key");
  const body: fc.Arbitrary<{ body?: PlannedRequest["body"]; type?: string }> = !op.body
    ? fc.oneof(
        { arbitrary: fc.constant({}), weight: 9 },
        { arbitrary: fc.constant({ body: '{"unexpected":true}', type: "application/json" }), weight: 1 },
      )
    : op.body.contentType === "multipart/form-data"
      ? fc.oneof(
          { arbitrary: multipartArb().map((b) => ({ body: b })), weight: 5 },
          { arbitrary: fc.constant({ body: "{}", type: "application/json" }), weight: 1 },
        )
      : jsonBodyArb(ctx, op).map(({ text, type }) => ({ body: text, type }));
  return fc
    .record({
      url: urlArb(ctx, op),
      body,
      auth,
      key: takesKey ? idempotencyKeyArb(ctx) : fc.constant(undefined),
      forwardedFor: fc.oneof(
        fc.ipV4(),
        fc.constantFrom("", "unknown", "1.1.1.1, 2.2.2.2", NASTY_STRINGS[11]!),
      ),
    })
    .map(({ url, body: b, auth: a, key, forwardedFor }) => {
      const headers: Record<string, string> = { "x-forwarded-for": forwardedFor };
      if (b.type) headers["content-type"] = b.type;
      if (a) headers.authorization = a;
      if (key !== undefined) headers["idempotency-key"] = key;
      return { op: op.name, role, method: op.method, url, headers, body: b.body };
    });
}
