import { STAFF_ROLES } from "@coop/shared";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { AdminFilters } from "../components/staff/AdminFilters";
import { BackLink, FieldError, FormAlert, FormKey } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { readFilters, setOnly } from "../lib/admin-filters";
import { ApiError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import type { StaffRole } from "../lib/domain";
import { pageMeta } from "../lib/meta";
import {
  apiProblem,
  type FieldProblem,
  formKey,
  formProblem,
  newFormKey,
  requireRole,
  staffFailure,
  text,
} from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

type Field = "role" | "login" | "password" | "displayName" | "servicePointCode";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const api = getApi(context, request);
  const fail = staffFailure(request);
  const filters = readFilters(request, { role: STAFF_ROLES });
  const [t, staff, points] = await Promise.all([
    getT(request, "staff"),
    api.searchStaff(token, setOnly(filters)).catch(fail),
    api.searchPlaces(token, { kind: "service_point" }).catch(fail),
  ]);
  return { title: t("adminStaff.title"), staff, points, filters, idempotencyKey: newFormKey() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const form = await request.formData();
  const typed = {
    role: text(form, "role", 20),
    login: text(form, "login", 64),
    displayName: text(form, "displayName", 60),
    servicePointCode: text(form, "servicePointCode", 20),
  };
  const password = typeof form.get("password") === "string" ? String(form.get("password")) : "";
  const fields: Partial<Record<Field, FieldProblem>> = {};
  const role = (STAFF_ROLES as readonly string[]).includes(typed.role) ? (typed.role as StaffRole) : null;
  if (!role) fields.role = "required";
  if (!/^[a-z0-9][a-z0-9._-]{2,63}$/.test(typed.login)) fields.login = typed.login ? "login" : "required";
  if (password.length < 8 || password.length > 200) fields.password = "password";
  if (role === "agent" && !typed.servicePointCode) fields.servicePointCode = "required";
  if (!role || Object.keys(fields).length > 0) return formProblem("checkFields", 400, fields, { typed });
  try {
    await getApi(context, request).createStaff(
      token,
      {
        role,
        login: typed.login,
        password,
        displayName: typed.displayName || undefined,
        servicePointCode: role === "agent" ? typed.servicePointCode : undefined,
      },
      formKey(form),
    );
  } catch (error) {
    if (error instanceof ApiError && (error.code === "ALREADY_EXISTS" || error.code === "CONFLICT")) {
      return formProblem("checkFields", 409, { login: "taken" }, { typed });
    }
    const problem = apiProblem<Field>(error, (path) =>
      path === "login" ||
      path === "password" ||
      path === "role" ||
      path === "displayName" ||
      path === "servicePointCode"
        ? path
        : null,
    );
    return formProblem(problem.data.problem, problem.init?.status ?? 400, problem.data.fields, { typed });
  }
  return redirect("/staff/admin/staff?created=1");
}

export default function AdminStaff() {
  const { staff, points, filters, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useStaffTranslation();
  const fields: Partial<Record<Field, FieldProblem>> = result?.fields ?? {};
  const typed = result && "typed" in result ? result.typed : null;
  const pointName = (id: string | null) => {
    const point = points.find((p) => p.id === id);
    return point ? localized(point.name, i18n.language) : null;
  };
  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{t("adminStaff.title")}</h1>
      {searchParams.get("created") ? (
        <p className="notice notice-info" role="status">
          {t("adminStaff.created")}
        </p>
      ) : null}
      <AdminFilters
        q={filters.q}
        searchLabel={t("adminStaff.searchLabel")}
        searchButton={t("villagers.searchButton")}
        selects={[
          {
            name: "role",
            label: t("adminStaff.role"),
            value: filters.role,
            options: [
              { value: "", label: t("adminStaff.roleAll") },
              ...STAFF_ROLES.map((role) => ({ value: role, label: t(`staff.roles.${role}`) })),
            ],
          },
          {
            name: "active",
            label: t("adminStaff.stateLabel"),
            value: filters.active,
            options: [
              { value: "", label: t("adminStaff.stateAll") },
              { value: "true", label: t("adminStaff.stateOn") },
              { value: "false", label: t("adminStaff.stateOff") },
            ],
          },
        ]}
      />
      {staff.length === 0 ? <p className="notice">{t("adminStaff.none")}</p> : null}
      <ul className="card-list">
        {staff.map((member) => (
          <li key={member.id} className={member.active ? undefined : "card-off"}>
            <Link to={`/staff/admin/staff/${encodeURIComponent(member.id)}`} className="card-link">
              <span className="card-title">{member.displayName}</span>
              <span>
                {t(`staff.roles.${member.role}`)}
                {pointName(member.servicePointId) ? ` · ${pointName(member.servicePointId)}` : ""}
              </span>
              <span className="muted">
                {t("adminStaff.loginIs", { login: member.login })}
                {member.active ? "" : ` · ${t("adminStaff.inactive")}`}
              </span>
            </Link>
          </li>
        ))}
      </ul>

      <h2>{t("adminStaff.add")}</h2>
      <FormAlert problem={result?.problem} />
      <Form method="post" className="form" autoComplete="off">
        <FormKey value={result?.idempotencyKey ?? idempotencyKey} />
        <div className="field">
          <label htmlFor="role" className="field-label">
            {t("adminStaff.role")}
          </label>
          <select id="role" name="role" required defaultValue={typed?.role ?? "agent"}>
            {STAFF_ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`staff.roles.${role}`)}
              </option>
            ))}
          </select>
          <FieldError id="role-error" problem={fields.role} />
        </div>
        <div className="field">
          <label htmlFor="servicePointCode" className="field-label">
            {t("adminStaff.servicePoint")}
          </label>
          <select id="servicePointCode" name="servicePointCode" defaultValue={typed?.servicePointCode ?? ""}>
            <option value="">{t("adminStaff.noPoint")}</option>
            {points.map((point) => (
              <option key={point.id} value={point.code}>
                {localized(point.name, i18n.language)}
              </option>
            ))}
          </select>
          <p className="field-hint">{t("adminStaff.servicePointHint")}</p>
          <FieldError id="servicePointCode-error" problem={fields.servicePointCode} />
        </div>
        <div className="field">
          <label htmlFor="login" className="field-label">
            {t("staff.login.loginLabel")}
          </label>
          <input
            id="login"
            name="login"
            type="text"
            required
            autoCapitalize="none"
            spellCheck={false}
            maxLength={64}
            defaultValue={typed?.login ?? ""}
            aria-describedby="login-hint login-error"
          />
          <p className="field-hint" id="login-hint">
            {t("adminStaff.loginHint")}
          </p>
          <FieldError id="login-error" problem={fields.login} />
        </div>
        <div className="field">
          <label htmlFor="password" className="field-label">
            {t("staff.login.passwordLabel")}
          </label>
          <input
            id="password"
            name="password"
            type="password"
            required
            autoComplete="new-password"
            minLength={8}
            maxLength={200}
          />
          <p className="field-hint">{t("adminStaff.passwordHint")}</p>
          <FieldError id="password-error" problem={fields.password} />
        </div>
        <div className="field">
          <label htmlFor="displayName" className="field-label">
            {t("adminStaff.displayName")}
          </label>
          <input
            id="displayName"
            name="displayName"
            type="text"
            maxLength={60}
            defaultValue={typed?.displayName ?? ""}
          />
        </div>
        <button
          type="submit"
          className="button button-primary button-block"
          disabled={navigation.state === "submitting"}
        >
          {t("adminStaff.create")}
        </button>
      </Form>
    </>
  );
}
