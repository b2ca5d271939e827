import { describe, expect, it } from "vitest";
import { getLanguage, languageCookie, rememberLanguage } from "./i18next.server";

function request(path: string, headers: Record<string, string> = {}) {
  return new Request(`http://shop.test${path}`, { headers });
}

async function cookieHeader(value: string) {
  // "lng=…; Path=/; …" → "lng=…"
  return (await languageCookie.serialize(value)).split(";")[0]!;
}

describe("language choice: ?lng= first, then the lng cookie, then Chinese", () => {
  it("defaults to Chinese with nothing chosen", async () => {
    expect(await getLanguage(request("/"))).toBe("zh-CN");
  });

  it("ignores the browser's Accept-Language: the default stays Chinese", async () => {
    expect(await getLanguage(request("/", { "Accept-Language": "en-US,en;q=0.9" }))).toBe("zh-CN");
  });

  it("takes the query parameter", async () => {
    expect(await getLanguage(request("/products?lng=en"))).toBe("en");
    expect(await getLanguage(request("/products?lng=zh-CN"))).toBe("zh-CN");
  });

  it("takes the cookie when there is no query parameter", async () => {
    expect(await getLanguage(request("/", { Cookie: await cookieHeader("en") }))).toBe("en");
  });

  it("lets the query parameter win over the cookie", async () => {
    expect(await getLanguage(request("/?lng=zh-CN", { Cookie: await cookieHeader("en") }))).toBe("zh-CN");
  });

  it("ignores unsupported languages and falls back to the cookie, then Chinese", async () => {
    expect(await getLanguage(request("/?lng=fr"))).toBe("zh-CN");
    expect(await getLanguage(request("/?lng=fr", { Cookie: await cookieHeader("en") }))).toBe("en");
    expect(await getLanguage(request("/", { Cookie: await cookieHeader("de") }))).toBe("zh-CN");
  });
});

describe("remembering the choice", () => {
  it("sets the cookie when the query chooses a language", async () => {
    const setCookie = await rememberLanguage(request("/?lng=en"), "en");
    expect(setCookie).toMatch(/^lng=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(await languageCookie.parse(setCookie!.split(";")[0]!)).toBe("en");
  });

  it("sets nothing without a query parameter, or when the cookie already says so", async () => {
    expect(await rememberLanguage(request("/"), "zh-CN")).toBeNull();
    expect(
      await rememberLanguage(request("/?lng=en", { Cookie: await cookieHeader("en") }), "en"),
    ).toBeNull();
  });
});
