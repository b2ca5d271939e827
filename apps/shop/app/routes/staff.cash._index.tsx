import { formatFen, parseYuan } from "@coop/shared";
import { CreateCashHandIn } from "@coop/shared/contract";
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
import { getT } from "../i18next.server";
import { ApiError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { chinaToday, formatDateTime } from "../lib/dates";
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

type Field = "counted" | "reason";
const isDay = (value: string | null) => Boolean(value && /^\d{4}-\d{2}-\d{2}$/.test(value));

/** The agent's end of day: what came in and went out in cash, and the hand-in they sign. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["agent", "admin"]);
  const url = new URL(request.url);
  const asked = url.searchParams.get("date");
  const date = isDay(asked) ? asked! : chinaToday();
  const agentId = url.searchParams.get("agentId")?.slice(0, 64) || undefined;
  const [t, day] = await Promise.all([
    getT(request, "staff"),
    getApi(context, request)
      .cashDay(token, { date, ...(agentId ? { agentId } : {}) })
      .catch(staffFailure(request)),
  ]);
  return { title: t("cash.title"), day, today: chinaToday(), idempotencyKey: newFormKey() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["agent"]);
  const form = await request.formData();
  const typed = { counted: text(form, "counted", 20), reason: text(form, "reason", 300) };
  const day = text(form, "day", 10);
  const expectedFen = Number(text(form, "expectedFen", 20));
  const countedFen = parseYuan(typed.counted);
  if (countedFen === null || countedFen < 0) {
    return formProblem<Field>(
      "checkFields",
      400,
      { counted: typed.counted ? "money" : "required" },
      { typed },
    );
  }
  if (countedFen !== expectedFen && !typed.reason) {
    return formProblem<Field>("checkFields", 400, { reason: "required" }, { typed });
  }
  const body = CreateCashHandIn.safeParse({
    day,
    countedFen,
    expectedFen,
    reason: typed.reason || undefined,
  });
  if (!body.success) return formProblem<Field>("checkFields", 400, {}, { typed });
  try {
    const handIn = await getApi(context, request).handInCash(token, body.data, formKey(form));
    return redirect(`/staff/cash/slip/${encodeURIComponent(handIn.id)}?date=${handIn.day}`);
  } catch (error) {
    if (error instanceof ApiError && (error.code === "CONFLICT" || error.code === "INVALID_STATE")) {
      return formProblem<Field>("checkFields", 409, {}, { typed, changed: error.code });
    }
    const problem = apiProblem<Field>(error, (path) =>
      path === "countedFen" ? "counted" : path === "reason" ? "reason" : null,
    );
    return formProblem(problem.data.problem, problem.init?.status ?? 400, problem.data.fields, { typed });
  }
}

export default function CashDayPage() {
  const { day, today, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useStaffTranslation();
  const fields: Partial<Record<Field, FieldProblem>> = result?.fields ?? {};
  const changed = result && "changed" in result ? result.changed : null;
  const typed = result && "typed" in result ? (result.typed as { counted: string; reason: string }) : null;
  const canHandIn = !(day.toHandInFen === 0 && day.handIns.length > 0);

  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{t("cash.title")}</h1>
      <Form method="get" className="search">
        <label htmlFor="date" className="field-label">
          {t("cash.dayLabel")}
        </label>
        <div className="search-row">
          <input id="date" name="date" type="date" defaultValue={day.day} max={today} />
          <button type="submit" className="button button-secondary">
            {t("cash.show")}
          </button>
        </div>
      </Form>

      <dl className="cash-figures">
        <div className="cash-figure">
          <dt>{t("cash.taken")}</dt>
          <dd data-testid="cash-taken">
            <Money fen={day.takenFen} />
          </dd>
        </div>
        <div className="cash-figure">
          <dt>{t("cash.paidOut")}</dt>
          <dd data-testid="cash-paid-out">
            − <Money fen={day.paidOutFen} />
          </dd>
        </div>
        {day.handedInFen !== 0 ? (
          <div className="cash-figure">
            <dt>{t("cash.handedIn")}</dt>
            <dd>
              − <Money fen={day.handedInFen} />
            </dd>
          </div>
        ) : null}
        <div className="cash-figure cash-figure-total">
          {/* Paid out more than taken: the agent advanced their own cash, said so, never as "−¥…" to hand in. */}
          <dt>{t(day.toHandInFen < 0 ? "cash.advanced" : "cash.toHandIn")}</dt>
          <dd data-testid="cash-to-hand-in">
            <Money fen={Math.abs(day.toHandInFen)} />
          </dd>
        </div>
      </dl>

      {changed ? (
        <p className="alert" role="alert">
          {t(changed === "CONFLICT" ? "cash.changed" : "cash.alreadyHandedIn")}
        </p>
      ) : null}
      {canHandIn ? (
        <>
          <FormAlert problem={changed ? undefined : result?.problem} />
          <Form method="post" className="form">
            <FormKey value={result?.idempotencyKey ?? idempotencyKey} />
            <input type="hidden" name="day" value={day.day} />
            <input type="hidden" name="expectedFen" value={day.toHandInFen} />
            <div className="field">
              <label htmlFor="counted" className="field-label">
                {t("cash.counted")}
              </label>
              <input
                id="counted"
                name="counted"
                type="text"
                inputMode="decimal"
                required
                autoComplete="off"
                defaultValue={
                  typed?.counted ?? formatFen(Math.max(day.toHandInFen, 0)).replace(/[^\d.]/g, "")
                }
                aria-describedby="counted-error"
                className="input-big"
              />
              <FieldError id="counted-error" problem={fields.counted} />
            </div>
            <div className="field">
              <label htmlFor="reason" className="field-label">
                {t("cash.reason")}
              </label>
              <p className="field-hint">{t("cash.reasonHint")}</p>
              <input
                id="reason"
                name="reason"
                type="text"
                maxLength={300}
                defaultValue={typed?.reason ?? ""}
                aria-describedby="reason-error"
              />
              <FieldError id="reason-error" problem={fields.reason} />
            </div>
            <button
              type="submit"
              className="button button-primary button-block button-big"
              disabled={navigation.state === "submitting"}
            >
              {navigation.state === "submitting" ? t("staffCommon.saving") : t("cash.submit")}
            </button>
          </Form>
        </>
      ) : (
        <p className="notice notice-info">{t("cash.alreadyHandedIn")}</p>
      )}

      {day.handIns.length ? (
        <>
          <h2>{t("cash.handIns")}</h2>
          <ul className="card-list">
            {day.handIns.map((h) => (
              <li key={h.id} className="card">
                <span className="card-title">
                  <Money fen={h.countedFen} />
                </span>
                {h.differenceFen !== 0 ? (
                  <span>
                    {t("cash.difference")}: <Money fen={h.differenceFen} /> · {h.reason}
                  </span>
                ) : null}
                <span className="muted">
                  {h.confirmed
                    ? t("cash.confirmedBy", {
                        name: h.confirmed.byName,
                        amount: formatFen(h.confirmed.countedFen),
                      })
                    : t("cash.awaiting")}
                </span>
                <Link to={`/staff/cash/slip/${encodeURIComponent(h.id)}?date=${h.day}`}>
                  {t("cash.slip")}
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>{t("cash.takings")}</h2>
      {day.takings.length === 0 ? <p className="muted">{t("cash.none")}</p> : null}
      <ul className="card-list">
        {day.takings.map((row) => (
          <li key={row.paymentId} className="card">
            <span className="card-title">
              <Money fen={row.amountFen} /> · {row.contactName}
            </span>
            <span className="muted">{formatDateTime(row.at, i18n.language)}</span>
          </li>
        ))}
      </ul>
      <h2>{t("cash.payouts")}</h2>
      {day.payouts.length === 0 ? <p className="muted">{t("cash.none")}</p> : null}
      <ul className="card-list">
        {day.payouts.map((row) => (
          <li key={row.payoutId} className="card">
            <span className="card-title">
              <Money fen={row.amountFen} /> · {row.consignorName}
            </span>
            <span className="muted">{formatDateTime(row.at, i18n.language)}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
