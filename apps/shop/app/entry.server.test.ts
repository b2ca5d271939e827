import { describe, expect, it } from "vitest";
import { handleDataRequest } from "./entry.server";
import { contentSecurityPolicy, setSecurityHeaders } from "./lib/security-headers.server";

const dataArgs = (request: Request) => ({ request, params: {}, context: {} });

function post(url: string, headers: Record<string, string>) {
  return new Request(`http://shop.test${url}`, { method: "POST", headers, body: "intent=add" });
}

describe("cross-site actions", () => {
  it("answers a cross-site POST 403 with a sentence in the reader's language, not Remix's bare 500", async () => {
    const remixAnswer = new Response(null, { status: 500 });
    for (const [url, expected] of [
      ["/cart.data", "请求被拒绝"],
      ["/cart.data?lng=en", "This request was refused"],
    ] as const) {
      const res = await handleDataRequest(
        remixAnswer,
        dataArgs(post(url, { host: "shop.test", origin: "https://evil.example" })),
      );
      expect(res.status).toBe(403);
      expect(await res.text()).toContain(expected);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("refuses an Origin that matches neither the forwarded host nor the host, and a null origin", async () => {
    const refused: Record<string, string>[] = [
      { host: "shop.test", "x-forwarded-host": "shop.example", origin: "http://shop.test" },
      { host: "shop.test", origin: "null" },
      { host: "shop.test", origin: "http://shop.test:8080" },
    ];
    for (const headers of refused) {
      const res = await handleDataRequest(new Response("{}"), dataArgs(post("/cart.data", headers)));
      expect(res.status, JSON.stringify(headers)).toBe(403);
    }
  });

  it("passes the shop's own POSTs, GETs from anywhere and POSTs without an Origin through untouched", async () => {
    for (const request of [
      post("/cart.data", { host: "shop.test", origin: "http://shop.test" }),
      post("/cart.data", {
        host: "internal:3000",
        "x-forwarded-host": "shop.test",
        origin: "https://shop.test",
      }),
      post("/cart.data", { host: "shop.test" }),
      new Request("http://shop.test/products.data", { headers: { origin: "https://evil.example" } }),
    ]) {
      const answer = new Response("turbo", { status: 202 });
      const res = await handleDataRequest(answer, dataArgs(request));
      expect(res.status).toBe(202);
      expect(await res.text()).toBe("turbo");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });
});

describe("page security headers", () => {
  it("allow inline scripts only by nonce, Stripe's script and frames, and no framing of the shop", () => {
    const csp = contentSecurityPolicy("abc123", { development: false });
    const directive = (name: string) =>
      csp
        .split("; ")
        .find((d) => d.startsWith(`${name} `))
        ?.slice(name.length + 1)
        .split(" ");
    expect(directive("script-src")).toEqual(
      expect.arrayContaining(["'self'", "'nonce-abc123'", "https://js.stripe.com"]),
    );
    expect(directive("script-src")).not.toContain("'unsafe-inline'");
    expect(directive("script-src")).not.toContain("'unsafe-eval'");
    expect(directive("frame-src")).toEqual(
      expect.arrayContaining(["https://js.stripe.com", "https://hooks.stripe.com"]),
    );
    expect(directive("connect-src")).toContain("https://api.stripe.com");
    expect(directive("connect-src")).not.toContain("ws:");
    expect(directive("frame-ancestors")).toEqual(["'none'"]);
    expect(directive("object-src")).toEqual(["'none'"]);
    expect(directive("form-action")).toEqual(["'self'"]);
    expect(contentSecurityPolicy("n", { development: true })).toContain("ws:");
  });

  it("set nosniff, DENY and a referrer policy always, and HSTS only in production", () => {
    const dev = setSecurityHeaders(new Headers(), { nonce: "n", production: false, development: true });
    const prod = setSecurityHeaders(new Headers(), { nonce: "n", production: true, development: false });
    for (const h of [dev, prod]) {
      expect(h.get("x-frame-options")).toBe("DENY");
      expect(h.get("x-content-type-options")).toBe("nosniff");
      expect(h.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(h.get("content-security-policy")).toContain("'nonce-n'");
    }
    expect(dev.get("strict-transport-security")).toBeNull();
    expect(prod.get("strict-transport-security")).toMatch(/^max-age=\d{7,}/);
  });
});
