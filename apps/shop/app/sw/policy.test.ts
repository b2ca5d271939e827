import { createRequire } from "node:module";
import { redirectDocument } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import {
  documentOf,
  isConsolePath,
  isOfflineData,
  isOfflineScreen,
  isRouteManifest,
  isSessionChange,
  isSingleFetchData,
  mayKeep,
  reloadDocumentPayload,
  SETS_COOKIE_HEADER,
} from "./policy";

const url = (path: string) => new URL(path, "https://shop.test");

/** Remix's own single-fetch encoder (server-runtime, a dependency of @remix-run/node). */
const serverRuntime = createRequire(createRequire(import.meta.url).resolve("@remix-run/node"))(
  "@remix-run/server-runtime/dist/single-fetch.js",
) as {
  SingleFetchRedirectSymbol: symbol;
  getSingleFetchRedirect(status: number, headers: Headers, basename?: string): unknown;
  encodeViaTurboStream(data: unknown, signal: AbortSignal, timeout: number, mode: string): ReadableStream;
};

async function remixEncodes(response: Response): Promise<string> {
  const redirect = serverRuntime.getSingleFetchRedirect(302, response.headers);
  const stream = serverRuntime.encodeViaTurboStream(
    { [serverRuntime.SingleFetchRedirectSymbol]: redirect },
    new AbortController().signal,
    1_000,
    "production",
  );
  return new Response(stream).text();
}

describe("which pages the worker serves offline", () => {
  it("counts the intake screens as offline screens, nothing else of the console", () => {
    expect(isOfflineScreen("/staff/intake")).toBe(true);
    expect(isOfflineScreen("/staff/intake/new-villager")).toBe(true);
    expect(isOfflineScreen("/staff/intakes")).toBe(false);
    expect(isOfflineScreen("/staff")).toBe(false);
    expect(isOfflineScreen("/staff/villagers/csg_1/intake")).toBe(false);
  });

  it("counts /staff and below as the console, buyers' pages not", () => {
    expect(isConsolePath("/staff")).toBe(true);
    expect(isConsolePath("/staff/login")).toBe(true);
    expect(isConsolePath("/staffroom")).toBe(false);
    expect(isConsolePath("/orders/ord_1")).toBe(false);
    expect(isConsolePath("/")).toBe(false);
  });

  it("finds the page a single-fetch data address belongs to, Remix's own parameter dropped", () => {
    expect(isSingleFetchData(url("/staff/intake.data?_routes=root"))).toBe(true);
    expect(isSingleFetchData(url("/staff/intake"))).toBe(false);
    expect(documentOf(url("/staff/intake.data?_routes=root%2Croutes%2Fstaff.intake"))).toBe("/staff/intake");
    expect(documentOf(url("/staff/villagers.data?q=%E5%BC%A0&_routes=root"))).toBe(
      "/staff/villagers?q=%E5%BC%A0",
    );
    expect(documentOf(url("/_root.data"))).toBe("/");
  });

  it("keeps the products-and-villagers JSON, not a search in it; knows route discovery, login and logout", () => {
    expect(isOfflineData(url("/staff/sync/data"))).toBe(true);
    expect(isOfflineData(url("/staff/sync/data?q=138"))).toBe(false);
    expect(isRouteManifest(url("/__manifest?p=%2Fstaff&version=abc"))).toBe(true);
    expect(isSessionChange(url("/staff/logout"))).toBe(true);
    expect(isSessionChange(url("/staff/logout.data"))).toBe(true);
    expect(isSessionChange(url("/staff/login?redirectTo=%2Fstaff%2Fintake"))).toBe(true);
    expect(isSessionChange(url("/staff/login.data"))).toBe(true);
    expect(isSessionChange(url("/staff/intake"))).toBe(false);
  });
});

describe("which answers may be kept", () => {
  it("keeps a plain 200 only", () => {
    expect(mayKeep(new Response("ok"))).toBe(true);
    expect(mayKeep(new Response("no", { status: 500 }))).toBe(false);
    expect(mayKeep(new Response("gone", { status: 404 }))).toBe(false);
    expect(mayKeep(new Response(null, { status: 204 }))).toBe(false);
    expect(mayKeep(new Response("", { status: 202 }))).toBe(false);
  });

  it("never keeps an answer that set a cookie", () => {
    expect(mayKeep(new Response("ok", { headers: { [SETS_COOKIE_HEADER]: "1" } }))).toBe(false);
  });

  it("never keeps an answer reached through a redirect (the login page in place of a screen)", () => {
    const redirected = new Response("login page");
    Object.defineProperty(redirected, "redirected", { value: true });
    expect(mayKeep(redirected)).toBe(false);
  });
});

describe("the single-fetch answer that makes Remix load the document", () => {
  it("is byte for byte what Remix's server sends for redirectDocument()", async () => {
    for (const to of ["/staff/villagers", "/staff/villagers?q=%E5%BC%A0", "/staff"]) {
      expect(reloadDocumentPayload(to)).toBe(await remixEncodes(redirectDocument(to)));
    }
  });
});
