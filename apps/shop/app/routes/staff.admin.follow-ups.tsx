import { isOneOf, RATING_FOLLOW_UP_STATUSES } from "@coop/shared";
import { CloseRatingFollowUp } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
  type SerializeFrom,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, FormAlert } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { StaffForm, SubmitButton, TextareaField, useStaffForm } from "../components/staff/StaffForm";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatDate, formatDateTime } from "../lib/dates";
import { formatPhone } from "../lib/format";
import { pageMeta } from "../lib/meta";
import type { RatingFollowUp } from "../lib/ratings-api.server";
import { formKey, newFormKey, requireRole, staffFailure, text } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm, staffReply } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

const levelKey = (level: number) =>
  level <= 1 ? "1" : level >= 5 ? "5" : (String(level) as "2" | "3" | "4");

const CloseForm = z.object({ followUpId: z.string().min(1).max(64), note: CloseRatingFollowUp.shape.note });

/**
 * Low ratings' follow-ups (decision 0046): the admin calls each person back and closes it with what was done,
 * by its due day; an agent reads their own point's, without the phones and without the close form. The rating
 * itself is never given here: only from the SMS link on the person's own phone.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["admin", "agent"]);
  const url = new URL(request.url);
  const shown = url.searchParams.get("status");
  const status = shown === "all" ? undefined : isOneOf(RATING_FOLLOW_UP_STATUSES, shown) ? shown : "open";
  const [t, list] = await Promise.all([
    getT(request, "staff"),
    getApi(context, request).ratingFollowUps(token, { status }).catch(staffFailure(request)),
  ]);
  return {
    title: t("followUpsPage.title"),
    items: list.items,
    status: status ?? "all",
    admin: user.role === "admin",
    closed: url.searchParams.get("closed") === "1",
    idempotencyKey: newFormKey(),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const form = await request.formData();
  const id = text(form, "followUpId", 64);
  const submission = parseStaffForm(form, CloseForm);
  if (submission.status !== "success") return staffReply(submission, undefined, { id });
  const { followUpId, note } = submission.value;
  try {
    await getApi(context, request).closeRatingFollowUp(token, followUpId, note, formKey(form));
  } catch (error) {
    return staffReply(submission, apiErrorToReply(error, { note: "note" }), { id });
  }
  return redirect("/staff/admin/follow-ups?closed=1");
}

export default function FollowUpsPage() {
  const { items, status, admin, closed, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useStaffTranslation();
  const lang = i18n.language;

  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{t("followUpsPage.title")}</h1>
      <p className="lead">{t(admin ? "followUpsPage.intro" : "followUpsPage.agentIntro")}</p>
      {closed ? (
        <p className="notice notice-info" role="status">
          {t("followUpsPage.closed")}
        </p>
      ) : null}
      <nav className="filter-links" aria-label={t("followUpsPage.title")}>
        {(["open", "closed", "all"] as const).map((s) => (
          <Link
            key={s}
            to={`/staff/admin/follow-ups?status=${s}`}
            aria-current={status === s ? "page" : undefined}
            className="button button-secondary"
          >
            {t(
              s === "open"
                ? "followUpsPage.showOpen"
                : s === "closed"
                  ? "followUpsPage.showClosed"
                  : "followUpsPage.showAll",
            )}
          </Link>
        ))}
      </nav>
      {items.length === 0 ? <p className="notice notice-info">{t("followUpsPage.none")}</p> : null}
      <ul className="card-list">
        {items.map((f) => {
          const mine = result && "id" in result && result.id === f.id;
          return (
            <li key={f.id} className="card" data-testid="follow-up" data-status={f.status}>
              <span className="card-title">
                {lang === "en" ? f.servicePointNameEn : f.servicePointName} ·{" "}
                {t(`followUpsPage.kind.${f.kind}`)} ·{" "}
                {t("followUpsPage.level", { level: t(`followUpsPage.levels.${levelKey(f.level)}`) })}
              </span>
              <span>
                {t("followUpsPage.comment")}：{f.comment ?? t("followUpsPage.noComment")}
              </span>
              {f.phone ? (
                <span>
                  {t("followUpsPage.phone")}：<a href={`tel:${f.phone}`}>{formatPhone(f.phone)}</a>
                </span>
              ) : null}
              <span className="muted">
                {t("followUpsPage.ratedAt")} {formatDateTime(f.ratedAt, lang)} · {t("followUpsPage.dueOn")}{" "}
                {formatDate(f.dueOn, lang)}
                {f.overdue ? (
                  <strong className="badge badge-warn"> {t("followUpsPage.overdue")}</strong>
                ) : null}
              </span>
              {f.status === "closed" ? (
                <span>
                  {t("followUpsPage.closedBy", {
                    name: f.closedByName ?? "",
                    time: f.closedAt ? formatDateTime(f.closedAt, lang) : "",
                  })}
                  ：{f.note}
                </span>
              ) : admin ? (
                <CloseFollowUp
                  followUp={f}
                  answer={mine ? result : undefined}
                  idempotencyKey={idempotencyKey}
                />
              ) : null}
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** The admin's close of one follow-up; the page's answer is shown by the form it was for. */
function CloseFollowUp({
  followUp,
  answer,
  idempotencyKey,
}: {
  followUp: Pick<RatingFollowUp, "id">;
  answer: SerializeFrom<typeof action> | undefined;
  idempotencyKey: string;
}) {
  const { t } = useStaffTranslation();
  const [form, fields] = useStaffForm<"note">(answer);
  return (
    <>
      <FormAlert problem={answer?.problem} />
      <StaffForm form={form} idempotencyKey={answer?.idempotencyKey ?? idempotencyKey}>
        <input type="hidden" name="followUpId" value={followUp.id} />
        <TextareaField
          field={fields.note}
          id={`note-${followUp.id}`}
          label={t("followUpsPage.note")}
          maxLength={500}
          rows={2}
          required
        />
        <SubmitButton className="button button-primary">{t("followUpsPage.close")}</SubmitButton>
      </StaffForm>
    </>
  );
}
