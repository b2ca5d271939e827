import { COMMITMENT_KINDS, COMMITMENT_MAX_DAYS, type CommitmentKind } from "@coop/shared";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { BackLink } from "../components/staff/FormBits";
import { RangePicker } from "../components/staff/ReportBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatDate, formatDateTime } from "../lib/dates";
import { formKey, newFormKey } from "../lib/forms.server";
import { pageMeta } from "../lib/meta";
import { reportPointOf } from "../lib/report-point.server";
import { reportRangeOf } from "../lib/report-range";
import { requireRole, staffFailure } from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

/**
 * 限时办结: how much of each kind of work was done within the co-op's commitment, per point, and what is at
 * risk or overdue now. Co-op wide for an admin (who also sets the working days), an agent's own point.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["admin", "agent"]);
  const url = new URL(request.url);
  const range = reportRangeOf(url.searchParams);
  const api = getApi(context, request);
  const { pointId, notFound } = await reportPointOf(request, api, token, user.role);
  const fail = staffFailure(request);
  const [t, report, settings] = await Promise.all([
    getT(request, "staff"),
    api.commitments(token, { from: range.from, to: range.to, pointId }).catch(fail),
    api.commitmentSettings(token).catch(fail),
  ]);
  return {
    title: t("commitmentsPage.title"),
    report,
    settings,
    range,
    admin: user.role === "admin",
    pointSearch: user.role === "admin" ? { notFound } : undefined,
    idempotencyKey: newFormKey(),
  };
}

/** The admin sets one kind's working days; the same value again changes nothing. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const form = await request.formData();
  const kind = String(form.get("kind") ?? "") as CommitmentKind;
  const days = Number(String(form.get("workingDays") ?? "").trim());
  if (!COMMITMENT_KINDS.includes(kind) || !Number.isInteger(days) || days < 0 || days > COMMITMENT_MAX_DAYS) {
    return data({ saved: null, invalid: kind }, { status: 400 });
  }
  await getApi(context, request).setCommitment(token, kind, days, formKey(form)).catch(staffFailure(request));
  return data({ saved: kind, invalid: null });
}

const pct = (value: number | null) => (value === null ? "–" : `${value}%`);
const daysText = (value: number | null) => (value === null ? "–" : String(value));

export default function CommitmentsReportPage() {
  const { report, settings, range, admin, pointSearch, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useStaffTranslation();
  const lang = i18n.language;
  const keep = { pointId: report.pointId ?? undefined };
  return (
    <div className="report-wide">
      <BackLink to={`/staff/reports?${new URLSearchParams({ from: range.from, to: range.to })}`}>
        {t("reportsPage.title")}
      </BackLink>
      <h1>{t("commitmentsPage.title")}</h1>
      <p className="lead">{t("commitmentsPage.intro")}</p>
      <RangePicker range={range} keep={keep} {...(pointSearch ? { pointSearch } : {})} />
      <p className="muted">
        {formatDate(range.from, lang)} – {formatDate(range.to, lang)} ·{" "}
        {t("reportsPage.asOf", { time: formatDateTime(report.asOf, lang) })}
      </p>

      <section className="report-block" aria-labelledby="attention-title">
        <h2 id="attention-title">{t("commitmentsPage.attention", { count: report.attention.length })}</h2>
        {report.attention.length === 0 ? (
          <p className="muted">{t("commitmentsPage.nothingDue")}</p>
        ) : (
          <div className="report-table-wrap">
            <table className="report-table report-table-nowrap">
              <thead>
                <tr>
                  <th scope="col">{t("commitmentsPage.columns.kind")}</th>
                  <th scope="col">{t("commitmentsPage.columns.point")}</th>
                  <th scope="col">{t("commitmentsPage.columns.started")}</th>
                  <th scope="col">{t("commitmentsPage.columns.due")}</th>
                  <th scope="col">{t("commitmentsPage.columns.state")}</th>
                </tr>
              </thead>
              <tbody>
                {report.attention.map((a) => (
                  <tr
                    key={`${a.kind}-${a.subjectId}`}
                    className={a.state === "breached" ? "row-marked" : undefined}
                  >
                    <th scope="row">{t(`commitmentsPage.kinds.${a.kind}`)}</th>
                    <td>{a.pointName}</td>
                    <td>{formatDate(a.startedOn, lang)}</td>
                    <td>{formatDate(a.dueOn, lang)}</td>
                    <td>{t(`commitmentsPage.states.${a.state}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="report-block" aria-labelledby="kinds-title">
        <h2 id="kinds-title">{t("commitmentsPage.byKind")}</h2>
        <div className="report-table-wrap">
          <table className="report-table report-table-nowrap">
            <thead>
              <tr>
                <th scope="col">{t("commitmentsPage.columns.kind")}</th>
                <th scope="col">{t("commitmentsPage.columns.promise")}</th>
                <th scope="col">{t("commitmentsPage.columns.started")}</th>
                <th scope="col">{t("commitmentsPage.columns.onTimePct")}</th>
                <th scope="col">{t("commitmentsPage.columns.late")}</th>
                <th scope="col">{t("commitmentsPage.columns.breached")}</th>
                <th scope="col">{t("commitmentsPage.columns.atRisk")}</th>
                <th scope="col">{t("commitmentsPage.columns.median")}</th>
              </tr>
            </thead>
            <tbody>
              {report.kinds.map((k) => (
                <tr key={k.kind}>
                  <th scope="row">{t(`commitmentsPage.kinds.${k.kind}`)}</th>
                  <td className="num">{t("commitmentsPage.workingDays", { count: k.workingDays })}</td>
                  <td className="num">{k.started}</td>
                  <td className="num">{pct(k.onTimePct)}</td>
                  <td className="num">{k.late}</td>
                  <td className="num">{k.breached}</td>
                  <td className="num">{k.atRisk}</td>
                  <td className="num">{daysText(k.medianDays)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="report-block" aria-labelledby="points-title">
        <h2 id="points-title">
          {t(report.pointId ? "commitmentsPage.thisPoint" : "commitmentsPage.byPoint")}
        </h2>
        {report.points.length === 0 ? (
          <p className="muted">{t("reportsPage.noneHere")}</p>
        ) : (
          <div className="report-table-wrap">
            <table className="report-table report-table-nowrap">
              <thead>
                <tr>
                  <th scope="col">{t("commitmentsPage.columns.point")}</th>
                  <th scope="col">{t("commitmentsPage.columns.onTimePct")}</th>
                  <th scope="col">{t("commitmentsPage.columns.breached")}</th>
                  <th scope="col">{t("commitmentsPage.columns.median")}</th>
                  <th scope="col">{t("commitmentsPage.columns.ratings")}</th>
                </tr>
              </thead>
              <tbody>
                {report.points.map((p) => (
                  <tr key={p.pointId}>
                    <th scope="row">{lang === "en" ? p.nameEn : p.name}</th>
                    <td className="num">{pct(p.onTimePct)}</td>
                    <td className="num">{p.breached}</td>
                    <td className="num">{daysText(p.medianDays)}</td>
                    <td className="num">
                      {p.ratings.average === null
                        ? "–"
                        : t("commitmentsPage.ratingText", {
                            average: p.ratings.average,
                            count: p.ratings.count,
                          })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {admin ? (
        <section className="report-block no-print" aria-labelledby="settings-title">
          <h2 id="settings-title">{t("commitmentsPage.settings")}</h2>
          <p className="muted">{t("commitmentsPage.settingsHint")}</p>
          {result?.saved ? (
            <p className="notice notice-info" role="status">
              {t("staffCommon.saved")}
            </p>
          ) : null}
          {result?.invalid ? (
            <p className="alert" role="alert">
              {t("commitmentsPage.invalidDays", { max: COMMITMENT_MAX_DAYS })}
            </p>
          ) : null}
          {settings.items.map((s) => (
            <Form method="post" key={s.kind} className="inline-form">
              <input type="hidden" name="idempotencyKey" value={`${idempotencyKey}-${s.kind}`} />
              <input type="hidden" name="kind" value={s.kind} />
              <label>
                {t(`commitmentsPage.kinds.${s.kind}`)}
                <input
                  type="number"
                  name="workingDays"
                  inputMode="numeric"
                  min={0}
                  max={COMMITMENT_MAX_DAYS}
                  defaultValue={s.workingDays}
                  key={`${s.kind}-${s.workingDays}`}
                  required
                />
              </label>
              <button type="submit" className="button button-secondary">
                {t("commitmentsPage.save")}
              </button>
            </Form>
          ))}
        </section>
      ) : null}
    </div>
  );
}
