import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { type ApiClient, ApiError, type StaffUser } from "../lib/api.server";
import { staffSessions } from "../lib/session.server";
import { action as cashAction } from "./staff.admin.cash";
import { loader as productsLoader } from "./staff.admin.products._index";
import { action as productAction, loader as productLoader } from "./staff.admin.products.$id";
import { action as pointAction } from "./staff.admin.service-points.$id";
import { action as staffAction } from "./staff.admin.staff.$id";
import { action as warehouseAction } from "./staff.admin.warehouses";

const admin: StaffUser = {
  id: "usr_admin",
  login: "admin",
  displayName: "王主任",
  role: "admin",
  servicePointId: null,
};

const egg = {
  id: "prd_egg",
  sku: "EGG-TU",
  name: { zh: "土鸡蛋", en: "Free-range egg" },
  description: { zh: "", en: "" },
  kind: "produce" as const,
  unit: "piece" as const,
  priceFen: 200,
  commissionBps: null,
  perishable: true,
  active: true,
  unitLocked: true,
  commissionHistory: [{ commissionBps: null, setBy: null, from: "2026-01-01T00:00:00.000Z" }],
};

const point = {
  id: "loc_hs01",
  kind: "service_point" as const,
  code: "SP-HS01",
  name: { zh: "竹山村服务点", en: "Zhushan point" },
  village: "竹山村",
  address: null,
  phone: null,
  openingHours: null,
  active: true,
};

const agentAccount = {
  id: "usr_agent",
  login: "agent-hs01",
  displayName: "刘梅",
  role: "agent" as const,
  servicePointId: "loc_hs01",
  active: true,
};

async function cookie() {
  const session = await staffSessions.getSession();
  session.set("token", "tok");
  return (await staffSessions.commitSession(session)).split(";")[0]!;
}

type RouteFn = (args: {
  request: Request;
  context: AppLoadContext;
  params: Record<string, string>;
}) => Promise<unknown>;

/** Runs a loader or action as the logged-in admin with a fake API; answers status and data. */
async function run(
  fn: RouteFn,
  url: string,
  api: Partial<ApiClient>,
  params: Record<string, string> = {},
  form?: Record<string, string>,
) {
  const request = new Request(`http://shop.test${url}`, {
    method: form ? "POST" : "GET",
    ...(form ? { body: new URLSearchParams(form) } : {}),
    headers: { cookie: await cookie() },
  });
  // A product has no photos unless a test says so (the product page loads them beside the product).
  const context = {
    api: { me: async () => admin, productPhotos: async () => ({ items: [] }), ...api } as ApiClient,
  };
  const result = await fn({ request, context, params }).catch((thrown: unknown) => thrown);
  if (result instanceof Response) return { status: result.status, body: null as never };
  const value = result as { data?: Record<string, unknown>; init?: ResponseInit | null };
  if (value && typeof value === "object" && "data" in value)
    return { status: value.init?.status ?? 200, body: value.data as Record<string, any> };
  return { status: 200, body: result as Record<string, any> };
}

const refused = (status: number, code: string, fields: Array<{ path: string; message: string }> = []) =>
  new ApiError(status, code as never, "refused", "req_1", fields);

describe("admin product list", () => {
  it("passes the search and filters from the address to the API, and nothing it does not offer", async () => {
    let asked: unknown = null;
    const api = {
      adminProducts: async (_token: string, query: unknown) => {
        asked = query;
        return { items: [], nextCursor: null };
      },
    };
    const page = await run(productsLoader, "/staff/admin/products?q=鸡蛋&kind=supply&active=false&x=1", api);
    expect(page.status).toBe(200);
    expect(asked).toEqual({ q: "鸡蛋", kind: "supply", active: "false" });
    await run(productsLoader, "/staff/admin/products?kind=boss&active=maybe", api);
    expect(asked).toEqual({});
  });
});

