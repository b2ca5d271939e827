/** The slice of an OpenAPI 3.1 document the fuzzer reads: operations, their parameters and JSON bodies. */
export type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: boolean | Schema;
  default?: unknown;
};

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  /** "POST /v1/orders/{id}/cancel": how the summary and the failures name it. */
  name: string;
  method: string;
  path: string;
  params: Parameter[];
  body?: { contentType: string; schema: Schema; required: boolean };
  secured: boolean;
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, any>>;
  components?: { schemas?: Record<string, Schema>; parameters?: Record<string, Parameter> };
}

const METHODS = new Set(["get", "post", "put", "patch", "delete"]);

/** Every operation of the document, with $refs of parameters resolved. */
export function listOperations(doc: OpenApiDoc): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const params = ((op.parameters ?? []) as (Parameter & { $ref?: string })[]).map((p) =>
        p.$ref ? (doc.components?.parameters?.[p.$ref.split("/").pop()!] as Parameter) : p,
      );
      const content = op.requestBody?.content as Record<string, { schema: Schema }> | undefined;
      const contentType = content ? Object.keys(content)[0] : undefined;
      out.push({
        name: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        params,
        body:
          contentType && content
            ? {
                contentType,
                schema: content[contentType]!.schema,
                required: op.requestBody.required === true,
              }
            : undefined,
        secured: Array.isArray(op.security) && op.security.length > 0,
      });
    }
  }
  return out;
}

export function resolve(doc: OpenApiDoc, schema: Schema): Schema {
  let s = schema;
  for (let hops = 0; s.$ref && hops < 20; hops++) {
    const name = s.$ref.split("/").pop()!;
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved $ref ${s.$ref}`);
    s = target;
  }
  return s;
}
