import { CreateServicePoint } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { AdminFilters } from "../components/staff/AdminFilters";
import { BackLink, FormAlert } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { StaffForm, SubmitButton, TextField, useStaffForm } from "../components/staff/StaffForm";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { readFilters, setOnly } from "../lib/admin-filters";
import { ApiError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";
import { formKey, newFormKey, requireRole, staffFailure } from "../lib/staff.server";
import {
  apiErrorToReply,
  apiFields,
  capitals,
  nameBoxes,
  parseStaffForm,
  staffReply,
  withName,
} from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

const FIELDS = ["code", "nameZh", "nameEn", "village", "address", "phone", "openingHours"] as const;
const OPTIONAL: readonly Field[] = ["address", "phone", "openingHours"];
type Field = (typeof FIELDS)[number];

// The contract's new service point, its name typed in two boxes and its code written in capitals.
const NewPoint = z
  .object({
    code: capitals(CreateServicePoint.shape.code),
    ...nameBoxes(CreateServicePoint.shape.name),
    village: CreateServicePoint.shape.village,
    address: CreateServicePoint.shape.address,
    phone: CreateServicePoint.shape.phone,
    openingHours: CreateServicePoint.shape.openingHours,
  })
  .transform(withName);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const filters = readFilters(request, {});
  const [t, points] = await Promise.all([
    getT(request, "staff"),
    getApi(context, request)
      .searchPlaces(token, { ...setOnly(filters), kind: "service_point" })
      .catch(staffFailure(request)),
  ]);
  return { title: t("adminPoints.title"), points, filters, idempotencyKey: newFormKey() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const form = await request.formData();
  const submission = parseStaffForm(form, NewPoint, { code: "pointCode" });
  if (submission.status !== "success") return staffReply(submission);
  try {
    await getApi(context, request).createServicePoint(token, submission.value, formKey(form));
  } catch (error) {
    if (error instanceof ApiError && (error.code === "ALREADY_EXISTS" || error.code === "CONFLICT")) {
      return staffReply(submission, { problem: "checkFields", status: 409, fields: { code: "taken" } });
    }
    return staffReply(submission, apiErrorToReply(error, apiFields(FIELDS)));
  }
  return redirect("/staff/admin/service-points?created=1");
}

export default function AdminServicePoints() {
  const { points, filters, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useStaffTranslation();
  const [form, fields] = useStaffForm<Field>(result);
  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{t("adminPoints.title")}</h1>
      {searchParams.get("created") ? (
        <p className="notice notice-info" role="status">
          {t("adminPoints.created")}
        </p>
      ) : null}
      <p>
        <Link to="/staff/admin/warehouses" className="button button-secondary button-block">
          {t("adminPoints.warehouseLink")}
        </Link>
      </p>
      <AdminFilters
        q={filters.q}
        searchLabel={t("adminPoints.searchLabel")}
        searchButton={t("villagers.searchButton")}
        selects={[
          {
            name: "active",
            label: t("adminPoints.stateLabel"),
            value: filters.active,
            options: [
              { value: "", label: t("adminPoints.stateAll") },
              { value: "true", label: t("adminPoints.stateOn") },
              { value: "false", label: t("adminPoints.stateOff") },
            ],
          },
        ]}
      />
      {points.length === 0 ? <p className="notice">{t("adminPoints.none")}</p> : null}
      <ul className="card-list">
        {points.map((point) => (
          <li key={point.id} className={point.active ? undefined : "card-off"}>
            <Link to={`/staff/admin/service-points/${encodeURIComponent(point.id)}`} className="card-link">
              <span className="card-title">{localized(point.name, i18n.language)}</span>
              <span className="muted">
                {point.code} · {point.village}
                {point.openingHours ? ` · ${point.openingHours}` : ""}
              </span>
              {point.active ? null : (
                <span>
                  <span className="badge badge-warn">{t("adminPoints.closed")}</span>
                </span>
              )}
            </Link>
          </li>
        ))}
      </ul>

      <h2>{t("adminPoints.add")}</h2>
      <FormAlert problem={result?.problem} />
      <StaffForm form={form} idempotencyKey={result?.idempotencyKey ?? idempotencyKey}>
        {FIELDS.map((field) => (
          <TextField
            key={field}
            field={fields[field]}
            id={`sp-${field}`}
            label={t(`adminPoints.fields.${field}`)}
            hint={field === "openingHours" ? t("adminPoints.openingHoursHint") : undefined}
            type={field === "phone" ? "tel" : "text"}
            required={!OPTIONAL.includes(field)}
            autoComplete="off"
            placeholder={field === "code" ? "SP-HS07" : undefined}
            maxLength={field === "address" ? 200 : field === "openingHours" ? 100 : 80}
          />
        ))}
        <SubmitButton>{t("adminPoints.create")}</SubmitButton>
      </StaffForm>
    </>
  );
}
