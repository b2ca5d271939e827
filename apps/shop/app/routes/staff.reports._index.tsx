import type { BaseUnit } from "@coop/shared";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Money } from "../components/Money";
import { Quantity } from "../components/Quantity";
import { BackLink } from "../components/staff/FormBits";
import { ChartWithTable, Kpi, RangePicker } from "../components/staff/ReportBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { getLanguage, getT } from "../i18next.server";
import { renderChart } from "../lib/charts.server";
import { getApi } from "../lib/context.server";
import { formatDate, formatDateTime } from "../lib/dates";
import { pageMeta } from "../lib/meta";
import { reportPointOf } from "../lib/report-point.server";
import { reportRangeOf } from "../lib/report-range";
import type { Dashboard } from "../lib/reports-api.server";
import { requireRole, staffFailure } from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

type Row = Dashboard["byDay"][number];
const yuan = (fen: number) => Math.round(fen) / 100;
const rowName = (row: Row, lang: string) => (lang === "en" ? row.labelEn : row.label);

/**
 * The dashboard (报表): co-op wide for an admin, who may narrow it to one point (?pointId=); an agent's own
 * point. Charts are drawn here on the server; each has its table beside it.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["admin", "agent"]);
  const url = new URL(request.url);
  const range = reportRangeOf(url.searchParams);
  const api = getApi(context, request);
  const fail = staffFailure(request);
  const { pointId: asked, notFound } = await reportPointOf(request, api, token, user.role);
  const [t, lang, board] = await Promise.all([
    getT(request, "staff"),
    getLanguage(request),
    api.dashboard(token, { from: range.from, to: range.to, pointId: asked }).catch(fail),
  ]);
  const pointName = lang === "en" ? board.pointNameEn : board.pointName;
  const weekly = board.overTimeBy === "week";
  const chart = (rows: Row[], kind: "bar" | "line", horizontal: boolean, title: string) =>
    renderChart(
      {
        kind,
        horizontal,
        title,
        categories: rows.map((r) => (kind === "line" ? r.key.slice(5) : rowName(r, lang))),
        series: [{ name: t("reportsPage.columns.gross"), values: rows.map((r) => yuan(r.grossFen)) }],
      },
      lang,
    );
  return {
    title: pointName ? t("reportsPage.pointTitle", { name: pointName }) : t("reportsPage.title"),
    board,
    range,
    admin: user.role === "admin",
    pointSearch: user.role === "admin" ? { notFound } : undefined,
    weekly,
    charts: {
      overTime: chart(board.byDay, "line", false, t("reportsPage.sections.overTime")),
      byChannel: chart(board.byChannel, "bar", true, t("reportsPage.sections.byChannel")),
      topProducts: chart(board.topProducts, "bar", true, t("reportsPage.sections.topProducts")),
      topPoints: chart(board.topPoints, "bar", true, t("reportsPage.sections.topPoints")),
    },
  };
}

export default function ReportsDashboard() {
  const { title, board, range, pointSearch, charts, weekly } = useLoaderData<typeof loader>();
  const { t, i18n } = useStaffTranslation();
  const lang = i18n.language;
  const keep = { pointId: board.pointId ?? undefined };
  const detail = (by: string) =>
    `/staff/reports/sales?${new URLSearchParams({ by, from: range.from, to: range.to, ...(board.pointId ? { pointId: board.pointId } : {}) })}`;

  return (
    <div className="report-wide">
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{title}</h1>
      <p className="lead">{t("reportsPage.intro")}</p>
      <RangePicker range={range} keep={keep} {...(pointSearch ? { pointSearch } : {})} />
      <p className="muted">
        {formatDate(range.from, lang)} – {formatDate(range.to, lang)} ·{" "}
        {t("reportsPage.asOf", { time: formatDateTime(board.asOf, lang) })}
      </p>

      <p>
        <Link
          to={`/staff/reports/commitments?${new URLSearchParams({ from: range.from, to: range.to, ...(board.pointId ? { pointId: board.pointId } : {}) })}`}
        >
          {t("commitmentsPage.title")}
        </Link>
      </p>
      <div className="kpi-grid">
        <Kpi label={t("reportsPage.kpi.gross")}>
          <Money fen={board.totals.grossFen} />
        </Kpi>
        <Kpi label={t("reportsPage.kpi.commission")}>
          <Money fen={board.totals.commissionFen} />
        </Kpi>
        <Kpi label={t("reportsPage.kpi.villagers")}>
          <Money fen={board.totals.villagerFen} />
        </Kpi>
        <Kpi label={t("reportsPage.kpi.orders")}>{board.totals.orders.toLocaleString(lang)}</Kpi>
        <Kpi
          label={t("reportsPage.kpi.owed")}
          note={t("reportsPage.kpi.owedVillagers", { count: board.payables.villagers })}
        >
          <Money fen={board.payables.owedFen} />
        </Kpi>
        <Kpi
          label={t("reportsPage.kpi.stockValue")}
          note={t("reportsPage.kpi.stockPlaces", { count: board.stock.places })}
        >
          <Money fen={board.stock.valueFen} />
        </Kpi>
      </div>

      <ChartWithTable
        title={t(weekly ? "reportsPage.sections.overWeeks" : "reportsPage.sections.overTime")}
        svg={charts.overTime}
      >
        <FiguresTable
          rows={board.byDay}
          keyHeading={t(weekly ? "reportsPage.columns.week" : "reportsPage.columns.day")}
          keyText={(r) => formatDate(r.key, lang)}
          scroll
        />
      </ChartWithTable>
      <p>
        <Link to={detail("day")}>{t("reportsPage.details")}</Link>
      </p>

      <ChartWithTable title={t("reportsPage.sections.byChannel")} svg={charts.byChannel}>
        <FiguresTable rows={board.byChannel} keyHeading={t("reportsPage.columns.channel")} />
      </ChartWithTable>

      <ChartWithTable title={t("reportsPage.sections.topProducts")} svg={charts.topProducts}>
        <FiguresTable rows={board.topProducts} keyHeading={t("reportsPage.columns.product")} quantity />
      </ChartWithTable>
      <p>
        <Link to={detail("product")}>{t("reportsPage.details")}</Link>
      </p>

      {board.pointId === null ? (
        <>
          <ChartWithTable title={t("reportsPage.sections.topPoints")} svg={charts.topPoints}>
            <FiguresTable
              rows={board.topPoints}
              keyHeading={t("reportsPage.columns.point")}
              link={(r) =>
                r.key ? `?${new URLSearchParams({ from: range.from, to: range.to, pointId: r.key })}` : null
              }
            />
          </ChartWithTable>
          <p>
            <Link to={detail("point")}>{t("reportsPage.details")}</Link>
          </p>
        </>
      ) : null}

      <section className="report-block" aria-labelledby="stock-title">
        <h2 id="stock-title">{t("reportsPage.sections.stockByPlace")}</h2>
        {board.stock.byPlace.length === 0 ? (
          <p className="muted">{t("reportsPage.noneHere")}</p>
        ) : (
          <div className="report-table-wrap">
            <table className="report-table">
              <thead>
                <tr>
                  <th scope="col">{t("reportsPage.columns.place")}</th>
                  <th scope="col">{t("reportsPage.columns.products")}</th>
                  <th scope="col">{t("reportsPage.columns.value")}</th>
                </tr>
              </thead>
              <tbody>
                {board.stock.byPlace.map((p) => (
                  <tr key={p.locationId}>
                    <th scope="row">{lang === "en" ? p.nameEn : p.name}</th>
                    <td className="num">{p.products}</td>
                    <td className="num">
                      <Money fen={p.valueFen} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="report-block" aria-labelledby="expiring-title">
        <h2 id="expiring-title">{t("reportsPage.sections.expiring", { count: board.expiring.lots })}</h2>
        {board.expiring.first.length === 0 ? (
          <p className="muted">{t("reportsPage.noneHere")}</p>
        ) : (
          <div className="report-table-wrap">
            <table className="report-table">
              <thead>
                <tr>
                  <th scope="col">{t("reportsPage.columns.lot")}</th>
                  <th scope="col">{t("reportsPage.columns.place")}</th>
                  <th scope="col">{t("reportsPage.columns.onHand")}</th>
                  <th scope="col">{t("reportsPage.columns.bestBefore")}</th>
                </tr>
              </thead>
              <tbody>
                {board.expiring.first.map((l) => (
                  <tr key={l.lotId}>
                    <th scope="row">
                      <Link to={`/staff/lots/${encodeURIComponent(l.lotId)}`}>
                        {lang === "en" ? l.productNameEn : l.productName}
                      </Link>
                      <br />
                      <span className="muted">{l.lotNo}</span>
                    </th>
                    <td>{l.locationName}</td>
                    <td className="num">
                      <Quantity quantity={l.onHand} unit={l.unit as BaseUnit} />
                    </td>
                    <td>{formatDate(l.bestBefore, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="report-block" aria-labelledby="slow-title">
        <h2 id="slow-title">{t("reportsPage.sections.slowMovers")}</h2>
        {board.slowMovers.length === 0 ? (
          <p className="muted">{t("reportsPage.noneHere")}</p>
        ) : (
          <div className="report-table-wrap">
            <table className="report-table">
              <thead>
                <tr>
                  <th scope="col">{t("reportsPage.columns.product")}</th>
                  <th scope="col">{t("reportsPage.columns.onHand")}</th>
                  <th scope="col">{t("reportsPage.columns.value")}</th>
                </tr>
              </thead>
              <tbody>
                {board.slowMovers.map((s) => (
                  <tr key={s.productId}>
                    <th scope="row">{lang === "en" ? s.nameEn : s.name}</th>
                    <td className="num">
                      <Quantity quantity={s.onHand} unit={s.unit as BaseUnit} />
                    </td>
                    <td className="num">
                      <Money fen={s.valueFen} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="report-block" aria-labelledby="ratings-title" data-testid="ratings">
        <h2 id="ratings-title">{t("reportsPage.ratings.title")}</h2>
        {board.ratings.count === 0 ? <p className="muted">{t("reportsPage.ratings.none")}</p> : null}
        <div className="kpi-grid">
          <Kpi label={t("reportsPage.ratings.count")}>{board.ratings.count.toLocaleString(lang)}</Kpi>
          <Kpi label={t("reportsPage.ratings.average")} note={t("reportsPage.ratings.averageNote")}>
            {board.ratings.averageLevel === null ? "–" : board.ratings.averageLevel.toFixed(1)}
          </Kpi>
          <Kpi label={t("reportsPage.ratings.satisfied")} note={t("reportsPage.ratings.satisfiedNote")}>
            {board.ratings.satisfiedPct === null ? "–" : `${board.ratings.satisfiedPct.toFixed(1)}%`}
          </Kpi>
          <Kpi
            label={t("reportsPage.ratings.openFollowUps")}
            note={t("reportsPage.ratings.overdue", { count: board.ratings.overdueFollowUps })}
          >
            {board.ratings.openFollowUps.toLocaleString(lang)}
          </Kpi>
        </div>
        <p>
          <Link to="/staff/admin/follow-ups">{t("reportsPage.ratings.followUpsLink")}</Link>
        </p>
      </section>

      <section className="report-block" aria-labelledby="open-title">
        <h2 id="open-title">{t("reportsPage.sections.openOrders")}</h2>
        <p className="lead">
          {t("reportsPage.sections.pickupsWaiting", { count: board.orders.pickupsWaiting })}
        </p>
        {board.orders.open.length === 0 ? (
          <p className="muted">{t("reportsPage.noneHere")}</p>
        ) : (
          <ul className="report-counts">
            {board.orders.open.map((o) => (
              <li key={o.status}>
                <Link to={`/staff/orders?${new URLSearchParams({ status: o.status })}`}>
                  {t(`orderStatus.${o.status}`)}
                </Link>{" "}
                <strong>{o.count.toLocaleString(lang)}</strong>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** Figures of report rows, in the chart's order (data-index links a row to its bar). */
