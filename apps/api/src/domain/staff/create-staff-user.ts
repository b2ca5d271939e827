import { type Executor, hashPassword, MIN_PASSWORD_LENGTH } from "@coop/db";
import { auditLog, locations, STAFF_ROLES, type StaffRole, staffUsers } from "@coop/db/schema";
import { newId } from "@coop/shared";
import { STAFF_LOGIN_PATTERN } from "@coop/shared/contract";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { ApiError } from "../../lib/errors";

export const CreateStaffUserInput = z
  .object({
    coopId: z.string().min(1),
    role: z.enum(STAFF_ROLES),
    login: z
      .string()
      .trim()
      .toLowerCase()
      .regex(STAFF_LOGIN_PATTERN, "3–64 letters, digits, dots, dashes or underscores"),
    password: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(200),
    displayName: z.string().trim().min(1).max(60).optional(),
    servicePointCode: z.string().trim().min(1).optional(),
    actorUserId: z.string().optional(),
    /** An admin sets the first password for someone else: they must change it (decision 0034). */
    mustChangePassword: z.boolean().optional(),
  })
  .refine((v) => (v.role === "agent") === Boolean(v.servicePointCode), {
    path: ["servicePointCode"],
    message: "an agent needs exactly one service point; other roles have none",
  });

export type CreateStaffUserInput = z.input<typeof CreateStaffUserInput>;

/** Creates a staff account. Agents are tied to one service point, which must exist and be a service point. */
export async function createStaffUser(db: Executor, raw: CreateStaffUserInput) {
  const parsed = CreateStaffUserInput.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    throw new ApiError("VALIDATION_FAILED", fields.map((f) => `${f.path}: ${f.message}`).join("; "), {
      fields,
    });
  }
  const input = parsed.data;
  let servicePointId: string | null = null;
  if (input.servicePointCode) {
    const [point] = await db
      .select({ id: locations.id, kind: locations.kind })
      .from(locations)
      .where(eq(locations.code, input.servicePointCode))
      .limit(1);
    if (point?.kind !== "service_point") {
      throw new ApiError("NOT_FOUND", `There is no service point with code ${input.servicePointCode}.`);
    }
    servicePointId = point.id;
  }
  const passwordHash = await hashPassword(input.password);
  const id = newId("user");
  const role: StaffRole = input.role;
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(staffUsers)
      .values({
        id,
        coopId: input.coopId,
        login: input.login,
        passwordHash,
        displayName: input.displayName ?? input.login,
        role,
        servicePointId,
        mustChangePassword: input.mustChangePassword ?? false,
      })
      .onConflictDoNothing({ target: staffUsers.login })
      .returning({ id: staffUsers.id });
    if (inserted.length === 0)
      throw new ApiError("ALREADY_EXISTS", `The login "${input.login}" is already taken.`);
    await tx.insert(auditLog).values({
      id: newId("audit"),
      actorUserId: input.actorUserId ?? null,
      action: "staff_user.create",
      entityType: "staff_user",
      entityId: id,
      data: {
        login: input.login,
        role,
        servicePointId,
        mustChangePassword: input.mustChangePassword ?? false,
      },
    });
    return { id, login: input.login, role, servicePointId };
  });
}
