import type { Database } from "@coop/db";
import { coops, locations, products, staffUsers } from "@coop/db/schema";
import {
  AdminProduct,
  AdminProductList,
  CoopSettings,
  Created,
  CreateStaff,
  LocationList,
  StaffList,
  UpdateCoopSettings,
  UpdateProduct,
} from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq, gt, ilike, or, type SQL } from "drizzle-orm";
import { createStaffUser } from "../domain/staff/create-staff-user";
import { audit } from "../lib/audit";
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

async function coopSettings(db: Database, coopId: string) {
  const [row] = await db.select().from(coops).where(eq(coops.id, coopId));
  return {
    id: row!.id,
    code: row!.code,
    name: { zh: row!.nameZh, en: row!.nameEn },
    defaultCommissionBps: row!.defaultCommissionBps,
    deliveryFeeFen: row!.deliveryFeeFen,
    freeDeliveryOverFen: row!.freeDeliveryOverFen,
    unpaidOrderSeconds: row!.unpaidOrderSeconds,
  };
}

const locationsDef = createRoute({
  method: "get",
  path: "/locations",
  tags: ["Service points"],
  security,
  summary: "Every place stock can be: warehouse, service points, stores",
  middleware: [requireStaff()] as const,
  responses: { 200: jsonContent(LocationList, "Places"), ...errorResponses(401) },
});

const staffListDef = createRoute({
  method: "get",
  path: "/staff",
  tags: ["Staff"],
  security,
  summary: "Staff accounts (admin)",
  middleware: [requireStaff("admin")] as const,
  responses: { 200: jsonContent(StaffList, "Accounts"), ...errorResponses(401, 403) },
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
  request: {
    query: z.object({
      q: z.string().trim().max(100).optional(),
      cursor: z.string().max(64).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: { 200: jsonContent(AdminProductList, "Products"), ...errorResponses(400, 401, 403) },
});

function projectAdminProduct(p: typeof products.$inferSelect) {
  return {
    id: p.id,
    sku: p.sku,
    name: { zh: p.nameZh, en: p.nameEn },
    description: { zh: p.descriptionZh, en: p.descriptionEn },
    kind: p.kind,
    unit: p.unit,
    priceFen: p.priceFen,
    commissionBps: p.commissionBps,
    perishable: p.perishable,
    active: p.active,
  };
}

const productPatchDef = createRoute({
  method: "patch",
  path: "/products/{id}",
  tags: ["Catalog"],
  security,
  summary: "Change a product's names, price, commission or whether it is on sale (admin)",
  middleware: [requireStaff("admin")] as const,
  request: {
    params: z.object({ id: z.string().max(64) }),
    body: { required: true, content: { "application/json": { schema: UpdateProduct } } },
  },
  responses: { 200: jsonContent(AdminProduct, "Updated"), ...errorResponses(400, 401, 403, 404) },
});

export function adminRoutes() {
  return createRouter()
    .openapi(coopGetDef, async (c) => c.json(await coopSettings(c.var.deps.db, c.var.staff!.coopId), 200))
    .openapi(coopPatchDef, async (c) => {
      const changes = Object.fromEntries(
        Object.entries(c.req.valid("json")).filter(([, v]) => v !== undefined),
      );
      const staff = c.var.staff!;
      if (Object.keys(changes).length) {
        await c.var.deps.db.transaction(async (tx) => {
          await tx.update(coops).set(changes).where(eq(coops.id, staff.coopId));
          await audit(tx, {
            actorUserId: staff.id,
            requestId: c.var.requestId,
            action: "coop.settings",
            entityType: "coop",
            entityId: staff.coopId,
            data: changes,
          });
        });
      }
      return c.json(await coopSettings(c.var.deps.db, staff.coopId), 200);
    })
    .openapi(adminProductsDef, async (c) => {
      const { q, cursor, limit } = c.req.valid("query");
      const conditions: SQL[] = [];
      if (cursor) conditions.push(gt(products.id, cursor));
      if (q) {
        const pattern = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
        conditions.push(
          or(ilike(products.nameZh, pattern), ilike(products.nameEn, pattern), ilike(products.sku, pattern))!,
        );
      }
      const rows = await c.var.deps.db
        .select()
        .from(products)
        .where(and(...conditions))
        .orderBy(asc(products.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      return c.json(
        { items: page.map(projectAdminProduct), nextCursor: rows.length > limit ? page.at(-1)!.id : null },
        200,
      );
    })
    .openapi(locationsDef, async (c) => {
      const rows = await c.var.deps.db
        .select()
        .from(locations)
        .orderBy(asc(locations.kind), asc(locations.code));
      return c.json(
        {
          items: rows.map((r) => ({
            id: r.id,
            kind: r.kind,
            code: r.code,
            name: { zh: r.nameZh, en: r.nameEn },
            village: r.village,
          })),
        },
        200,
      );
    })
    .openapi(staffListDef, async (c) => {
      const rows = await c.var.deps.db
        .select({
          id: staffUsers.id,
          login: staffUsers.login,
          displayName: staffUsers.displayName,
          role: staffUsers.role,
          servicePointId: staffUsers.servicePointId,
          active: staffUsers.active,
        })
        .from(staffUsers)
        .orderBy(asc(staffUsers.role), asc(staffUsers.login));
      return c.json({ items: rows }, 200);
    })
    .openapi(staffCreateDef, async (c) => {
      const body = c.req.valid("json");
      const user = await createStaffUser(c.var.deps.db, {
        coopId: c.var.staff!.coopId,
        actorUserId: c.var.staff!.id,
        ...body,
      });
      return c.json({ id: user.id }, 201);
    })
    .openapi(productPatchDef, async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const changes = {
        ...(body.name ? { nameZh: body.name.zh, nameEn: body.name.en } : {}),
        ...(body.description
          ? { descriptionZh: body.description.zh, descriptionEn: body.description.en }
          : {}),
        ...(body.priceFen !== undefined ? { priceFen: body.priceFen } : {}),
        ...(body.commissionBps !== undefined ? { commissionBps: body.commissionBps } : {}),
        ...(body.active !== undefined ? { active: body.active } : {}),
      };
      const db = c.var.deps.db;
      const updated = await db.transaction(async (tx) => {
        const rows = Object.keys(changes).length
          ? await tx.update(products).set(changes).where(eq(products.id, id)).returning({ id: products.id })
          : await tx.select({ id: products.id }).from(products).where(eq(products.id, id));
        if (rows.length) {
          await audit(tx, {
            actorUserId: c.var.staff!.id,
            requestId: c.var.requestId,
            action: "product.update",
            entityType: "product",
            entityId: id,
            data: body,
          });
        }
        return rows.length > 0;
      });
      if (!updated) throw new ApiError("NOT_FOUND", "There is no such product.");
      const [product] = await db.select().from(products).where(eq(products.id, id));
      return c.json(projectAdminProduct(product!), 200);
    });
}
