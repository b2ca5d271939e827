import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../lib/context";

/**
 * Hono's cors, with the headers of an ordinary (not preflight) request set the cheap way. Preflights
 * (OPTIONS) are Hono's cors itself. For every other request the same headers as Hono's cors sets: the
 * allowed origin when the request's Origin is listed, Allow-Credentials, Expose-Headers and `Vary: Origin`.
 *
 * Hono's cors sets them on `c.res` before the handler runs, which makes a response object early; the
 * handler's response must then be copied into a new one (reading its body turns @hono/node-server's
 * lightweight response into a full web Response, streamed out instead of written at once), and copied once
 * more for `Vary` after it. Set with `c.header()` instead, they go into the one response the handler (or
 * onError, or notFound) builds with c.json/c.body. A response made some other way does not carry them, so
 * they are added to it afterwards (issue 12, item 3).
 */
export function corsHeaders(options: {
  origins: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  maxAge: number;
}): MiddlewareHandler<AppEnv> {
  const preflight = cors({
    origin: options.origins,
    allowHeaders: options.allowHeaders,
    exposeHeaders: options.exposeHeaders,
    credentials: true,
    maxAge: options.maxAge,
  });
  const allowed = new Set(options.origins);
  const expose = options.exposeHeaders.join(",");
  const headersFor = (origin: string | undefined): Array<[string, string]> => [
    ...(origin && allowed.has(origin)
      ? ([["Access-Control-Allow-Origin", origin]] as Array<[string, string]>)
      : []),
    ["Access-Control-Allow-Credentials", "true"],
    ["Access-Control-Expose-Headers", expose],
  ];
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return preflight(c, next);
    const headers = headersFor(c.req.header("origin"));
    for (const [name, value] of headers) c.header(name, value);
    c.header("Vary", "Origin", { append: true });
    await next();
    // A response not built through the context (returned as a new Response) lacks them: add them there.
    const res = c.res.headers;
    if (res.get("Access-Control-Expose-Headers") === null) {
      for (const [name, value] of headers) res.set(name, value);
      res.append("Vary", "Origin");
    }
  };
}
