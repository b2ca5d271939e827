import type { Database } from "@coop/db";
import { coops, LOCATION_KINDS, locations, products, staffUsers } from "@coop/db/schema";
import { STAFF_ROLES } from "@coop/shared";
import { Created, LocalizedText, StaffUser, UpdateProduct } from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { asc, eq } from "drizzle-orm";
import { getProduct } from "../domain/catalog/list-products";
import { createStaffUser } from "../domain/staff/create-staff-user";
import { audit } from "../lib/audit";
import { ApiError } from "../lib/errors";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { requireStaff } from "../middleware/authenticate";
import { idempotent } from "../middleware/idempotency";

const security = [{ bearerAuth: [] }];

const LocationList = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(LOCATION_KINDS),
        code: z.string(),
        name: LocalizedText,
        village: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: "LocationList" });

const StaffList = z
  .object({ items: z.array(StaffUser.extend({ active: z.boolean() })) })
  .meta({ id: "StaffList" });

const CreateStaff = z
  .object({
    role: z.enum(STAFF_ROLES),
    login: z.string().min(1).max(64),
    password: z.string().min(1).max(200),
    displayName: z.string().trim().min(1).max(60).optional(),
    servicePointCode: z.string().trim().min(1).max(20).optional(),
  })
  .meta({ id: "CreateStaff" });

const CoopSettings = z
  .object({
    id: z.string(),
    code: z.string(),
    name: LocalizedText,
    defaultCommissionBps: z
      .number()
      .int()
      .meta({ description: "Commission on consigned sales when a product sets none" }),
  })
  .meta({ id: "CoopSettings" });

const coopGetDef = createRoute({
  method: "get",
  path: "/coop",
  tags: ["Co-op settings"],
  security,
  summary: "The co-op's settings, including the default commission",
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
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({ defaultCommissionBps: z.number().int().min(0).max(10_000) }),
        },
      },
    },
  },
  responses: { 200: jsonContent(CoopSettings, "Saved"), ...errorResponses(400, 401, 403) },
});

async function coopSettings(db: Database, coopId: string) {
  const [row] = await db.select().from(coops).where(eq(coops.id, coopId));
  return {
    id: row!.id,
    code: row!.code,
    name: { zh: row!.nameZh, en: row!.nameEn },
    defaultCommissionBps: row!.defaultCommissionBps,
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
  responses: { 200: { description: "Updated" }, ...errorResponses(400, 401, 403, 404) },
});

export function adminRoutes() {
  return createRouter()
    .openapi(coopGetDef, async (c) => c.json(await coopSettings(c.var.deps.db, c.var.staff!.coopId), 200))
    .openapi(coopPatchDef, async (c) => {
      const { defaultCommissionBps } = c.req.valid("json");
      const staff = c.var.staff!;
      await c.var.deps.db.transaction(async (tx) => {
        await tx.update(coops).set({ defaultCommissionBps }).where(eq(coops.id, staff.coopId));
        await audit(tx, {
          actorUserId: staff.id,
          requestId: c.var.requestId,
          action: "coop.commission",
          entityType: "coop",
          entityId: staff.coopId,
          data: { defaultCommissionBps },
        });
      });
      return c.json(await coopSettings(c.var.deps.db, staff.coopId), 200);
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
      const product = await getProduct(db, id);
      return c.json(product ?? { id, active: false }, 200);
    });
}
