import { Form, Link } from "@remix-run/react";
import { type ReactNode, useEffect, useId, useRef } from "react";
import { RANGE_PRESETS, type ReportRange } from "../../lib/report-range";
import { useStaffTranslation } from "../../staff-i18n";

/**
 * The days a report covers: quick choices (one tap) and two date fields, sent as a plain GET form so it
 * works before the page's script has arrived on a slow line. `keep` carries the page's other choices.
 */
export function RangePicker({
  range,
  keep,
  pointSearch,
}: {
  range: ReportRange;
  keep: Record<string, string | undefined>;
  /** An admin's search for one service point (none for an agent); `notFound` is what found nothing. */
  pointSearch?: { notFound: string | null };
}) {
  const { t } = useStaffTranslation();
  const kept = Object.entries(keep).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== "");
  const presetHref = (preset: string) => `?${new URLSearchParams([...kept, ["range", preset]])}`;
  return (
    <section className="report-range no-print" aria-label={t("reportsPage.range.legend")}>
      {range.corrected ? (
        <p className="notice" role="status">
          {t("reportsPage.range.invalid")}
        </p>
      ) : null}
      {pointSearch?.notFound ? (
        <p className="notice" role="status">
          {t("reportsPage.range.pointNotFound", { typed: pointSearch.notFound })}
        </p>
      ) : null}
      <nav className="kind-filter">
        {RANGE_PRESETS.map((preset) => (
          <Link
            key={preset}
            to={presetHref(preset)}
            className={range.preset === preset ? "chip chip-active" : "chip"}
            aria-current={range.preset === preset ? "true" : undefined}
          >
            {t(`reportsPage.range.${preset}`)}
          </Link>
        ))}
      </nav>
      <Form method="get" className="report-range-form">
        {/* The page's other choices, the chosen point among them, go along with the new days. */}
        {kept.map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <fieldset>
          <legend className="field-label">{t("reportsPage.range.legend")}</legend>
          <div className="report-range-fields">
            <label>
              {t("reportsPage.range.from")}
              <input type="date" name="from" defaultValue={range.from} key={range.from} required />
            </label>
            <label>
              {t("reportsPage.range.to")}
              <input type="date" name="to" defaultValue={range.to} key={range.to} required />
            </label>
            {pointSearch ? (
              <label>
                {t("reportsPage.range.point")}
                <input
                  type="search"
                  name="point"
                  maxLength={60}
                  placeholder={t("reportsPage.range.pointHint")}
                  autoComplete="off"
                />
              </label>
            ) : null}
          </div>
        </fieldset>
        <button type="submit" className="button button-primary">
          {t("reportsPage.range.show")}
        </button>
      </Form>
      {pointSearch && keep.pointId ? (
        <p>
          <Link to={`?${new URLSearchParams(kept.filter(([name]) => name !== "pointId"))}`}>
            {t("reportsPage.range.allPoints")}
          </Link>
        </p>
      ) : null}
    </section>
  );
}

interface HydrateOptions {
  on: Record<string, (params: { dataIndex?: number }) => void>;
}

/**
 * A chart drawn on the server (charts.server.ts) and, once ECharts' 2 KB client runtime has loaded, linked
 * to the table beside it: tapping or pointing at a bar marks its row. Without script the chart and the
 * table are all there.
 */
export function ChartWithTable({
  title,
  svg,
  children,
}: {
  title: string;
  svg: string | null;
  /** The table: its body rows carry data-index, in the chart's order. */
  children: ReactNode;
}) {
  const { t } = useStaffTranslation();
  const id = useId();
  const chartRef = useRef<HTMLDivElement>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const dom = chartRef.current;
    if (!svg || !dom) return;
    let cancelled = false;
    import("echarts/ssr/client/index")
      .then((runtime) => {
        if (cancelled) return;
        const { hydrate } = runtime as unknown as { hydrate(dom: Element, options: HydrateOptions): void };
        const mark = (index: number | undefined) => {
          for (const row of tableRef.current?.querySelectorAll<HTMLElement>("tr[data-index]") ?? []) {
            const hit = index !== undefined && Number(row.dataset.index) === index;
            row.classList.toggle("row-marked", hit);
            if (hit) row.setAttribute("aria-current", "true");
            else row.removeAttribute("aria-current");
          }
        };
        hydrate(dom, { on: { click: (p) => mark(p.dataIndex), mouseover: (p) => mark(p.dataIndex) } });
      })
      // The chart still shows; only the link to the table is missing.
      .catch(() => {});
    return () => {
      cancelled = true;
    };
  }, [svg]);
  return (
    <section className="report-block" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <div className="report-pair">
        {svg ? (
          <figure className="report-chart">
            {/* ECharts' SVG, drawn by our server from our own figures. */}
            <div ref={chartRef} role="img" aria-label={title} dangerouslySetInnerHTML={{ __html: svg }} />
            <figcaption className="muted">{t("reportsPage.chartHint")}</figcaption>
          </figure>
        ) : null}
        <div ref={tableRef} className="report-table-wrap">
          {children}
        </div>
      </div>
    </section>
  );
}

/** A headline figure. */
export function Kpi({ label, children, note }: { label: string; children: ReactNode; note?: string }) {
  return (
    <div className="kpi">
      <span className="kpi-label">{label}</span>
      <span className="kpi-value">{children}</span>
      {note ? <span className="kpi-note muted">{note}</span> : null}
    </div>
  );
}
