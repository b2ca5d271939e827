import { maySetStockThreshold } from "@coop/shared";
import { SetThreshold } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Quantity } from "../components/Quantity";
import { BackLink, FormAlert } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { StaffForm, SubmitButton, TextField, useStaffForm } from "../components/staff/StaffForm";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import type { ApiClient, StaffUser } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { quantityAsBase } from "../lib/form-quantities";
import { pageMeta } from "../lib/meta";
import { fromBaseQuantity, inputUnitsFor } from "../lib/quantity";
import { requireRole, staffFailure } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm, staffReply } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

async function findRow(api: ApiClient, user: StaffUser, token: string, request: Request) {
  const url = new URL(request.url);
  const productId = url.searchParams.get("productId") ?? "";
  const locationId = url.searchParams.get("locationId") ?? "";
  // The API's own rule: an agent at their own point, warehouse staff and admins anywhere.
  if (!maySetStockThreshold(user, locationId)) throw data(null, { status: 403 });
  const levels = await api.stockLevels(token, { locationId }).catch(staffFailure(request));
  const row = levels.items.find((item) => item.productId === productId && item.locationId === locationId);
  if (!row) throw data(null, { status: 404 });
  return row;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["agent", "warehouse", "admin"]);
  const [t, row] = await Promise.all([
    getT(request, "staff"),
    findRow(getApi(context, request), user, token, request),
  ]);
  return { title: t("threshold.title"), row };
}

/** The level typed in the product's first input unit; empty is "no warning here", "0" warns when none is left. */
function thresholdForm(row: { unit: Parameters<typeof inputUnitsFor>[0] }) {
  const inputUnit = inputUnitsFor(row.unit)[0] ?? row.unit;
  const threshold = SetThreshold.shape.threshold;
  return z.object({
    threshold: quantityAsBase(inputUnit, threshold.unwrap(), { zero: true })
      .optional()
      .transform((value) => value ?? null),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["agent", "warehouse", "admin"]);
  const api = getApi(context, request);
  const row = await findRow(api, user, token, request);
  const submission = parseStaffForm(await request.formData(), thresholdForm(row), { threshold: "quantity" });
  if (submission.status !== "success") return staffReply(submission);
  try {
    await api.setThreshold(token, {
      productId: row.productId,
      locationId: row.locationId,
      ...submission.value,
    });
  } catch (error) {
    return staffReply(submission, apiErrorToReply(error));
  }
  return redirect(`/staff/stock?${new URLSearchParams({ locationId: row.locationId })}`);
}

export default function ThresholdPage() {
  const { row } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useStaffTranslation();
  const inputUnit = inputUnitsFor(row.unit)[0] ?? row.unit;
  const [form, fields] = useStaffForm(result, {
    defaultValue: {
      threshold: row.lowStockThreshold === null ? "" : fromBaseQuantity(row.lowStockThreshold, inputUnit),
    },
  });
  return (
    <>
      <BackLink to={`/staff/stock?${new URLSearchParams({ locationId: row.locationId })}`}>
        {t("stockPage.title")}
      </BackLink>
      <h1>{t("threshold.title")}</h1>
      <p className="lead">{localized(row.productName, i18n.language)}</p>
      <p>
        {t("stockPage.onHand")} <Quantity quantity={row.onHand} unit={row.unit} />
      </p>
      <FormAlert problem={result?.problem} />
      <StaffForm form={form}>
        <TextField
          field={fields.threshold}
          label={t("threshold.label")}
          hint={t("threshold.hint")}
          unit={t(`quantity.inputUnits.${inputUnit}`)}
          inputMode={inputUnit === "jin" ? "decimal" : "numeric"}
          autoComplete="off"
        />
        <SubmitButton>{t("staffCommon.save")}</SubmitButton>
      </StaffForm>
    </>
  );
}
