import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import type { ApiClient, StaffUser } from "../lib/api.server";
import { staffSessions } from "../lib/session.server";
import { loader as dataLoader } from "./staff.sync.data";
import { action as syncAction } from "./staff.sync.intake";

const agent: StaffUser = {
  id: "usr_agent",
  login: "agent-hs01",
  displayName: "刘梅",
  role: "agent",
  servicePointId: "loc_hs01",
};

async function cookie() {
  const session = await staffSessions.getSession();
  session.set("token", "tok");
  return (await staffSessions.commitSession(session)).split(";")[0]!;
}

const villager = (id: string, name: string, phone: string) => ({
  id,
  name,
  phone,
  village: "竹山村",
  servicePointId: "loc_hs01",
});

describe("the phone's offline lists (/staff/sync/data)", () => {
  it("give the produce on sale with whether it is perishable, and every villager of the point, page by page", async () => {
    const pages: Array<string | undefined> = [];
    const api = {
      me: async () => agent,
      listProducts: async () => ({
        items: [
          {
            id: "prd_eggs",
            sku: "EGG",
            name: { zh: "土鸡蛋", en: "Eggs" },
            kind: "produce",
            unit: "piece",
            priceFen: 200,
            available: 0,
          },
          {
            id: "prd_oil",
            sku: "OIL",
            name: { zh: "茶油", en: "Tea oil" },
            kind: "produce",
            unit: "ml",
            priceFen: 9,
            available: 0,
          },
        ],
        nextCursor: null,
      }),
      getProduct: async (id: string) => ({ perishable: id === "prd_eggs" }),
      consignorRoster: async (_token: string, filters: { servicePointId: string; cursor?: string }) => {
        pages.push(filters.cursor);
        expect(filters.servicePointId).toBe("loc_hs01");
        return filters.cursor
          ? { items: [villager("csg_2", "王秀英", "13900000002")], nextCursor: null }
          : { items: [villager("csg_1", "刘桂英", "13900000001")], nextCursor: "csg_1" };
      },
    } as unknown as ApiClient;
    const request = new Request("http://shop.test/staff/sync/data", { headers: { cookie: await cookie() } });
    const response = await dataLoader({ request, context: { api } as AppLoadContext, params: {} });
    const body = await response.json();
    expect(response.headers.get("cache-control")).toContain("no-store");
    expect(body.products).toEqual([
      { id: "prd_eggs", name: { zh: "土鸡蛋", en: "Eggs" }, unit: "piece", priceFen: 200, perishable: true },
      { id: "prd_oil", name: { zh: "茶油", en: "Tea oil" }, unit: "ml", priceFen: 9, perishable: false },
    ]);
    expect(
      body.villagers.map((v: { id: string; name: string; phone: string }) => [v.id, v.name, v.phone]),
    ).toEqual([
      ["csg_1", "刘桂英", "13900000001"],
      ["csg_2", "王秀英", "13900000002"],
    ]);
    expect(pages).toEqual([undefined, "csg_1"]);
  });

  it("answers 401 as JSON when the login is gone (the phone keeps its lists)", async () => {
    const request = new Request("http://shop.test/staff/sync/data");
    const response = await dataLoader({ request, context: { api: {} as ApiClient }, params: {} });
    expect(response.status).toBe(401);
  });
});

describe("a photo from the phone (/staff/sync/intake, multipart)", () => {
  it("goes to the lot's photos with the command's key", async () => {
    const calls: Array<{ url: string; key: string | null; photo: unknown }> = [];
    const apiFetch = (async (url: URL, init: RequestInit) => {
      const form = init.body as FormData;
      calls.push({
        url: String(url),
        key: new Headers(init.headers).get("idempotency-key"),
        photo: form.get("photo"),
      });
      return Response.json({ id: "pho_1" }, { status: 201 });
    }) as unknown as typeof fetch;
    const form = new FormData();
    form.set("key", "cmd-photo-1234");
    form.set("lotId", "lot_1abc");
    form.set("photo", new File([new Uint8Array([1, 2, 3])], "photo", { type: "image/jpeg" }));
    const request = new Request("http://shop.test/staff/sync/intake", {
      method: "POST",
      body: form,
      headers: { cookie: await cookie() },
    });
    const response = await syncAction({ request, context: { apiFetch }, params: {} });
    expect(await response.json()).toEqual({ status: 201, body: { id: "pho_1" }, retryAfter: null });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toMatch(/\/v1\/lots\/lot_1abc\/photos$/);
    expect(calls[0]?.key).toBe("cmd-photo-1234");
    expect(calls[0]?.photo).toBeInstanceOf(File);
  });

  it("refuses a lot id that is not one, without calling the API", async () => {
    const form = new FormData();
    form.set("key", "cmd-photo-1234");
    form.set("lotId", "../orders");
    form.set("photo", new File(["x"], "photo", { type: "image/jpeg" }));
    const request = new Request("http://shop.test/staff/sync/intake", {
      method: "POST",
      body: form,
      headers: { cookie: await cookie() },
    });
    const apiFetch = (async () => {
      throw new Error("must not be called");
    }) as unknown as typeof fetch;
    const response = await syncAction({ request, context: { apiFetch }, params: {} });
    expect((await response.json()).status).toBe(400);
  });
});
