import { type AppLoadContext, data, redirect } from "@remix-run/node";
import type { CommonCatalog as Catalog } from "../locales/common.zh-CN";
import { ApiError, ApiUnavailableError, type StaffUser } from "./api.server";
import type { StaffRole } from "./domain";
import { newFormKey } from "./forms.server";
import { requireStaff } from "./session.server";
import { apiErrorToReply } from "./staff-form.server";

export { formKey, newFormKey, text } from "./forms.server";

/** Where a staff member may go: the session's user, checked against the roles a screen is for. */
export async function requireRole(
  request: Request,
  context: AppLoadContext,
  roles: readonly StaffRole[],
): Promise<{ user: StaffUser; token: string }> {
  const staff = await requireStaff(request, context);
  if (!roles.includes(staff.user.role)) throw data(null, { status: 403 });
  return staff;
}

/** An agent's own service point; an agent without one cannot work any point's screens. */
export function agentPoint(user: StaffUser): string {
  if (user.role !== "agent" || !user.servicePointId) throw data(null, { status: 403 });
  return user.servicePointId;
}

/**
 * A failed API call in a staff loader as the page to show: 404 and 403 stay what they are, an expired
 * token goes back to the login page, an unreachable API is "try again in a moment".
 */
export function staffFailure(request: Request) {
  return (error: unknown): never => {
    if (error instanceof ApiUnavailableError) throw data(null, { status: 503 });
    if (error instanceof ApiError) {
      if (error.status === 401) {
        const url = new URL(request.url);
        throw redirect(`/staff/login?${new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` })}`);
      }
      if (error.status === 403 || error.status === 404) throw data(null, { status: error.status });
      if (error.code === "VALIDATION_FAILED") throw data(null, { status: 404 });
    }
    throw error;
  };
}

/** Problems a staff form can show, by key in the catalogs (staffForm.problems.*). */
export type FormProblem = keyof Catalog["staffForm"]["problems"];

/** A form's answer when something is wrong: what to say, which fields, and a new key for the retry. */
export function formProblem<F extends string, E extends object = Record<never, never>>(
  problem: FormProblem,
  status: number,
  fields: Partial<Record<F, FieldProblem>> = {},
  extra?: E,
) {
  // A new key: the API remembers the failed answer under the old one, and a corrected form is a new request.
  const body = { ok: false as const, problem, fields, idempotencyKey: newFormKey() };
  return data({ ...body, ...(extra as E) }, { status });
}

/** What is wrong with one field, by key in the catalogs (staffForm.fields.*). */
export type FieldProblem = keyof Catalog["staffForm"]["fields"];

/**
 * The usual answer to an API error in an action, as `formProblem`: validation problems by field (mapped
 * with `fieldOf`), an unreachable API, a refused role; anything else is a bug and is thrown. Forms parsed
 * with Conform answer with `staffReply(submission, apiErrorToReply(error, fieldOf))` instead.
 */
export function apiProblem<F extends string>(
  error: unknown,
  fieldOf: (path: string) => F | null = () => null,
) {
  const { problem, status, fields } = apiErrorToReply(error, fieldOf);
  return formProblem(problem, status, fields as Partial<Record<string, FieldProblem>>);
}
