import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BackLink, FieldError, FormAlert } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { bpsToPercent, percentToBps } from "../lib/format";
import { pageMeta } from "../lib/meta";
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

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const [t, coop] = await Promise.all([
    getT(request, "staff"),
    getApi(context, request).getCoop(token).catch(staffFailure(request)),
  ]);
  return { title: t("commission.title"), percent: bpsToPercent(coop.defaultCommissionBps) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const form = await request.formData();
  const bps = percentToBps(text(form, "percent", 10));
  if (bps === null) return formProblem("checkFields", 400, { percent: "percent" as FieldProblem });
  try {
    const coop = await getApi(context, request).updateCoop(token, { defaultCommissionBps: bps });
    return data({
      ok: true as const,
      problem: null,
      fields: {},
      saved: bpsToPercent(coop.defaultCommissionBps),
    });
  } catch (error) {
    return apiProblem<"percent">(error, (path) => (path === "defaultCommissionBps" ? "percent" : null));
  }
}

/** The co-op's usual commission on consigned sales; a product may set its own. */
export default function CommissionRules() {
  const { percent } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useStaffTranslation();
  const fields: Partial<Record<"percent", FieldProblem>> = result?.fields ?? {};
  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{t("commission.title")}</h1>
      <p className="balance">
        <span>{t("commission.current")}</span> <span>{percent}%</span>
      </p>
      <p className="lead">{t("commission.explain")}</p>
      <FormAlert problem={result?.problem} />
      {result?.ok ? (
        <p className="notice notice-info" role="status">
          {t("staffCommon.saved")}
        </p>
      ) : null}
      <Form method="post" className="form">
        <div className="field">
          <label htmlFor="percent" className="field-label">
            {t("commission.label")}
          </label>
          <div className="quantity-input-row">
            <input
              id="percent"
              name="percent"
              type="text"
              inputMode="decimal"
              className="quantity-input"
              required
              autoComplete="off"
              defaultValue={percent}
              aria-describedby="percent-error"
            />
            <span className="quantity-input-unit">%</span>
          </div>
          <FieldError id="percent-error" problem={fields.percent} />
        </div>
        <button
          type="submit"
          className="button button-primary button-block"
          disabled={navigation.state === "submitting"}
        >
          {t("staffCommon.save")}
        </button>
      </Form>
      <p>
        <Link to="/staff/admin/products" className="button button-quiet button-block">
          {t("commission.perProduct")}
        </Link>
      </p>
    </>
  );
}
