import { describe, expect, it } from "vitest";
import { renderChart, withoutInlineStyles, yuanAxisLabel } from "./charts.server";

const input = {
  categories: ["鸡蛋", "茶油", "腊肉"],
  series: [{ name: "收入", values: [12, 30, 7.5] }],
  kind: "bar" as const,
  horizontal: true,
  title: "卖得最好的",
};

describe("charts drawn on the server", () => {
  it("draw SVG the shop's CSP lets through: no style attribute, no <style> block", () => {
    for (const chart of [
      input,
      { ...input, kind: "line" as const, horizontal: false },
      { ...input, series: [...input.series, { name: "去年", values: [1, 2, 3] }] },
    ]) {
      const svg = renderChart(chart, "zh-CN")!;
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg).not.toMatch(/\sstyle=/);
      expect(svg).not.toContain("<style");
      // The text keeps its size and Chinese font as attributes.
      expect(svg).toContain('font-size="13px"');
      expect(svg).toMatch(/font-family="Noto Sans CJK SC, [^"]+"/);
      // Every bar or point is linked to its table row by its index.
      expect(svg).toContain('ecmeta_data_index="2"');
    }
  });

  it("turn style declarations into presentation attributes and drop the rest", () => {
    expect(withoutInlineStyles('<text style="font-size:13px;position:absolute;fill:#123;">x</text>')).toBe(
      '<text font-size="13px" fill="#123">x</text>',
    );
    expect(withoutInlineStyles('<svg><style>.a:hover{fill:red}</style><path class="a"/></svg>')).toBe(
      '<svg><path class="a"/></svg>',
    );
  });

  it("draw nothing for no rows, and label a Chinese axis in 万", () => {
    expect(renderChart({ ...input, categories: [], series: [] }, "zh-CN")).toBeNull();
    expect(yuanAxisLabel(25_000, "zh-CN")).toBe("2.5万");
    expect(yuanAxisLabel(2_500, "en")).toBe("2.5k");
  });
});
