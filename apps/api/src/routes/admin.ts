import {
  AdminProductDetail,
  AdminProductList,
  AdminProductQuery,
  CoopSettings,
  Created,
  CreateStaff,
  LocationList,
  LocationQuery,
  ProductChanges,
  ResetPassword,
  StaffAccount,
  StaffList,
  StaffQuery,
  UpdateCoopSettings,
  UpdateStaff,
} from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { getAdminProduct, listAdminProducts } from "../domain/catalog/admin-products";
import { updateProduct } from "../domain/catalog/update-product";
import { getCoopSettings, updateCoopSettings } from "../domain/coop/coop-settings";
import { listPlaces } from "../domain/locations/list-places";
import { createStaffUser } from "../domain/staff/create-staff-user";
import { findStaff, listStaff } from "../domain/staff/list-staff";
import { resetStaffPassword, updateStaffUser } from "../domain/staff/update-staff-user";
import { ApiError } from "../lib/errors";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

const security = [{ bearerAuth: [] }];

const coopGetDef = createRoute({
  method: "get",
  path: "/coop",
  tags: ["Co-op settings"],
  security,
  summary: "The co-op's settings: default commission, delivery fee rule, unpaid-order hold time",
  middleware: [requireStaff()] as const,
  responses: { 200: jsonContent(CoopSettings, "Settings"), ...errorResponses(401) },
});

const coopPatchDef = createRoute({
  method: "patch",
  path: "/coop",
  tags: ["Co-op settings"],
  security,
  summary: "Change the default commission, the delivery fee rule or the unpaid-order hold time (admin)",
  middleware: [requireStaff("admin")] as const,
  request: { body: { required: true, content: { "application/json": { schema: UpdateCoopSettings } } } },
  responses: { 200: jsonContent(CoopSettings, "Saved"), ...errorResponses(400, 401, 403) },
});

const locationsDef = createRoute({
  method: "get",
  path: "/locations",
  tags: ["Service points"],
  security,
  summary:
    "Every place stock can be, open or closed; search by code, name or village, filter by kind and state",
  middleware: [requireStaff()] as const,
  request: { query: LocationQuery },
  responses: { 200: jsonContent(LocationList, "Places"), ...errorResponses(401) },
});

const staffListDef = createRoute({
  method: "get",
  path: "/staff",
  tags: ["Staff"],
  security,
  summary: "Staff accounts (admin); search by login or name, filter by role and state",
  middleware: [requireStaff("admin")] as const,
  request: { query: StaffQuery },
  responses: { 200: jsonContent(StaffList, "Accounts"), ...errorResponses(400, 401, 403) },
});

const IdParam = z.object({ id: z.string().max(64) });
const boolParam = (value: "true" | "false" | undefined) =>
  value === undefined ? undefined : value === "true";

const staffGetDef = createRoute({
  method: "get",
  path: "/staff/{id}",
  tags: ["Staff"],
  security,
  summary: "One staff account (admin)",
  middleware: [requireStaff("admin")] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(StaffAccount, "The account"), ...errorResponses(401, 403, 404) },
});

