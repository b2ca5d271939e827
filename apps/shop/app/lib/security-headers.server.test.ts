import { describe, expect, it } from "vitest";
import { SETS_COOKIE_HEADER } from "../sw/policy";
import {
  contentSecurityPolicy,
  setBasicSecurityHeaders,
  setSecurityHeaders,
} from "./security-headers.server";

const directive = (csp: string, name: string) =>
  csp
    .split("; ")
    .find((d) => d.startsWith(`${name} `))
    ?.slice(name.length + 1)
    .split(" ");

describe("the service worker's place in the page policy", () => {
  it("allows a worker and a web app manifest from the shop itself only", () => {
    const csp = contentSecurityPolicy("n0nce", { development: false });
    expect(directive(csp, "worker-src")).toEqual(["'self'"]);
    expect(directive(csp, "manifest-src")).toEqual(["'self'"]);
  });
});

describe("answers that set a cookie", () => {
  const page = { nonce: "n0nce", production: true, development: false };

  it("say so to the service worker (which cannot see Set-Cookie), pages and data alike", () => {
    const document = new Headers({ "Set-Cookie": "coop_browser=abc; Path=/" });
    expect(setSecurityHeaders(document, page).get(SETS_COOKIE_HEADER)).toBe("1");
    const data = new Headers({ "Set-Cookie": "coop_staff=; Max-Age=0" });
    expect(setBasicSecurityHeaders(data, { production: true }).get(SETS_COOKIE_HEADER)).toBe("1");
  });

  it("are the only ones marked", () => {
    expect(setSecurityHeaders(new Headers(), page).has(SETS_COOKIE_HEADER)).toBe(false);
    expect(setBasicSecurityHeaders(new Headers(), { production: true }).has(SETS_COOKIE_HEADER)).toBe(false);
  });
});
