import { STAFF_ROLES } from "@coop/shared";
import { CreateStaff } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AdminFilters } from "../components/staff/AdminFilters";
import { BackLink, FormAlert } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { SelectField, StaffForm, SubmitButton, TextField, useStaffForm } from "../components/staff/StaffForm";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { readFilters, setOnly } from "../lib/admin-filters";
import { ApiError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";
import { formKey, newFormKey, requireRole, staffFailure } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm, staffReply } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

type Field = "role" | "login" | "password" | "displayName" | "servicePointCode";

// The contract's new account; an agent works at one service point, other roles at none.
const NewAccount = CreateStaff.transform((account) =>
  account.role === "agent" ? account : { ...account, servicePointCode: undefined },
).refine((account) => account.role !== "agent" || account.servicePointCode, { path: ["servicePointCode"] });

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
  const submission = parseStaffForm(form, NewAccount, {
    login: "login",
    password: "password",
    servicePointCode: "required",
  });
  if (submission.status !== "success") return staffReply(submission);
  try {
    await getApi(context, request).createStaff(token, submission.value, formKey(form));
  } catch (error) {
    if (error instanceof ApiError && (error.code === "ALREADY_EXISTS" || error.code === "CONFLICT")) {
      return staffReply(submission, { problem: "checkFields", status: 409, fields: { login: "taken" } });
    }
    return staffReply(
      submission,
      apiErrorToReply(error, ["login", "password", "role", "displayName", "servicePointCode"]),
    );
  }
  return redirect("/staff/admin/staff?created=1");
}

export default function AdminStaff() {
  const { staff, points, filters, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useStaffTranslation();
  const [form, fields] = useStaffForm<Field>(result, { defaultValue: { role: "agent" } });
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
      <StaffForm form={form} idempotencyKey={result?.idempotencyKey ?? idempotencyKey} autoComplete="off">
        <SelectField
          field={fields.role}
          label={t("adminStaff.role")}
          required
          options={STAFF_ROLES.map((role) => ({ value: role, label: t(`staff.roles.${role}`) }))}
        />
        <SelectField
          field={fields.servicePointCode}
          label={t("adminStaff.servicePoint")}
          hint={t("adminStaff.servicePointHint")}
          options={[
            { value: "", label: t("adminStaff.noPoint") },
            ...points.map((point) => ({ value: point.code, label: localized(point.name, i18n.language) })),
          ]}
        />
        <TextField
          field={fields.login}
          label={t("staff.login.loginLabel")}
          hint={t("adminStaff.loginHint")}
          required
          autoCapitalize="none"
          spellCheck={false}
          maxLength={64}
        />
        <TextField
          field={fields.password}
          label={t("staff.login.passwordLabel")}
          hint={t("adminStaff.passwordHint")}
          type="password"
          required
          autoComplete="new-password"
          minLength={8}
          maxLength={200}
        />
        <TextField field={fields.displayName} label={t("adminStaff.displayName")} maxLength={60} />
        <SubmitButton>{t("adminStaff.create")}</SubmitButton>
      </StaffForm>
    </>
  );
}
