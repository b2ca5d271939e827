import * as echarts from "echarts";

// Charts are drawn on the server as SVG by Apache ECharts (decision 0044): the page shows them before any
// script runs, on a slow line they cost a few KB, and the browser needs only ECharts' 2 KB hydration runtime
// (ReportChart.tsx) to link a bar to its row in the table beside it.

/** Drawn at a phone's width; the SVG scales with its box (viewBox), so text stays readable on a phone. */
const WIDTH = 420;
// Unquoted: the family goes into an SVG attribute, where a quote would end it.
const FONT = "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif";
const INK = "#1f2933";
const BAR = "#1b6b3a";
const SECOND = "#c2410c";

export interface ChartSeries {
  name: string;
  /** One value per category, in yuan (the axis shows yuan; the tables keep fen). */
  values: number[];
}

export interface ChartInput {
  /** Category labels (days, products, points), in the order of the table rows. */
  categories: string[];
  series: ChartSeries[];
  /** Bars (for categories) or a line (for days over a range). */
  kind: "bar" | "line";
  /** Horizontal bars: long Chinese names fit on the left. */
  horizontal?: boolean;
  /** Text read out by screen readers and shown if the SVG cannot be. */
  title: string;
}

/** ¥ with 万 (ten thousand) for large sums, as a Chinese reader expects on an axis. */
export function yuanAxisLabel(yuan: number, lang: string): string {
  if (lang.startsWith("zh") && Math.abs(yuan) >= 10_000) return `${+(yuan / 10_000).toFixed(1)}万`;
  if (!lang.startsWith("zh") && Math.abs(yuan) >= 1000) return `${+(yuan / 1000).toFixed(1)}k`;
  return String(Math.round(yuan));
}

/** The chart as an SVG string, or null when there is nothing to draw. */
export function renderChart(input: ChartInput, lang: string): string | null {
  if (input.categories.length === 0) return null;
  const horizontal = input.horizontal ?? false;
  const rows = input.categories.length;
  const height = horizontal ? Math.max(160, 48 + rows * 30) : 260;
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: WIDTH, height });
  try {
    const valueAxis = {
      type: "value" as const,
      axisLabel: { formatter: (v: number) => yuanAxisLabel(v, lang), fontSize: 13, color: INK },
      splitLine: { lineStyle: { color: "#d9dee3" } },
    };
    const categoryAxis = {
      type: "category" as const,
      data: input.categories,
      inverse: horizontal,
      axisLabel: {
        fontSize: 13,
        color: INK,
        width: horizontal ? 110 : undefined,
        overflow: horizontal ? ("truncate" as const) : undefined,
        hideOverlap: true,
      },
      axisTick: { alignWithLabel: true },
    };
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: FONT, color: INK },
      aria: { enabled: true, label: { description: input.title } },
      grid: { left: horizontal ? 120 : 52, right: 16, top: input.series.length > 1 ? 36 : 16, bottom: 32 },
      legend: input.series.length > 1 ? { top: 0, textStyle: { fontSize: 13 } } : undefined,
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: input.series.map((s, i) => ({
        name: s.name,
        type: input.kind,
        data: s.values,
        itemStyle: { color: i === 0 ? BAR : SECOND },
        lineStyle: input.kind === "line" ? { width: 3, color: i === 0 ? BAR : SECOND } : undefined,
        symbolSize: input.kind === "line" ? 6 : undefined,
        barMaxWidth: 28,
        // ECharts draws emphasis as a <style> block, which the shop's CSP (style-src 'self') refuses; the
        // hover look is in styles.css (.report-chart [ecmeta_data_index]).
        emphasis: { disabled: true },
      })),
    });
    return withoutInlineStyles(chart.renderToSVGString({ useViewBox: true }));
  } finally {
    chart.dispose();
  }
}

/** SVG presentation attributes: what a style="" declaration of ECharts' may become without inline CSS. */
const PRESENTATION = new Set([
  "fill",
  "fill-opacity",
  "font-family",
  "font-size",
  "font-style",
  "font-weight",
  "opacity",
  "stroke",
  "stroke-opacity",
  "stroke-width",
  "cursor",
]);

/**
 * The shop's Content-Security-Policy (style-src 'self') refuses inline styles, so every style="" ECharts
 * writes becomes presentation attributes (font-size="13px"), which are markup, not CSS; anything else in a
 * style attribute, and any <style> block, is dropped.
 */
export function withoutInlineStyles(svg: string): string {
  return svg
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, "")
    .replace(/ style="([^"]*)"/g, (_all, css: string) =>
      css
        .split(";")
        .map((declaration) => {
          const colon = declaration.indexOf(":");
          if (colon < 0) return "";
          const name = declaration.slice(0, colon).trim().toLowerCase();
          const value = declaration.slice(colon + 1).trim();
          if (!PRESENTATION.has(name) || !value || /["<>&]/.test(value)) return "";
          return ` ${name}="${value}"`;
        })
        .join(""),
    );
}
