import { DEV_CLIENT_ADDRESS_SECRET } from "@coop/shared/client-signature";
import { describe, expect, it } from "vitest";
import { DEV_SESSION_SECRET, readEnv } from "./env.server";

const secret = "a-production-secret-of-at-least-32-chars";
const clientSecret = "another-production-secret-of-32-chars+";

describe("shop configuration", () => {
  it("has working defaults for development", () => {
    expect(readEnv({})).toEqual({
      NODE_ENV: "development",
      API_URL: "http://127.0.0.1:8787",
      SESSION_SECRET: DEV_SESSION_SECRET,
      CLIENT_ADDRESS_SECRET: DEV_CLIENT_ADDRESS_SECRET,
      TRUST_PROXY: false,
    });
  });

  it("requires SESSION_SECRET in production", () => {
    const production = { NODE_ENV: "production", CLIENT_ADDRESS_SECRET: clientSecret };
    expect(() => readEnv(production)).toThrow(/SESSION_SECRET: is required when NODE_ENV=production/);
    expect(() => readEnv({ ...production, SESSION_SECRET: "" })).toThrow(/SESSION_SECRET/);
    expect(() => readEnv({ ...production, SESSION_SECRET: DEV_SESSION_SECRET })).toThrow(
      /development default/,
    );
    expect(readEnv({ ...production, SESSION_SECRET: secret }).SESSION_SECRET).toBe(secret);
  });

  it("requires CLIENT_ADDRESS_SECRET in production, not the development one", () => {
    const production = { NODE_ENV: "production", SESSION_SECRET: secret };
    expect(() => readEnv(production)).toThrow(/CLIENT_ADDRESS_SECRET: is required when NODE_ENV=production/);
    expect(() => readEnv({ ...production, CLIENT_ADDRESS_SECRET: DEV_CLIENT_ADDRESS_SECRET })).toThrow(
      /CLIENT_ADDRESS_SECRET: must not be the development default/,
    );
    expect(() => readEnv({ CLIENT_ADDRESS_SECRET: "short" })).toThrow(
      /CLIENT_ADDRESS_SECRET: must be at least 32/,
    );
    expect(readEnv({ ...production, CLIENT_ADDRESS_SECRET: clientSecret }).CLIENT_ADDRESS_SECRET).toBe(
      clientSecret,
    );
  });

  it("rejects a short secret and a bad API_URL, naming the variable", () => {
    expect(() => readEnv({ SESSION_SECRET: "short" })).toThrow(/SESSION_SECRET: must be at least 32/);
    expect(() => readEnv({ API_URL: "not a url" })).toThrow(/API_URL/);
    expect(() => readEnv({ API_URL: "ftp://api.example" })).toThrow(/API_URL/);
  });

  it("drops a trailing slash from API_URL", () => {
    expect(readEnv({ API_URL: "http://api.internal:8787/" }).API_URL).toBe("http://api.internal:8787");
  });
});
