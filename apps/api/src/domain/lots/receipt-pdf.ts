import { existsSync } from "node:fs";
import type { ReceiptOptions, ReceiptView } from "@coop/shared/receipt";
import PDFDocument from "pdfkit";
import SVGtoPDF from "svg-to-pdfkit";
import { ApiError } from "../../lib/errors";
import { receiptSvg } from "./receipt-render";

/**
 * A Chinese font is needed to print Chinese. None ships with Node, so the receipt uses one installed on the
 * machine: RECEIPT_FONT_PATH, or Debian's fonts-noto-cjk. A .ttc collection names the face to use.
 */
const FONT_CANDIDATES: Array<{ path: string; face?: string }> = [
  { path: "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", face: "NotoSansCJKsc-Regular" },
  { path: "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", face: "NotoSerifCJKsc-Regular" },
  { path: "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", face: "WenQuanYiMicroHei" },
];

export function findReceiptFont(configured?: string): { path: string; face?: string } | null {
  if (configured) return existsSync(configured) ? { path: configured } : null;
  return FONT_CANDIDATES.find((f) => existsSync(f.path)) ?? null;
}

/** 80 mm paper is 226 pt wide; 58 mm paper 164 pt. */
const PAGE_WIDTH_PT = { 58: 164, 80: 226 } as const;

/**
 * The intake receipt (收货单) as a PDF: the ReceiptLine template drawn as SVG, placed on a page as wide as
 * the paper and as long as the receipt, with the Chinese font the machine has. The PDF and the thermal
 * printer's paper come from the same document, so they say the same things.
 */
export async function renderReceiptPdf(
  view: ReceiptView,
  options: ReceiptOptions,
  fontPath?: string,
): Promise<Buffer> {
  const font = findReceiptFont(fontPath);
  if (!font) {
    throw new ApiError(
      "SERVICE_UNAVAILABLE",
      "No Chinese font is installed for PDF receipts: install fonts-noto-cjk or set RECEIPT_FONT_PATH. The printable page works meanwhile.",
    );
  }
  const svg = receiptSvg(view, options);
  const size = /<svg width="(\d+)px" height="(\d+)px"/.exec(svg);
  const svgWidth = Number(size?.[1] ?? 576);
  const svgHeight = Number(size?.[2] ?? 800);
  const margin = 8;
  const width = PAGE_WIDTH_PT[options.width];
  const scale = (width - 2 * margin) / svgWidth;
  const height = Math.ceil(svgHeight * scale + 2 * margin);

  const doc = new PDFDocument({
    size: [width, height],
    margin,
    info: { Title: `收货单 ${view.lotNo}${options.reprint ? "（补打）" : ""}` },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.registerFont("cjk", font.path, font.face as string);
  SVGtoPDF(doc, svg, margin, margin, {
    width: width - 2 * margin,
    height: height - 2 * margin,
    // The receipt's text is all drawn in the one CJK font (bold is simulated by a stroke).
    fontCallback: () => "cjk",
  });
  doc.end();
  return done;
}
