import fc from "fast-check";
import { type OpenApiDoc, resolve, type Schema } from "./openapi";

/**
 * Values for a JSON schema: mostly ones the schema accepts (so requests reach the domain code, built from
 * the real ids the run knows), now and then hostile ones (bad characters, integer edges, wrong types,
 * missing or extra fields) at any depth.
 */

/** Real ids by prefix ("lot", "csg", …), codes and tokens the run has seen, read when a round is planned. */
export type IdPool = ReadonlyMap<string, readonly string[]>;

/** Characters and strings that broke servers before: NUL, lone surrogates, emoji, huge, odd Unicode. */
export const NASTY_STRINGS: readonly string[] = [
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "😀",
  `${"名".repeat(39)}😀`,
  "\u202e\u200b\ufeff",
  "",
  " ",
  "\t\n",
  "x".repeat(100_000),
  "' OR 1=1 --",
  "%00",
  "../../../etc/passwd",
  "<script>alert(1)</script>",
  "null",
  "-1",
  "2147483648",
  "NaN",
  "1e309",
  "0x10",
  "lot_",
  "lot_00000000000000000000000000",
  "ord_7zzzzzzzzzzzzzzzzzzzzzzzzz",
];

export const EDGE_INTEGERS: readonly number[] = [
  -1,
  0,
  1,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  -(2 ** 31) - 1,
  2 ** 32,
  2 ** 53 - 1,
  2 ** 53 + 2,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  0.5,
  -0.000001,
];

/** Which pool an id-like field draws from, by its name (and for a path `{id}`, by the resource before it). */
export function idKind(name: string, path = ""): string | undefined {
  const n = name.toLowerCase();
  if (n === "photoid" || n === "photoids") return "pho";
  if (n === "id") {
    const resource = /\/v1\/([a-z-]+)\/\{id\}/.exec(path)?.[1];
    return resource ? RESOURCE_KIND[resource] : undefined;
  }
  if (n.endsWith("consignorid")) return "csg";
  if (n.endsWith("productid")) return "prd";
  if (n.endsWith("servicepointid") || n.endsWith("locationid")) return "loc";
  if (n === "lotid" || n === "lotids") return "lot";
  if (n === "orderid") return "ord";
  if (n === "payoutid") return "pout";
  if (n === "servicepointcode") return "code";
  if (n === "cursor") return "cursor";
  if (n === "pickupcode") return "pickup";
  if (n === "lotno") return "lotno";
  return undefined;
}

const RESOURCE_KIND: Record<string, string> = {
  products: "prd",
  consignors: "csg",
  lots: "lot",
  collections: "col",
  payouts: "pout",
  orders: "ord",
};

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

/** An id from the run: usually of the right kind, sometimes of another kind or made up. */
function idArb(pool: IdPool, kind: string): fc.Arbitrary<string> {
  const own = pool.get(kind) ?? [];
  const any = [...pool.values()].flat();
  const options: { arbitrary: fc.Arbitrary<string>; weight: number }[] = [];
  if (own.length) options.push({ arbitrary: fc.constantFrom(...own), weight: 12 });
  if (any.length) options.push({ arbitrary: fc.constantFrom(...any), weight: 1 });
  options.push({
    arbitrary: fc.string({ minLength: 1, maxLength: 30 }).map((s) => `${kind}_${s}`),
    weight: 1,
  });
  return fc.oneof(...options);
}

function lengthBounds(s: Schema, fallbackMax: number) {
  const minLength = s.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(s.maxLength ?? fallbackMax, fallbackMax));
  return { minLength, maxLength };
}

const WORDS = [
  "土鸡蛋",
  "坛子菜",
  "李大妈",
  "王村",
  "雁峰区",
  "先锋路8号",
  "Egg",
  "pickles",
  "盘点",
  "坏了",
  "退回",
];

/** A string the schema accepts, shaped by the field's name so it passes the handlers' own checks too. */
function validString(s: Schema, name: string, path: string, pool: IdPool): fc.Arbitrary<string> {
  const kind = idKind(name, path);
  if (kind) return idArb(pool, kind);
  const { minLength, maxLength } = lengthBounds(s, 80);
  const n = name.toLowerCase();
  if (s.format === "date" || n === "from" || n === "to" || n === "bestbefore")
    return fc.integer({ min: -60, max: 120 }).map(inDays);
  if (s.format === "date-time") return fc.integer({ min: -60, max: 60 }).map((d) => `${inDays(d)}T08:00:00Z`);
  if (s.pattern) {
    try {
      return fc
        .stringMatching(new RegExp(s.pattern))
        .filter((x) => x.length >= minLength && x.length <= maxLength);
    } catch {
      // A pattern JavaScript cannot compile falls through to plain text.
    }
  }
  if (n.includes("phone")) return fc.stringMatching(/^1[3-9]\d{9}$/);
  if (n === "login" || n === "password" || n === "sku" || n === "code" || n === "trackingnumber")
    return fc
      .stringMatching(/^[A-Za-z0-9._-]+$/)
      .filter((x) => x.length >= Math.max(minLength, n === "password" ? 8 : 1) && x.length <= maxLength);
  const text = fc
    .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 })
    .map((w) => w.join(""))
    .map((x) => (x.length < minLength ? x.padEnd(minLength, "村") : x.slice(0, maxLength)));
  return fc.oneof(
    { arbitrary: text, weight: 4 },
    { arbitrary: fc.string({ minLength, maxLength, unit: "grapheme" }), weight: 1 },
  );
}

