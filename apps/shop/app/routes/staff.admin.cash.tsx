import { parseYuan } from "@coop/shared";
import { ConfirmCashHandIn } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Money } from "../components/Money";
import { BackLink, FieldError, FormAlert, FormKey } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatDate, formatDateTime } from "../lib/dates";
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

type Field = "counted" | "note";

/** The office's view of cash: every agent's open cash, and the hand-ins waiting for a count. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const [t, open] = await Promise.all([
    getT(request, "staff"),
    getApi(context, request).openCash(token).catch(staffFailure(request)),
  ]);
  return {
    title: t("adminCash.title"),
    open,
    confirmed: new URL(request.url).searchParams.get("confirmed") === "1",
    idempotencyKey: newFormKey(),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const form = await request.formData();
  const id = text(form, "handInId", 64);
  const typed = { counted: text(form, "counted", 20), note: text(form, "note", 300) };
  const countedFen = parseYuan(typed.counted);
  if (countedFen === null || countedFen < 0) {
    return formProblem<Field>("checkFields", 400, { counted: typed.counted ? "money" : "required" }, { id });
  }
  const body = ConfirmCashHandIn.safeParse({ countedFen, note: typed.note || undefined });
  if (!body.success) return formProblem<Field>("checkFields", 400, {}, { id });
  try {
    await getApi(context, request).confirmHandIn(token, id, body.data, formKey(form));
  } catch (error) {
    const problem = apiProblem<Field>(error, (path) =>
      path === "countedFen" ? "counted" : path === "note" ? "note" : null,
    );
    return formProblem(problem.data.problem, problem.init?.status ?? 400, problem.data.fields, { id });
  }
  return redirect("/staff/admin/cash?confirmed=1");
}

export default function AdminCashPage() {
  const { open, confirmed, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useStaffTranslation();
  const withCash = open.agents.filter((a) => a.openFen !== 0 || a.days.length > 0);

  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{t("adminCash.title")}</h1>
      <p className="lead">{t("adminCash.intro")}</p>
      {confirmed ? (
        <p className="notice notice-info" role="status">
          {t("adminCash.confirmed")}
        </p>
      ) : null}

      {withCash.length === 0 ? <p className="notice notice-info">{t("adminCash.nothingOpen")}</p> : null}
      <ul className="card-list">
        {withCash.map((a) => (
          <li key={a.agentId} className="card" data-testid="open-cash-agent">
            <span className="card-title">
              {a.servicePointName ? `${localized(a.servicePointName, i18n.language)} · ` : ""}
              {a.agentName}
            </span>
            <span className="cash-open">
              {t(a.openFen < 0 ? "adminCash.advanced" : "adminCash.open")}:{" "}
              <Money fen={Math.abs(a.openFen)} />
            </span>
            <span className="muted">
              {t("adminCash.taken")} <Money fen={a.takenFen} /> · {t("adminCash.paidOut")}{" "}
              <Money fen={a.paidOutFen} /> · {t("adminCash.handedIn")} <Money fen={a.handedInFen} />
            </span>
            {a.days.length ? (
              <span>
                {t("adminCash.days")}:{" "}
                {a.days.map((d, i) => (
                  <span key={d.day}>
                    {i > 0 ? "、" : ""}
                    <Link to={`/staff/cash?date=${d.day}&agentId=${encodeURIComponent(a.agentId)}`}>
                      {formatDate(d.day, i18n.language)}
                    </Link>{" "}
                    <Money fen={Math.abs(d.toHandInFen)} />
                    {d.toHandInFen < 0 ? t("adminCash.advancedShort") : null}
                  </span>
                ))}
              </span>
            ) : null}
          </li>
        ))}
      </ul>

      <h2>{t("adminCash.awaitingTitle")}</h2>
      {open.awaitingConfirmation.length === 0 ? <p className="muted">{t("adminCash.noneAwaiting")}</p> : null}
      <ul className="card-list">
        {open.awaitingConfirmation.map((h) => {
          const mine = result && "id" in result && result.id === h.id;
          const fields: Partial<Record<Field, FieldProblem>> = mine ? (result?.fields ?? {}) : {};
          return (
            <li key={h.id} className="card">
              <span className="card-title">
                {h.agentName} · {formatDate(h.day, i18n.language)}
              </span>
              <span>
                {t("cashSlip.expected")} <Money fen={h.expectedFen} /> · {t("cashSlip.counted")}{" "}
                <Money fen={h.countedFen} />
              </span>
              {h.reason ? <span className="muted">{h.reason}</span> : null}
              <span className="muted">{formatDateTime(h.submittedAt, i18n.language)}</span>
              {mine ? <FormAlert problem={result?.problem} /> : null}
              <Form method="post" className="form">
                <FormKey value={mine ? (result?.idempotencyKey ?? idempotencyKey) : idempotencyKey} />
                <input type="hidden" name="handInId" value={h.id} />
                <div className="field">
                  <label htmlFor={`counted-${h.id}`} className="field-label">
                    {t("adminCash.countedByYou")}
                  </label>
                  <input
                    id={`counted-${h.id}`}
                    name="counted"
                    inputMode="decimal"
                    required
                    defaultValue={(h.countedFen / 100).toFixed(2)}
                    aria-describedby={`counted-${h.id}-error`}
                  />
                  <FieldError id={`counted-${h.id}-error`} problem={fields.counted} />
                </div>
                <div className="field">
                  <label htmlFor={`note-${h.id}`} className="field-label">
                    {t("adminCash.note")}
                  </label>
                  <input id={`note-${h.id}`} name="note" type="text" maxLength={300} />
                  <FieldError id={`note-${h.id}-error`} problem={fields.note} />
                </div>
                <button
                  type="submit"
                  className="button button-primary"
                  disabled={navigation.state === "submitting"}
                >
                  {t("adminCash.confirm")}
                </button>
              </Form>
            </li>
          );
        })}
      </ul>
    </>
  );
}
