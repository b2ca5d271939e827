import { createHmac, randomUUID } from "node:crypto";

/**
 * Alibaba Cloud's RPC request signature (SignatureMethod HMAC-SHA1, SignatureVersion 1.0), as documented in
 * "签名机制" (help.aliyun.com/document_detail/28839 / RPC signature mechanism):
 *   StringToSign = METHOD & percentEncode("/") & percentEncode(canonicalized query string)
 *   Signature    = Base64(HMAC-SHA1(AccessKeySecret + "&", UTF-8 bytes of StringToSign))
 * where the canonicalized query string is every parameter except Signature, sorted by name (code-unit order),
 * each name and value percent-encoded, joined as name=value with "&".
 */

/**
 * Aliyun's percent-encoding: RFC 3986 unreserved characters (A–Z a–z 0–9 - _ . ~) stay, everything else is
 * %XY of its UTF-8 bytes, a space is %20 (never "+"). encodeURIComponent leaves ! ' ( ) * alone, which this
 * encoding does not, so those five are encoded by hand.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function canonicalizedQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== "Signature")
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join("&");
}

export function stringToSign(method: "GET" | "POST", params: Record<string, string>): string {
  return `${method}&${percentEncode("/")}&${percentEncode(canonicalizedQuery(params))}`;
}

export function signature(accessKeySecret: string, method: "GET" | "POST", params: Record<string, string>) {
  return createHmac("sha1", `${accessKeySecret}&`)
    .update(stringToSign(method, params), "utf8")
    .digest("base64");
}

/** Aliyun's Timestamp: ISO 8601 in UTC, whole seconds ("2026-12-02T01:02:03Z"). */
export function aliyunTimestamp(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/**
 * The full signed parameter set of one call: the common parameters (JSON answers, API version, key id,
 * signature method and version, a fresh nonce, the time) plus the action's own, plus Signature.
 */
export function signedParams(input: {
  accessKeyId: string;
  accessKeySecret: string;
  version: string;
  action: string;
  params: Record<string, string>;
  method?: "GET" | "POST";
  now?: Date;
  nonce?: string;
}): Record<string, string> {
  const all: Record<string, string> = {
    ...input.params,
    Action: input.action,
    Format: "JSON",
    Version: input.version,
    AccessKeyId: input.accessKeyId,
    SignatureMethod: "HMAC-SHA1",
    SignatureVersion: "1.0",
    SignatureNonce: input.nonce ?? randomUUID(),
    Timestamp: aliyunTimestamp(input.now ?? new Date()),
  };
  return { ...all, Signature: signature(input.accessKeySecret, input.method ?? "POST", all) };
}

/** A form body (application/x-www-form-urlencoded) in the same encoding the signature used. */
export function formBody(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join("&");
}