function validInteger(s: Schema): fc.Arbitrary<number> {
  const min =
    s.exclusiveMinimum !== undefined ? Math.floor(s.exclusiveMinimum) + 1 : Math.ceil(s.minimum ?? -1000);
  const max =
    s.exclusiveMaximum !== undefined
      ? Math.ceil(s.exclusiveMaximum) - 1
      : Math.floor(s.maximum ?? Math.max(min + 1000, 1000));
  const lo = Math.max(min, -(2 ** 53) + 1);
  const hi = Math.min(max, 2 ** 53 - 1);
  // Small numbers are what real stock and money look like; the bounds are where columns overflow.
  return fc.oneof(
    { arbitrary: fc.integer({ min: lo, max: Math.min(hi, lo + 500) }), weight: 6 },
    { arbitrary: fc.constantFrom(lo, hi), weight: 1 },
    { arbitrary: fc.integer({ min: lo, max: hi }), weight: 1 },
  );
}

/** Anything of the wrong kind, or a boundary/hostile value of the right kind. */
export function hostileValue(s: Schema): fc.Arbitrary<unknown> {
  const wrongType = fc.constantFrom<unknown>(null, true, false, [], {}, "text", 12, -1, [null], { a: 1 });
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === "integer" || type === "number")
    return fc.oneof(
      { arbitrary: fc.constantFrom(...EDGE_INTEGERS), weight: 4 },
      { arbitrary: wrongType, weight: 1 },
      { arbitrary: fc.constantFrom("12", "2147483648", "1e3"), weight: 1 },
    );
  if (type === "string" || s.enum)
    return fc.oneof(
      { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 4 },
      { arbitrary: fc.string({ unit: "binary", maxLength: 40 }), weight: 2 },
      { arbitrary: wrongType, weight: 1 },
    );
  return wrongType;
}

export interface ValueContext {
  doc: OpenApiDoc;
  pool: IdPool;
  path: string;
  /** Weight of a hostile value against 100 valid ones, at each node of the value. */
  hostility: number;
}

/** An arbitrary for a value of `schema`; `name` is the field (or parameter) it fills. */
export function valueArb(ctx: ValueContext, schema: Schema, name = ""): fc.Arbitrary<unknown> {
  const valid = validValue(ctx, resolve(ctx.doc, schema), name);
  if (ctx.hostility <= 0) return valid;
  return fc.oneof(
    { arbitrary: valid, weight: 100 },
    { arbitrary: hostileValue(resolve(ctx.doc, schema)), weight: ctx.hostility },
  );
}

function validValue(ctx: ValueContext, s: Schema, name: string): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  const variants = s.oneOf ?? s.anyOf;
  if (variants) return fc.oneof(...variants.map((v) => valueArb(ctx, v, name)));
  if (s.allOf) {
    const merged: Schema = { type: "object", properties: {}, required: [] };
    for (const part of s.allOf.map((p) => resolve(ctx.doc, p))) {
      Object.assign(merged.properties!, part.properties);
      merged.required!.push(...(part.required ?? []));
    }
    return validValue(ctx, merged, name);
  }
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== "null") ?? "null") : s.type;
  switch (type) {
    case "string":
      return validString(s, name, ctx.path, ctx.pool);
    case "integer":
      return validInteger(s);
    case "number":
      return fc.oneof(validInteger(s), fc.double({ noNaN: true, noDefaultInfinity: true, min: 0, max: 1e6 }));
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const minLength = s.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(s.maxItems ?? 4, 4));
      // Items of an array named "lotIds" are lot ids: the item inherits the array's name.
      return fc.array(valueArb(ctx, s.items ?? {}, name), { minLength, maxLength });
    }
    case "object":
    case undefined:
      return objectArb(ctx, s);
    default:
      return fc.constant(null);
  }
}

/** An object with every required field and some optional ones; hostile runs drop some or add extras. */
function objectArb(ctx: ValueContext, s: Schema): fc.Arbitrary<unknown> {
  const props = s.properties ?? {};
  const required = s.required ?? [];
  const fields = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valueArb(ctx, v, k)]));
  const record = fc.record(fields, { requiredKeys: required.filter((k) => k in fields) });
  if (ctx.hostility <= 0) return record;
  return fc.oneof(
    { arbitrary: record, weight: 100 },
    {
      // A required field missing.
      arbitrary: fc.tuple(record, fc.nat()).map(([r, i]) => {
        const copy = { ...(r as Record<string, unknown>) };
        if (required.length) delete copy[required[i % required.length]!];
        return copy;
      }),
      weight: ctx.hostility,
    },
    {
      // Fields the schema does not have, some of them tempting.
      arbitrary: fc
        .tuple(
          record,
          fc.constantFrom<Record<string, unknown>>(
            { extra: 1 },
            { role: "admin" },
            { coopId: "coop_other" },
            { id: "lot_injected" },
            { passwordHash: "x" },
            { status: "paid" },
          ),
        )
        .map(([r, extra]) => ({ ...(r as object), ...extra })),
      weight: ctx.hostility,
    },
  );
}
