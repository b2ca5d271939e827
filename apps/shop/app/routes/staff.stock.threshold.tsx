import { maySetStockThreshold } from "@coop/shared";
import { SetThreshold } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Quantity } from "../components/Quantity";
import { BackLink, FieldError, FormAlert } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import type { ApiClient, StaffUser } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";
import { fromBaseQuantity, inputUnitsFor, toBaseQuantity } from "../lib/quantity";
import {
  apiProblem,
  type FieldProblem,
  formProblem,
  requireRole,
  staffFailure,
  text,
} from "../lib/staff.server";
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

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["agent", "warehouse", "admin"]);
  const api = getApi(context, request);
  const row = await findRow(api, user, token, request);
  const form = await request.formData();
  const typed = text(form, "threshold", 20);
  const inputUnit = inputUnitsFor(row.unit)[0] ?? row.unit;
  // Empty: no warning for this product here. "0" is a real level too (warn only when none is left).
  const threshold = typed === "" ? null : /^\s*0+\s*$/.test(typed) ? 0 : toBaseQuantity(typed, inputUnit);
  if (threshold === undefined || (typed !== "" && threshold === null)) {
    return formProblem("checkFields", 400, { threshold: "quantity" as const });
  }
  const body = SetThreshold.safeParse({ productId: row.productId, locationId: row.locationId, threshold });
  if (!body.success) return formProblem("checkFields", 400, { threshold: "quantity" as const });
  try {
    await api.setThreshold(token, body.data);
  } catch (error) {
    return apiProblem(error);
  }
  return redirect(`/staff/stock?${new URLSearchParams({ locationId: row.locationId })}`);
}

export default function ThresholdPage() {
  const { row } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useStaffTranslation();
  const inputUnit = inputUnitsFor(row.unit)[0] ?? row.unit;
  const fields: Partial<Record<"threshold", FieldProblem>> = result?.fields ?? {};
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
      <Form method="post" className="form">
        <div className="field">
          <label htmlFor="threshold" className="field-label">
            {t("threshold.label")}
          </label>
          <div className="quantity-input-row">
            <input
              id="threshold"
              name="threshold"
              type="text"
              inputMode={inputUnit === "jin" ? "decimal" : "numeric"}
              className="quantity-input"
              autoComplete="off"
              defaultValue={
                row.lowStockThreshold === null ? "" : fromBaseQuantity(row.lowStockThreshold, inputUnit)
              }
              aria-describedby="threshold-hint threshold-error"
            />
            <span className="quantity-input-unit">{t(`quantity.inputUnits.${inputUnit}`)}</span>
          </div>
          <p className="field-hint" id="threshold-hint">
            {t("threshold.hint")}
          </p>
          <FieldError id="threshold-error" problem={fields.threshold} />
        </div>
        <button
          type="submit"
          className="button button-primary button-block"
          disabled={navigation.state === "submitting"}
        >
          {t("staffCommon.save")}
        </button>
      </Form>
    </>
  );
}
