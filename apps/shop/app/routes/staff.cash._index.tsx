import { formatFen } from "@coop/shared";
import { CreateCashHandIn } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Money } from "../components/Money";
import { textInputProps } from "../components/staff/FieldControls";
import { BackLink, FormAlert } from "../components/staff/FormBits";
import { SavingLabel } from "../components/staff/SavingLabel";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { Field, StaffForm, SubmitButton, TextField, useStaffForm } from "../components/staff/StaffForm";
import { getT } from "../i18next.server";
import { ApiError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { chinaToday, formatDateTime } from "../lib/dates";
import { pageMeta } from "../lib/meta";
import { formKey, newFormKey, requireRole, staffFailure } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm, staffReply, yuanAsFen } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

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

/** The hand-in: the cash counted in yuan, and a reason whenever it is not what the screen showed. */
const HandInForm = CreateCashHandIn.omit({ countedFen: true })
  .extend({ counted: yuanAsFen(CreateCashHandIn.shape.countedFen) })
  .refine((form) => form.counted === form.expectedFen || Boolean(form.reason), {
    path: ["reason"],
    message: "required",
  });

export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["agent"]);
  const form = await request.formData();
  const submission = parseStaffForm(form, HandInForm, { counted: "money" });
  if (submission.status !== "success") return staffReply(submission);
  const { counted, ...rest } = submission.value;
  try {
    const handIn = await getApi(context, request).handInCash(
      token,
      { ...rest, countedFen: counted },
      formKey(form),
    );
    return redirect(`/staff/cash/slip/${encodeURIComponent(handIn.id)}?date=${handIn.day}`);
  } catch (error) {
    if (error instanceof ApiError && (error.code === "CONFLICT" || error.code === "INVALID_STATE")) {
      return staffReply(submission, { problem: "checkFields", status: 409 }, { changed: error.code });
    }
    return staffReply(submission, apiErrorToReply(error, { countedFen: "counted", reason: "reason" }));
  }
}

export default function CashDayPage() {
  const { day, today, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useStaffTranslation();
  const changed = result && "changed" in result ? result.changed : null;
  const [form, fields] = useStaffForm<"counted" | "reason">(result, {
    defaultValue: { counted: formatFen(Math.max(day.toHandInFen, 0)).replace(/[^\d.]/g, "") },
  });
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
          <StaffForm form={form} idempotencyKey={result?.idempotencyKey ?? idempotencyKey}>
            <input type="hidden" name="day" value={day.day} />
            <input type="hidden" name="expectedFen" value={day.toHandInFen} />
            <Field field={fields.counted} label={t("cash.counted")}>
              {(ids) => (
                <input
                  key={fields.counted.key}
                  {...textInputProps(fields.counted)}
                  {...ids}
                  inputMode="decimal"
                  required
                  autoComplete="off"
                  className="input-big"
                />
              )}
            </Field>
            <TextField
              field={fields.reason}
              label={t("cash.reason")}
              hint={t("cash.reasonHint")}
              maxLength={300}
            />
            <SubmitButton className="button button-primary button-block button-big">
              <SavingLabel>{t("cash.submit")}</SavingLabel>
            </SubmitButton>
          </StaffForm>
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