export function FiguresTable({
  rows,
  keyHeading,
  keyText,
  quantity = false,
  scroll = false,
  link,
}: {
  rows: Row[];
  keyHeading: string;
  keyText?: (row: Row) => string;
  quantity?: boolean;
  scroll?: boolean;
  link?: (row: Row) => string | null;
}) {
  const { t, i18n } = useStaffTranslation();
  const lang = i18n.language;
  if (rows.length === 0) return <p className="muted">{t("reportsPage.none")}</p>;
  return (
    <div className={scroll ? "report-table-scroll" : undefined}>
      <table className="report-table">
        <thead>
          <tr>
            <th scope="col">{keyHeading}</th>
            <th scope="col">{t("reportsPage.columns.orders")}</th>
            {quantity ? <th scope="col">{t("reportsPage.columns.quantity")}</th> : null}
            <th scope="col">{t("reportsPage.columns.gross")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => {
            const name = keyText ? keyText(r) : rowName(r, lang);
            const href = link?.(r) ?? null;
            return (
              <tr key={r.key} data-index={i}>
                <th scope="row">{href ? <Link to={href}>{name}</Link> : name}</th>
                <td className="num">{r.orders.toLocaleString(lang)}</td>
                {quantity ? (
                  <td className="num">
                    {r.unit ? <Quantity quantity={r.quantity} unit={r.unit as BaseUnit} /> : null}
                  </td>
                ) : null}
                <td className="num">
                  <Money fen={r.grossFen} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