describe("admin product edit", () => {
  const form = {
    nameZh: "土鸡蛋",
    nameEn: "Free-range egg",
    descriptionZh: "",
    descriptionEn: "",
    unit: "piece",
    price: "2.50",
    commission: "12",
    active: "on",
  };

  it("sends the names, price in fen and the new commission as one change", async () => {
    let sent: unknown = null;
    const api = {
      adminProduct: async () => egg,
      editProduct: async (_t: string, _id: string, body: unknown) => {
        sent = body;
        return egg;
      },
    };
    const res = await run(productAction, "/staff/admin/products/prd_egg", api, { id: "prd_egg" }, form);
    expect(res.body.ok).toBe(true);
    expect(sent).toEqual({
      name: { zh: "土鸡蛋", en: "Free-range egg" },
      description: { zh: "", en: "" },
      priceFen: 250,
      commissionBps: 1200,
      active: true,
    });
  });

  it("shows the API's refusals beside the fields: a used unit, a bad name", async () => {
    const locked = await run(
      productAction,
      "/staff/admin/products/prd_egg",
      {
        adminProduct: async () => ({ ...egg, unitLocked: false }),
        editProduct: async () => {
          throw refused(409, "INVALID_STATE", [{ path: "unit", message: "already used" }]);
        },
      },
      { id: "prd_egg" },
      { ...form, unit: "gram", price: "15.00" },
    );
    expect(locked.status).toBe(409);
    expect(locked.body).toMatchObject({ problem: "checkFields", unitLocked: true });

    const badName = await run(
      productAction,
      "/staff/admin/products/prd_egg",
      {
        adminProduct: async () => egg,
        editProduct: async () => {
          throw refused(400, "VALIDATION_FAILED", [{ path: "name.en", message: "too long" }]);
        },
      },
      { id: "prd_egg" },
      form,
    );
    expect(badName.status).toBe(400);
    expect(badName.body.fields).toEqual({ nameEn: "invalid" });
    expect(badName.body.typed).toMatchObject({ price: "2.50" });
  });

  it("answers 404 for a product the API does not know", async () => {
    const res = await run(
      productLoader,
      "/staff/admin/products/prd_x",
      {
        adminProduct: async () => {
          throw refused(404, "NOT_FOUND");
        },
      },
      { id: "prd_x" },
    );
    expect(res.status).toBe(404);
  });
});

describe("admin service point and staff edits", () => {
  it("closes a service point with one button", async () => {
    let sent: unknown = null;
    const res = await run(
      pointAction,
      "/staff/admin/service-points/loc_hs01",
      {
        getServicePoint: async () => point,
        updateServicePoint: async (_t: string, _id: string, body: unknown) => {
          sent = body;
          return { ...point, active: false };
        },
      },
      { id: "loc_hs01" },
      { intent: "close" },
    );
    expect(sent).toEqual({ active: false });
    expect(res.body).toMatchObject({ ok: true, notice: "close" });
  });

  it("disables an account, and says so plainly when it is the admin's own", async () => {
    let sent: unknown = null;
    const api = {
      getStaff: async () => agentAccount,
      searchPlaces: async () => [point],
      updateStaff: async (_t: string, _id: string, body: unknown) => {
        sent = body;
        return { ...agentAccount, active: false };
      },
    };
    const done = await run(
      staffAction,
      "/staff/admin/staff/usr_agent",
      api,
      { id: "usr_agent" },
      {
        intent: "disable",
      },
    );
    expect(sent).toEqual({ active: false });
    expect(done.body).toMatchObject({ ok: true, notice: "disabled" });

    const own = await run(
      staffAction,
      "/staff/admin/staff/usr_agent",
      {
        ...api,
        updateStaff: async () => {
          throw refused(409, "INVALID_STATE", [{ path: "active", message: "your own account" }]);
        },
      },
      { id: "usr_agent" },
      { intent: "disable" },
    );
    expect(own.status).toBe(409);
    expect(own.body).toMatchObject({ ownAccount: true });
  });

  it("refuses a short temporary password before asking the API", async () => {
    let called = false;
    const res = await run(
      staffAction,
      "/staff/admin/staff/usr_agent",
      {
        getStaff: async () => agentAccount,
        searchPlaces: async () => [point],
        resetStaffPassword: async () => {
          called = true;
          return agentAccount;
        },
      },
      { id: "usr_agent" },
      { intent: "password", password: "short" },
    );
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual({ password: "password" });
    expect(called).toBe(false);
  });

  it("tells the admin a co-op has one warehouse when the API refuses a second", async () => {
    const res = await run(
      warehouseAction,
      "/staff/admin/warehouses",
      {
        createWarehouse: async () => {
          throw refused(409, "ALREADY_EXISTS");
        },
      },
      {},
      { code: "WH-2", nameZh: "第二仓库", nameEn: "Second", address: "", phone: "" },
    );
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ onlyOne: true });
  });
});

describe("admin cash hand-in count", () => {
  it("sends the count in fen with the hand-in's key, and refuses a count that is not money beside its field", async () => {
    const sent: unknown[] = [];
    const api = {
      confirmHandIn: async (_t: string, id: string, body: unknown, key?: string) => {
        sent.push({ id, body, key });
        return {} as never;
      },
    };
    const done = await run(
      cashAction,
      "/staff/admin/cash",
      api,
      {},
      {
        handInId: "hin_1",
        counted: "12.50",
        note: "",
        idempotencyKey: "shop-cash-key-1",
      },
    );
    expect(done.status).toBe(302);
    expect(sent).toEqual([{ id: "hin_1", body: { countedFen: 1250 }, key: "shop-cash-key-1" }]);

    const bad = await run(cashAction, "/staff/admin/cash", api, {}, { handInId: "hin_1", counted: "12,5" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ problem: "checkFields", fields: { counted: "money" }, id: "hin_1" });
    const empty = await run(cashAction, "/staff/admin/cash", api, {}, { handInId: "hin_1", counted: "" });
    expect(empty.body.fields).toEqual({ counted: "required" });
    expect(sent).toHaveLength(1);
  });
});
