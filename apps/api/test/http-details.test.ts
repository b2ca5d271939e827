import http from "node:http";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers";

/**
 * HTTP details that only show over a real socket: an answer sent before the request body was read must
 * not leave a keep-alive client writing its next request onto a connection the server is about to drop.
 */
type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string; socketId: number };

describe("early answers over a real keep-alive socket", () => {
  let t: TestApp;
  let server: ServerType;
  let port: number;
  let agent: http.Agent;
  const socketIds = new WeakMap<object, number>();
  let nextSocketId = 0;

  beforeAll(async () => {
    t = await createTestApp("pglite");
    server = serve({ fetch: t.app.fetch, hostname: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    agent?.destroy();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await t?.close();
  });

  function send(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: Buffer | string; chunked?: boolean } = {},
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, method, path, agent, headers: init.headers });
      // Without it a request written onto a socket the server has dropped waits for the test timeout.
      req.setTimeout(5_000, () => req.destroy(new Error(`no answer to ${method} ${path} within 5 s`)));
      req.on("socket", (socket) => {
        if (!socketIds.has(socket)) socketIds.set(socket, ++nextSocketId);
      });
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
            socketId: socketIds.get(req.socket!) ?? -1,
          }),
        );
        res.on("error", reject);
      });
      // The server may answer and close while the body is still going out; what matters is the answer.
      req.on("error", (err: NodeJS.ErrnoException) => {
        if (err.code !== "EPIPE" && err.code !== "ECONNRESET") reject(err);
      });
      if (init.body === undefined) return req.end();
      if (init.chunked) {
        // Several writes without a Content-Length: the body-limit middleware has to read to find out.
        const body = Buffer.from(init.body);
        const step = 64 * 1024;
        for (let i = 0; i < body.length; i += step) req.write(body.subarray(i, i + step));
        req.end();
      } else req.end(init.body);
    });
  }

  const twoMegabytes = () => Buffer.from(JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) }));

  // Every case sends a refused body on a fresh one-socket keep-alive agent, then a plain request on it.
  const cases: { name: string; first: () => Promise<Reply>; status: number; code: string }[] = [
    {
      name: "a 2 MB JSON body with Content-Length (413)",
      first: () =>
        send("POST", "/v1/auth/login", {
          headers: { "content-type": "application/json" },
          body: twoMegabytes(),
        }),
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
    },
    {
      name: "a 2 MB chunked JSON body (413)",
      first: () =>
        send("POST", "/v1/auth/login", {
          headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
          body: twoMegabytes(),
          chunked: true,
        }),
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
    },
    {
      name: "a body sent without a token to a staff route (401)",
      first: () =>
        send("POST", "/v1/consignors", {
          headers: { "content-type": "application/json" },
          body: Buffer.from(JSON.stringify({ name: "y".repeat(512 * 1024) })),
        }),
      status: 401,
      code: "UNAUTHENTICATED",
    },
    {
      name: "a body that is not JSON (415)",
      first: () =>
        send("POST", "/v1/auth/login", {
          headers: { "content-type": "text/plain" },
          body: "z".repeat(512 * 1024),
        }),
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
    },
  ];

  for (const c of cases) {
    it(`answers ${c.name} with Connection: close, and the next request on the agent succeeds`, {
      timeout: 15_000,
    }, async () => {
      agent?.destroy();
      agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

      const first = await c.first();
      expect(first.status).toBe(c.status);
      expect(JSON.parse(first.body).error.code).toBe(c.code);
      const second = await send("GET", "/health");
      expect(second.status).toBe(200);
      if (c.status === 413) {
        // The body limit answers before the body is read, and the socket is dropped after: it must say so.
        expect(first.headers.connection).toBe("close");
      } else if (first.headers.connection !== "close") {
        // A middleware may have read the body before refusing; then the connection it kept must work.
        expect(second.socketId).toBe(first.socketId);
      }
    });
  }

  it("keeps the connection alive for an ordinary request whose body was read", async () => {
    agent?.destroy();
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const first = await send("POST", "/v1/auth/login", {
      headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.9" },
      body: JSON.stringify({ login: "nobody", password: "wrong-password" }),
    });
    expect(first.status).toBe(401);
    expect(first.headers.connection).toBe("keep-alive");
    const second = await send("GET", "/health");
    expect(second.status).toBe(200);
    expect(second.socketId).toBe(first.socketId);
  });
});