const staffPatchDef = createRoute({
  method: "patch",
  path: "/staff/{id}",
  tags: ["Staff"],
  security,
  summary:
    "Change an account (admin): its name, disable (its sessions end at once) or enable, an agent's point",
  middleware: [requireStaff("admin")] as const,
  request: {
    params: IdParam,
    body: { required: true, content: { "application/json": { schema: UpdateStaff } } },
  },
  responses: {
    200: jsonContent(StaffAccount, "The account now"),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const staffPasswordDef = createRoute({
  method: "post",
  path: "/staff/{id}/password",
  tags: ["Staff"],
  security,
  summary: "Give an account a temporary password (admin): the old one stops working, every session ends",
  middleware: [requireStaff("admin"), idempotent()] as const,
  request: {
    params: IdParam,
    headers: z.object({ "idempotency-key": z.string().optional() }),
    body: { required: true, content: { "application/json": { schema: ResetPassword } } },
  },
  responses: { 200: jsonContent(StaffAccount, "The account"), ...errorResponses(400, 401, 403, 404) },
});

const staffCreateDef = createRoute({
  method: "post",
  path: "/staff",
  tags: ["Staff"],
  security,
  summary: "Create a staff account (admin); an agent needs a service point code",
  middleware: [requireStaff("admin"), idempotent()] as const,
  request: {
    headers: z.object({ "idempotency-key": z.string().optional() }),
    body: { required: true, content: { "application/json": { schema: CreateStaff } } },
  },
  responses: { 201: jsonContent(Created, "Created"), ...errorResponses(400, 401, 403, 404, 409) },
});

const adminProductsDef = createRoute({
  method: "get",
  path: "/admin/products",
  tags: ["Catalog"],
  security,
  summary: "Every product with its commission and sale status, including those taken off sale (admin)",
  middleware: [requireStaff("admin")] as const,
  request: { query: AdminProductQuery },
  responses: { 200: jsonContent(AdminProductList, "Products"), ...errorResponses(400, 401, 403) },
});

const adminProductDef = createRoute({
  method: "get",
  path: "/admin/products/{id}",
  tags: ["Catalog"],
  security,
  summary: "One product for the admin, on sale or not, with its commission history (admin)",
  middleware: [requireStaff("admin")] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(AdminProductDetail, "The product"), ...errorResponses(401, 403, 404) },
});

const productPatchDef = createRoute({
  method: "patch",
  path: "/products/{id}",
  tags: ["Catalog"],
  security,
  summary:
    "Change a product (admin): names, description, price, on sale or not, its unit while nothing counts in it, its commission (kept as history)",
  middleware: [requireStaff("admin")] as const,
  request: {
    params: IdParam,
    body: { required: true, content: { "application/json": { schema: ProductChanges } } },
  },
  responses: { 200: jsonContent(AdminProductDetail, "Updated"), ...errorResponses(400, 401, 403, 404, 409) },
});

export function adminRoutes() {
  return createRouter()
    .openapi(coopGetDef, async (c) => c.json(await getCoopSettings(c.var.deps.db, c.var.staff!.coopId), 200))
    .openapi(coopPatchDef, async (c) => {
      const staff = c.var.staff!;
      const settings = await updateCoopSettings(c.var.deps.db, {
        coopId: staff.coopId,
        actorUserId: staff.id,
        requestId: c.var.requestId,
        changes: c.req.valid("json"),
      });
      return c.json(settings, 200);
    })
    .openapi(adminProductsDef, async (c) => {
      const { q, kind, active, cursor, limit } = c.req.valid("query");
      const page = await listAdminProducts(c.var.deps.db, {
        coopId: c.var.staff!.coopId,
        q: q || undefined,
        kind,
        active: boolParam(active),
        afterId: cursor,
        limit,
      });
      return c.json(page, 200);
    })
    .openapi(adminProductDef, async (c) => {
      const product = await getAdminProduct(c.var.deps.db, c.req.valid("param").id);
      if (!product) throw new ApiError("NOT_FOUND", "There is no such product.");
      return c.json(product, 200);
    })
    .openapi(locationsDef, async (c) => {
      const { q, kind, active } = c.req.valid("query");
      const items = await listPlaces(c.var.deps.db, {
        coopId: c.var.staff!.coopId,
        q: q || undefined,
        kind,
        active: boolParam(active),
      });
      return c.json({ items }, 200);
    })
    .openapi(staffListDef, async (c) => {
      const { q, role, active } = c.req.valid("query");
      const items = await listStaff(c.var.deps.db, {
        coopId: c.var.staff!.coopId,
        q: q || undefined,
        role,
        active: boolParam(active),
      });
      return c.json({ items }, 200);
    })
    .openapi(staffCreateDef, async (c) => {
      const body = c.req.valid("json");
      const user = await createStaffUser(c.var.deps.db, {
        coopId: c.var.staff!.coopId,
        actorUserId: c.var.staff!.id,
        ...body,
        // The admin chose this password for someone else: they choose their own at first login.
        mustChangePassword: true,
      });
      return c.json({ id: user.id }, 201);
    })
    .openapi(staffGetDef, async (c) => {
      const account = await findStaff(c.var.deps.db, {
        coopId: c.var.staff!.coopId,
        id: c.req.valid("param").id,
      });
      if (!account) throw new ApiError("NOT_FOUND", "There is no such staff account.");
      return c.json(account, 200);
    })
    .openapi(staffPatchDef, async (c) => {
      const staff = c.var.staff!;
      const account = await updateStaffUser(c.var.deps.db, {
        coopId: staff.coopId,
        actorUserId: staff.id,
        requestId: c.var.requestId,
        id: c.req.valid("param").id,
        data: c.req.valid("json"),
      });
      return c.json(account, 200);
    })
    .openapi(staffPasswordDef, async (c) => {
      const staff = c.var.staff!;
      const account = await resetStaffPassword(c.var.deps.db, {
        coopId: staff.coopId,
        actorUserId: staff.id,
        requestId: c.var.requestId,
        id: c.req.valid("param").id,
        password: c.req.valid("json").password,
      });
      return c.json(account, 200);
    })
    .openapi(productPatchDef, async (c) => {
      const product = await updateProduct(c.var.deps.db, {
        actorUserId: c.var.staff!.id,
        requestId: c.var.requestId,
        id: c.req.valid("param").id,
        data: c.req.valid("json"),
      });
      return c.json(product, 200);
    });
}
