import { ConfirmCashHandIn } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
  type SerializeFrom,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Money } from "../components/Money";
import { BackLink, FormAlert } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { StaffForm, SubmitButton, TextField, useStaffForm } from "../components/staff/StaffForm";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatDate, formatDateTime } from "../lib/dates";
import { pageMeta } from "../lib/meta";
import { formKey, newFormKey, requireRole, staffFailure, text } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm, staffReply, yuanAsFen } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

// The contract's confirmation, the count typed in yuan.
const HandInCount = z.object({
  handInId: z.string().min(1).max(64),
  counted: yuanAsFen(ConfirmCashHandIn.shape.countedFen),
  note: ConfirmCashHandIn.shape.note,
});

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
  const submission = parseStaffForm(form, HandInCount, { counted: "money" });
  if (submission.status !== "success") return staffReply(submission, undefined, { id });
  const { handInId, counted, note } = submission.value;
  try {
    await getApi(context, request).confirmHandIn(
      token,
      handInId,
      { countedFen: counted, note },
      formKey(form),
    );
  } catch (error) {
    return staffReply(submission, apiErrorToReply(error, { countedFen: "counted", note: "note" }), { id });
  }
  return redirect("/staff/admin/cash?confirmed=1");
}

export default function AdminCashPage() {
  const { open, confirmed, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
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
              <HandInForm handIn={h} answer={mine ? result : undefined} idempotencyKey={idempotencyKey} />
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** The office's count of one hand-in; the page's answer is shown by the form it was for. */
function HandInForm({
  handIn,
  answer,
  idempotencyKey,
}: {
  handIn: { id: string; countedFen: number };
  answer: SerializeFrom<typeof action> | undefined;
  idempotencyKey: string;
}) {
  const { t } = useStaffTranslation();
  const [form, fields] = useStaffForm<"counted" | "note">(answer, {
    defaultValue: { counted: (handIn.countedFen / 100).toFixed(2) },
  });
  return (
    <>
      <FormAlert problem={answer?.problem} />
      <StaffForm form={form} idempotencyKey={answer?.idempotencyKey ?? idempotencyKey}>
        <input type="hidden" name="handInId" value={handIn.id} />
        <TextField
          field={fields.counted}
          id={`counted-${handIn.id}`}
          label={t("adminCash.countedByYou")}
          inputMode="decimal"
          required
        />
        <TextField field={fields.note} id={`note-${handIn.id}`} label={t("adminCash.note")} maxLength={300} />
        <SubmitButton className="button button-primary">{t("adminCash.confirm")}</SubmitButton>
      </StaffForm>
    </>
  );
}
