import { describe, expect, it } from "vitest";
import { DEV_SESSION_SECRET, readEnv } from "./env.server";

const secret = "a-production-secret-of-at-least-32-chars";

describe("shop configuration", () => {
  it("has working defaults for development", () => {
    expect(readEnv({})).toEqual({
      NODE_ENV: "development",
      API_URL: "http://127.0.0.1:8787",
      SESSION_SECRET: DEV_SESSION_SECRET,
    });
  });

  it("requires SESSION_SECRET in production", () => {
    expect(() => readEnv({ NODE_ENV: "production" })).toThrow(
      /SESSION_SECRET: is required when NODE_ENV=production/,
    );
    expect(() => readEnv({ NODE_ENV: "production", SESSION_SECRET: "" })).toThrow(/SESSION_SECRET/);
    expect(() => readEnv({ NODE_ENV: "production", SESSION_SECRET: DEV_SESSION_SECRET })).toThrow(
      /development default/,
    );
    expect(readEnv({ NODE_ENV: "production", SESSION_SECRET: secret }).SESSION_SECRET).toBe(secret);
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
