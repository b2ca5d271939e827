import type { BaseUnit } from "@coop/shared";
import { SALES_REPORT_BY, type SalesReportBy } from "@coop/shared/contract";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Money } from "../components/Money";
import { Quantity } from "../components/Quantity";
import { BackLink } from "../components/staff/FormBits";
import { ChartWithTable, RangePicker } from "../components/staff/ReportBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { getLanguage, getT } from "../i18next.server";
import { renderChart } from "../lib/charts.server";
import { getApi } from "../lib/context.server";
import { formatDate, formatDateTime } from "../lib/dates";
import { pageMeta } from "../lib/meta";
import { reportPointOf } from "../lib/report-point.server";
import { reportRangeOf } from "../lib/report-range";
import { requireRole, staffFailure } from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

const TIME: readonly SalesReportBy[] = ["day", "week", "month"];
/** Breakdowns that are only about the whole co-op (an agent's report is one point already). */
const COOP_ONLY: readonly SalesReportBy[] = ["point", "origin"];
/** More rows than this are in the table; the chart shows the first ones. */
const CHART_ROWS = 31;

/** One sales report in full: every row with all its figures, the chart of the first ones beside it. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["admin", "agent"]);
  const url = new URL(request.url);
  const range = reportRangeOf(url.searchParams);
  const askedBy = url.searchParams.get("by");
  const api = getApi(context, request);
  const { pointId, notFound } = await reportPointOf(request, api, token, user.role);
  const scoped = user.role === "agent" || pointId !== undefined;
  const by: SalesReportBy =
    (SALES_REPORT_BY as readonly string[]).includes(askedBy ?? "") &&
    !(scoped && COOP_ONLY.includes(askedBy as SalesReportBy))
      ? (askedBy as SalesReportBy)
      : "day";
  const [t, lang, report] = await Promise.all([
    getT(request, "staff"),
    getLanguage(request),
    api.salesReport(token, { from: range.from, to: range.to, by, pointId }).catch(staffFailure(request)),
  ]);
  const time = TIME.includes(by);
  const shown = time ? report.rows.slice(-CHART_ROWS) : report.rows.slice(0, 12);
  const svg = renderChart(
    {
      kind: time ? "line" : "bar",
      horizontal: !time,
      title: t(`reportsPage.by.${by}`),
      categories: shown.map((r) =>
        time
          ? r.key.slice(by === "month" ? 0 : 5, by === "month" ? 7 : 10)
          : lang === "en"
            ? r.labelEn
            : r.label,
      ),
      series: [
        { name: t("reportsPage.columns.gross"), values: shown.map((r) => r.grossFen / 100) },
        { name: t("reportsPage.columns.villagers"), values: shown.map((r) => r.villagerFen / 100) },
      ],
    },
    lang,
  );
  return {
    title: t("reportsPage.salesTitle"),
    report,
    range,
    by,
    scoped,
    chartOffset: time ? report.rows.length - shown.length : 0,
    svg,
    pointSearch: user.role === "admin" ? { notFound } : undefined,
  };
}

export default function SalesReportPage() {
  const { report, range, by, scoped, svg, pointSearch, chartOffset } = useLoaderData<typeof loader>();
  const { t, i18n } = useStaffTranslation();
  const lang = i18n.language;
  const keep = { by, pointId: report.pointId ?? undefined };
  const choices = SALES_REPORT_BY.filter((b) => !(scoped && COOP_ONLY.includes(b)));
  const hrefFor = (b: SalesReportBy) =>
    `?${new URLSearchParams({ by: b, from: range.from, to: range.to, ...(report.pointId && pointSearch ? { pointId: report.pointId } : {}) })}`;
  const time = TIME.includes(by);
  const keyHeading = t(`reportsPage.columns.${by}`);
  return (
    <div className="report-wide">
      <BackLink
        to={`/staff/reports?${new URLSearchParams({ from: range.from, to: range.to, ...(report.pointId && pointSearch ? { pointId: report.pointId } : {}) })}`}
      >
        {t("reportsPage.title")}
      </BackLink>
      <h1>{t("reportsPage.salesTitle")}</h1>
      <nav className="kind-filter no-print" aria-label={t("reportsPage.salesTitle")}>
        {choices.map((b) => (
          <Link
            key={b}
            to={hrefFor(b)}
            className={b === by ? "chip chip-active" : "chip"}
            aria-current={b === by ? "true" : undefined}
          >
            {t(`reportsPage.by.${b}`)}
          </Link>
        ))}
      </nav>
      <RangePicker range={range} keep={keep} {...(pointSearch ? { pointSearch } : {})} />
      <p className="muted">
        {formatDate(range.from, lang)} – {formatDate(range.to, lang)} ·{" "}
        {t("reportsPage.asOf", { time: formatDateTime(report.asOf, lang) })}
      </p>

      <ChartWithTable title={t(`reportsPage.by.${by}`)} svg={svg}>
        {report.rows.length === 0 ? (
          <p className="muted">{t("reportsPage.none")}</p>
        ) : (
          <div className="report-table-scroll">
            <table className="report-table">
              <thead>
                <tr>
                  <th scope="col">{keyHeading}</th>
                  <th scope="col">{t("reportsPage.columns.orders")}</th>
                  {by === "product" ? <th scope="col">{t("reportsPage.columns.quantity")}</th> : null}
                  <th scope="col">{t("reportsPage.columns.gross")}</th>
                  <th scope="col">{t("reportsPage.columns.commission")}</th>
                  <th scope="col">{t("reportsPage.columns.villagers")}</th>
                </tr>
              </thead>
              <tbody>
                {report.rows.map((r, i) => (
                  <tr key={r.key} data-index={i - chartOffset}>
                    <th scope="row">
                      {time
                        ? by === "month"
                          ? r.key.slice(0, 7)
                          : formatDate(r.key, lang)
                        : lang === "en"
                          ? r.labelEn
                          : r.label}
                    </th>
                    <td className="num">{r.orders.toLocaleString(lang)}</td>
                    {by === "product" ? (
                      <td className="num">
                        {r.unit ? <Quantity quantity={r.quantity} unit={r.unit as BaseUnit} /> : null}
                      </td>
                    ) : null}
                    <td className="num">
                      <Money fen={r.grossFen} />
                    </td>
                    <td className="num">
                      <Money fen={r.commissionFen} />
                    </td>
                    <td className="num">
                      <Money fen={r.villagerFen} />
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t("reportsPage.total")}</th>
                  <td className="num">{report.totals.orders.toLocaleString(lang)}</td>
                  {by === "product" ? <td /> : null}
                  <td className="num">
                    <Money fen={report.totals.grossFen} />
                  </td>
                  <td className="num">
                    <Money fen={report.totals.commissionFen} />
                  </td>
                  <td className="num">
                    <Money fen={report.totals.villagerFen} />
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
        )}
      </ChartWithTable>
    </div>
  );
}
