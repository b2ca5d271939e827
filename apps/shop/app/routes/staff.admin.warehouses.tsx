import { CreateWarehouse, UpdateWarehouse } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { BackLink, FormAlert } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { StaffForm, SubmitButton, TextField, useStaffForm } from "../components/staff/StaffForm";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { ApiError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";
import { formKey, newFormKey, requireRole, staffFailure, text } from "../lib/staff.server";
import {
  apiErrorToReply,
  apiFields,
  capitals,
  clearable,
  nameBoxes,
  parseStaffForm,
  staffReply,
  withName,
} from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

const FIELDS = ["code", "nameZh", "nameEn", "address", "phone"] as const;
type Field = (typeof FIELDS)[number];
const OPTIONAL: readonly Field[] = ["address", "phone"];

// The contract's warehouse, its name typed in two boxes; a new one's code is written in capitals.
const NewWarehouse = z
  .object({
    code: capitals(CreateWarehouse.shape.code),
    ...nameBoxes(CreateWarehouse.shape.name),
    address: CreateWarehouse.shape.address,
    phone: CreateWarehouse.shape.phone,
  })
  .transform(withName);
const EditedWarehouse = z
  .object({
    ...nameBoxes(CreateWarehouse.shape.name),
    address: clearable(UpdateWarehouse.shape.address),
    phone: clearable(UpdateWarehouse.shape.phone),
  })
  .transform(withName);
const API_FIELDS = apiFields(FIELDS);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const [t, warehouses] = await Promise.all([
    getT(request, "staff"),
    getApi(context, request).listWarehouses(token).catch(staffFailure(request)),
  ]);
  return {
    title: t("adminWarehouses.title"),
    warehouse: warehouses[0] ?? null,
    idempotencyKey: newFormKey(),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const api = getApi(context, request);
  const form = await request.formData();
  const editId = text(form, "warehouseId", 64);
  if (editId) {
    const submission = parseStaffForm(form, EditedWarehouse);
    if (submission.status !== "success") return staffReply(submission);
    try {
      await api.updateWarehouse(token, editId, submission.value);
    } catch (error) {
      return staffReply(submission, apiErrorToReply(error, API_FIELDS));
    }
    return data({ ok: true as const, problem: null, idempotencyKey: newFormKey() });
  }
  const submission = parseStaffForm(form, NewWarehouse, { code: "pointCode" });
  if (submission.status !== "success") return staffReply(submission);
  try {
    await api.createWarehouse(token, submission.value, formKey(form));
  } catch (error) {
    if (error instanceof ApiError && error.code === "ALREADY_EXISTS") {
      // Either the code is taken by another place, or the co-op has its warehouse already.
      if (error.fields.some((f) => f.path === "code"))
        return staffReply(submission, { problem: "checkFields", status: 409, fields: { code: "taken" } });
      return staffReply(submission, { problem: "checkFields", status: 409 }, { onlyOne: true });
    }
    return staffReply(submission, apiErrorToReply(error, API_FIELDS));
  }
  return redirect("/staff/admin/warehouses?created=1");
}

export default function AdminWarehouses() {
  const { warehouse, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useStaffTranslation();
  const onlyOne = Boolean(result && "onlyOne" in result && result.onlyOne);
  const current: Record<Field, string> = {
    code: warehouse?.code ?? "",
    nameZh: warehouse?.name.zh ?? "",
    nameEn: warehouse?.name.en ?? "",
    address: warehouse?.address ?? "",
    phone: warehouse?.phone ?? "",
  };
  const [form, fields] = useStaffForm<Field>(result, { defaultValue: current });
  const shown = warehouse ? FIELDS.filter((f) => f !== "code") : FIELDS;
  return (
    <>
      <BackLink to="/staff/admin/service-points">{t("adminPoints.title")}</BackLink>
      <h1>{warehouse ? localized(warehouse.name, i18n.language) : t("adminWarehouses.title")}</h1>
      <p className="lead">{t("adminWarehouses.intro")}</p>
      {warehouse ? (
        <p className="muted">{warehouse.code}</p>
      ) : (
        <p className="notice">{t("adminWarehouses.none")}</p>
      )}
      {searchParams.get("created") ? (
        <p className="notice notice-info" role="status">
          {t("adminWarehouses.created")}
        </p>
      ) : null}
      {result?.ok ? (
        <p className="notice notice-info" role="status">
          {t("staffCommon.saved")}
        </p>
      ) : null}
      <FormAlert problem={result?.problem} />
      {onlyOne ? (
        <p className="alert" role="alert">
          {t("adminWarehouses.onlyOne")}
        </p>
      ) : null}
      {warehouse ? null : <h2>{t("adminWarehouses.create")}</h2>}
      <StaffForm form={form} idempotencyKey={result?.idempotencyKey || idempotencyKey}>
        {warehouse ? <input type="hidden" name="warehouseId" value={warehouse.id} /> : null}
        {shown.map((field) => (
          <TextField
            key={field}
            field={fields[field]}
            id={`wh-${field}`}
            label={t(`adminWarehouses.fields.${field}`)}
            type={field === "phone" ? "tel" : "text"}
            required={!OPTIONAL.includes(field)}
            maxLength={field === "address" ? 200 : 80}
            autoComplete="off"
            placeholder={field === "code" ? "WH-HY" : undefined}
          />
        ))}
        <SubmitButton>{warehouse ? t("staffCommon.save") : t("adminWarehouses.createButton")}</SubmitButton>
      </StaffForm>
    </>
  );
}
