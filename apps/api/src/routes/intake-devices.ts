import { IntakeDevice, IntakeDeviceList, RegisterIntakeDevice } from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import { findIntakeDevice, listIntakeDevices } from "../domain/intake-devices/intake-devices";
import { registerIntakeDevice } from "../domain/intake-devices/register-intake-device";
import { retireIntakeDevice } from "../domain/intake-devices/retire-intake-device";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { visibleServicePoints } from "../lib/scope";
import { assertServicePointAccess, requireStaff } from "../middleware/authenticate";

const tags = ["Intake devices (offline intake numbering)"];
const security = [{ bearerAuth: [] }];

const registerRoute = createRoute({
  method: "post",
  path: "/intake-devices",
  tags,
  security,
  summary: "Register a phone for offline intake at a service point and give it its number segment",
  description:
    "The point's next free segment (A, B, … Z, AA, AB …) is the device's for ever: it numbers its intakes itself, offline, as <point>-<YYYYMMDD>-<segment><001–999> (HS01-20261202-B007). Send the device's own id as the Idempotency-Key: the device gets that id, and the same key again, any time later, answers the same device (201) without a new segment. A key already registered at another point is refused (409 IDEMPOTENCY_KEY_REUSED).",
  middleware: [requireStaff("agent", "admin")] as const,
  request: {
    headers: z.object({
      "idempotency-key": z
        .string()
        .regex(/^[A-Za-z0-9_.:-]{8,200}$/, "8–200 letters, digits or _ . : -")
        .optional()
        .meta({
          description:
            "The device's own client-made id (8–200 letters, digits or _ . : -), e.g. a dev_… TypeID",
        }),
    }),
    body: { required: true, content: { "application/json": { schema: RegisterIntakeDevice } } },
  },
  responses: {
    201: jsonContent(IntakeDevice, "Registered (or registered before with this key)"),
    ...errorResponses(400, 401, 403, 409),
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/intake-devices",
  tags,
  security,
  summary: "The intake devices of a service point (an agent: their own point), retired ones included",
  middleware: [requireStaff("agent", "admin")] as const,
  request: { query: z.object({ servicePointId: z.string().max(64).optional() }) },
  responses: { 200: jsonContent(IntakeDeviceList, "Devices"), ...errorResponses(400, 401, 403) },
});

const retireRoute = createRoute({
  method: "post",
  path: "/intake-devices/{id}/retire",
  tags,
  security,
  summary: "Retire a lost or replaced phone: its later intakes are refused, its segment is never reused",
  description:
    "Intakes it numbers after this are refused with 409 DEVICE_NOT_VALID; its lots keep their numbers. Retiring a retired device answers it unchanged.",
  middleware: [requireStaff("agent", "admin")] as const,
  request: { params: z.object({ id: z.string().max(200) }) },
  responses: { 200: jsonContent(IntakeDevice, "The device, retired"), ...errorResponses(401, 403, 404) },
});

export function intakeDeviceRoutes() {
  return createRouter()
    .openapi(registerRoute, async (c) => {
      const data = c.req.valid("json");
      const staff = c.var.staff!;
      assertServicePointAccess(staff, data.servicePointId);
      // The key is kept as the device's id, so a replay needs no idempotency record.
      const deviceId = c.req.valid("header")["idempotency-key"];
      const device = await registerIntakeDevice(c.var.deps.db, {
        data,
        coopId: staff.coopId,
        actorUserId: staff.id,
        requestId: c.var.requestId,
        ...(deviceId ? { deviceId } : {}),
      });
      return c.json(device, 201);
    })
    .openapi(listRoute, async (c) => {
      const staff = c.var.staff!;
      const scope = visibleServicePoints(staff, c.req.valid("query").servicePointId);
      return c.json(
        await listIntakeDevices(c.var.deps.db, { coopId: staff.coopId, servicePointIds: scope }),
        200,
      );
    })
    .openapi(retireRoute, async (c) => {
      const staff = c.var.staff!;
      const device = await findIntakeDevice(c.var.deps.db, c.req.valid("param").id, staff.coopId);
      assertServicePointAccess(staff, device.device.servicePointId);
      const retired = await retireIntakeDevice(c.var.deps.db, device, {
        actorUserId: staff.id,
        requestId: c.var.requestId,
      });
      return c.json(retired, 200);
    });
}
