import type { IncomingMessage } from "node:http";
import { createMiddleware } from "hono/factory";

/**
 * An answer sent before the request body was read to its end (413 from the body limit, 401/403/415 from a
 * check that runs before the handler reads) says `Connection: close`.
 *
 * @hono/node-server tries to drain such a body after the answer, but gives up after 500 ms and destroys the
 * socket; a large upload still on its way takes longer, so the answer used to say `keep-alive` and the
 * client's next request, written onto the pooled socket, failed. Announcing the close makes the client
 * open a new connection instead. Requests whose body was read keep their connection.
 *
 * Only under @hono/node-server (which hands the Node request in `c.env.incoming`); elsewhere, e.g.
 * `app.request` in tests, there is no socket to keep.
 */
export function closeUnreadBody() {
  return createMiddleware(async (c, next) => {
    await next();
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (!incoming || !hasBody(incoming) || incoming.readableEnded) return;
    c.res.headers.set("Connection", "close");
  });
}

function hasBody(incoming: IncomingMessage): boolean {
  const length = incoming.headers["content-length"];
  if (incoming.headers["transfer-encoding"] !== undefined) return true;
  return length !== undefined && length !== "0";
}
