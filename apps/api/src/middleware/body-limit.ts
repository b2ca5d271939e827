import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../lib/context";

/**
 * Hono's bodyLimit, deciding from the headers first the way Hono's own does: a GET or HEAD has no body to
 * limit, and a body with a Content-Length (and no Transfer-Encoding) is refused when that length is over
 * `maxSize` (Node's HTTP parser never reads more than the announced length). Only a body without a length
 * (chunked) goes through Hono's bodyLimit, which counts its bytes as they stream in.
 *
 * Why not Hono's bodyLimit for every request: its first step reads `c.req.raw.body`, and under
 * @hono/node-server that getter turns the lightweight request into a full web Request with an AbortSignal
 * and a ReadableStream over the socket, on every request, before the handler reads the body through the
 * same stream. Deciding from the header leaves the body to node-server's direct read (issue 12, item 3).
 */
export function limitBody(options: {
  maxSize: number;
  onError: Parameters<typeof bodyLimit>[0]["onError"] & {};
}): MiddlewareHandler<AppEnv> {
  const streamed = bodyLimit(options);
  return async (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD") return next();
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
      return Number.parseInt(length || "0", 10) > options.maxSize ? options.onError(c) : next();
    }
    return streamed(c, next);
  };
}
