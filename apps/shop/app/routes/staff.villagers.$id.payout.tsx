import { PAYOUT_METHODS, parseYuan } from "@coop/shared";
import { CreatePayout } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Money } from "../components/Money";
import { BackLink, FieldError, FormAlert, FormKey } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { getT } from "../i18next.server";
import { ApiError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
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

const METHODS = PAYOUT_METHODS;
type Method = (typeof METHODS)[number];
type Field = "amount" | "method" | "note";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["agent", "admin"]);
  const [t, villager] = await Promise.all([
    getT(request, "staff"),
    getApi(context, request)
      .getConsignor(token, params.id ?? "")
      .catch(staffFailure(request)),
  ]);
  return {
    title: t("payout.title"),
    villager: { id: villager.id, name: villager.name, balanceFen: villager.balanceFen },
    idempotencyKey: newFormKey(),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["agent", "admin"]);
  const api = getApi(context, request);
  const form = await request.formData();
  const villager = await api.getConsignor(token, params.id ?? "").catch(staffFailure(request));
  const typed = {
    amount: text(form, "amount", 20),
    method: text(form, "method", 10),
    note: text(form, "note", 200),
  };
  const amountFen = parseYuan(typed.amount);
  const method = (METHODS as readonly string[]).includes(typed.method) ? (typed.method as Method) : null;

  const fields: Partial<Record<Field, FieldProblem>> = {};
  if (amountFen === null || amountFen <= 0) fields.amount = typed.amount ? "money" : "required";
  else if (amountFen > villager.balanceFen) fields.amount = "overBalance";
  if (!method) fields.method = "required";
  if (amountFen === null || amountFen <= 0 || !method || fields.amount) {
    return formProblem("checkFields", 400, fields, { typed, step: "edit" as const });
  }

  const key = formKey(form);
  // First press: show what is about to happen, in big letters, before any money moves.
  if (form.get("intent") !== "confirm") {
    return data({
      ok: true as const,
      problem: null,
      fields,
      idempotencyKey: key,
      typed,
      step: "confirm" as const,
      amountFen,
      method,
    });
  }

  const body = CreatePayout.safeParse({
    consignorId: villager.id,
    amountFen,
    method,
    note: typed.note || undefined,
  });
  if (!body.success) return formProblem("checkFields", 400, fields, { typed, step: "edit" as const });
  try {
    const payout = await api.createPayout(token, body.data, key);
    return redirect(`/staff/payouts/${encodeURIComponent(payout.id)}`);
  } catch (error) {
    if (error instanceof ApiError && error.code === "INSUFFICIENT_BALANCE") {
      return formProblem("checkFields", 409, { amount: "overBalance" }, { typed, step: "edit" as const });
    }
    const problem = apiProblem<Field>(error, (path) =>
      path === "amountFen" ? "amount" : path === "method" ? "method" : null,
    );
    return formProblem(problem.data.problem, problem.init?.status ?? 400, problem.data.fields, {
      typed,
      step: "edit" as const,
    });
  }
}

export default function PayoutPage() {
  const { villager, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useStaffTranslation();
  const base = `/staff/villagers/${encodeURIComponent(villager.id)}`;
  const key = result?.idempotencyKey ?? idempotencyKey;
  const fields: Partial<Record<Field, FieldProblem>> = result?.fields ?? {};
  const typed = result?.typed;
  const submitting = navigation.state === "submitting";

  if (result?.step === "confirm" && "amountFen" in result) {
    return (
      <>
        <h1>{t("payout.confirmTitle")}</h1>
        <div className="confirm-box" role="status">
          <p>{t("payout.confirmTo", { name: villager.name })}</p>
          <p className="confirm-amount">
            <Money fen={result.amountFen} />
          </p>
          <p>{t(`payout.methods.${result.method}`)}</p>
          {typed?.note ? <p className="muted">{typed.note}</p> : null}
        </div>
        <p className="lead">
          {t(result.method === "cash" ? "payout.confirmCash" : "payout.confirmTransfer")}
        </p>
        <Form method="post">
          <FormKey value={key} />
          <input type="hidden" name="amount" value={typed?.amount ?? ""} />
          <input type="hidden" name="method" value={result.method} />
          <input type="hidden" name="note" value={typed?.note ?? ""} />
          <button
            type="submit"
            name="intent"
            value="confirm"
            className="button button-primary button-block button-big"
            disabled={submitting}
          >
            {submitting ? t("staffCommon.saving") : t("payout.confirm")}
          </button>
        </Form>
        <p>
          <Link to="." className="button button-quiet button-block">
            {t("payout.change")}
          </Link>
        </p>
      </>
    );
  }

  return (
    <>
      <BackLink to={base}>{villager.name}</BackLink>
      <h1>{t("payout.title")}</h1>
      <p className="balance">
        <span>{t("payout.balanceOf", { name: villager.name })}</span> <Money fen={villager.balanceFen} />
      </p>
      <FormAlert problem={result?.problem} id="payout-problem" />
      {villager.balanceFen <= 0 ? (
        <p className="notice">{t("payout.nothingToPay")}</p>
      ) : (
        <Form
          method="post"
          className="form"
          aria-describedby={result?.problem ? "payout-problem" : undefined}
        >
          <FormKey value={key} />
          <div className="field">
            <label htmlFor="amount" className="field-label">
              {t("payout.amount")}
            </label>
            <div className="quantity-input-row">
              <span className="quantity-input-unit" aria-hidden="true">
                ¥
              </span>
              <input
                id="amount"
                name="amount"
                type="text"
                inputMode="decimal"
                pattern="[0-9]+([.][0-9]{1,2})?"
                className="quantity-input"
                required
                autoComplete="off"
                defaultValue={typed?.amount ?? ""}
                aria-invalid={fields.amount ? true : undefined}
                aria-describedby="amount-hint amount-error"
              />
              <span className="quantity-input-unit" aria-hidden="true">
                {t("payout.yuan")}
              </span>
            </div>
            <p className="field-hint" id="amount-hint">
              {t("payout.amountHint")}
            </p>
            <FieldError id="amount-error" problem={fields.amount} />
          </div>
          <fieldset className="field">
            <legend className="field-label">{t("payout.method")}</legend>
            <div className="segmented">
              {METHODS.map((method) => (
                <label key={method} className="segment">
                  <input
                    type="radio"
                    name="method"
                    value={method}
                    required
                    defaultChecked={(typed?.method ?? "cash") === method}
                  />
                  <span>{t(`payout.methods.${method}`)}</span>
                </label>
              ))}
            </div>
            <FieldError id="method-error" problem={fields.method} />
          </fieldset>
          <div className="field">
            <label htmlFor="note" className="field-label">
              {t("payout.note")}
            </label>
            <input id="note" name="note" type="text" maxLength={200} defaultValue={typed?.note ?? ""} />
          </div>
          <button
            type="submit"
            name="intent"
            value="review"
            className="button button-primary button-block button-big"
          >
            {t("payout.next")}
          </button>
        </Form>
      )}
    </>
  );
}
