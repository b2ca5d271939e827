import { describe, expect, it } from "vitest";
import { CLIENT_HEADER_MAX_AGE_SECONDS, signClientIdentity, verifyClientIdentity } from "./client-signature";

const secret = "a-shared-secret-of-at-least-32-characters";
const browser = "b_0123456789abcdefABCDEF";
const now = Date.UTC(2026, 11, 1, 8, 0, 0);

describe("signed client identity (X-Coop-Client)", () => {
  it("round-trips an IPv4 or IPv6 address and a browser id", () => {
    for (const address of ["203.0.113.9", "2001:db8::17"]) {
      const header = signClientIdentity({ address, browser }, secret, now);
      expect(verifyClientIdentity(header, secret, now)).toEqual({ address, browser });
    }
  });

  it("carries a missing address or browser as null", () => {
    const header = signClientIdentity({ address: null, browser }, secret, now);
    expect(verifyClientIdentity(header, secret, now)).toEqual({ address: null, browser });
    const none = signClientIdentity({ address: "198.51.100.4", browser: null }, secret, now);
    expect(verifyClientIdentity(none, secret, now)).toEqual({ address: "198.51.100.4", browser: null });
  });

  it("leaves out what is not an address or a browser id instead of signing it", () => {
    const header = signClientIdentity({ address: "not-an-ip", browser: "short" }, secret, now);
    expect(verifyClientIdentity(header, secret, now)).toEqual({ address: null, browser: null });
  });

  it("refuses another secret, a changed field, a missing signature and garbage", () => {
    const header = signClientIdentity({ address: "203.0.113.9", browser }, secret, now);
    expect(verifyClientIdentity(header, "another-secret-of-at-least-32-characters", now)).toBeNull();
    expect(verifyClientIdentity(header.replace("203.0.113.9", "203.0.113.10"), secret, now)).toBeNull();
    expect(verifyClientIdentity(header.replace(/&s=[^&]*/, ""), secret, now)).toBeNull();
    expect(verifyClientIdentity(header.replace(/&s=[^&]*/, "&s=AAAA"), secret, now)).toBeNull();
    for (const junk of [undefined, null, "", "203.0.113.9", "v1;", "v2;a=1.2.3.4&t=1&s=x", "x".repeat(600)]) {
      expect(verifyClientIdentity(junk, secret, now)).toBeNull();
    }
  });

  it("refuses a stale or future-dated header", () => {
    const header = signClientIdentity({ address: "203.0.113.9", browser }, secret, now);
    const limit = CLIENT_HEADER_MAX_AGE_SECONDS * 1000;
    expect(verifyClientIdentity(header, secret, now + limit - 1000)).not.toBeNull();
    expect(verifyClientIdentity(header, secret, now + limit + 1000)).toBeNull();
    expect(verifyClientIdentity(header, secret, now - limit - 1000)).toBeNull();
  });
});
