/**
 * The villager's intake receipt (收货单) written once as a ReceiptLine document
 * (https://www.ofsc.or.jp/receiptline/en/). The same text becomes ESC/POS bytes for the service point's
 * 58/80 mm thermal printer and SVG for the PDF and the screen (receiptline's `transform`), so the paper, the
 * PDF and the screen can never disagree. Pure and dependency-free: the API, the browser and an offline
 * screen (before the lot reaches the server) build the same document from plain data.
 */

import { chinaDateTime as chinaTime } from "../china-time";
import { type BaseUnit, UNIT_LABELS } from "../units";

/** Everything the receipt prints, as plain data (no database rows, no Date objects). */
export interface ReceiptView {
  coopName: string;
  lotNo: string;
  /** The villager's public page for this lot (the QR code); null before the lot has reached the server. */
  lotUrl: string | null;
  /** As registered; the paper shows only the first character ("张*"). */
  villagerName: string;
  /** As registered; the paper shows "138****5678". */
  villagerPhone: string;
  productName: string;
  /** Already in words, e.g. "30 个" or "5 斤（2500 克）" (receiptQuantityText). */
  quantityText: string;
  grade: string | null;
  /** YYYY-MM-DD */
  bestBefore: string | null;
  qcPassed: boolean;
  qcReason: string | null;
  /** ISO 8601 instant of the intake. */
  takenInAt: string;
  servicePointName: string;
  agentName: string | null;
}

export type ReceiptWidth = 58 | 80;

export interface ReceiptOptions {
  /** Set on every print after the first: the paper says 补打 with this time, so a copy is never a second intake. */
  reprint: { at: string } | null;
  width: ReceiptWidth;
}

/** Characters per line (half-width; a Chinese character takes two) of the common thermal printers. */
export const RECEIPT_CPL: Record<ReceiptWidth, number> = { 58: 32, 80: 48 };

/** The ReceiptLine printer settings for a paper width: GB18030 so the printer's own Chinese font is used. */
export function receiptPrinter(width: ReceiptWidth) {
  return { cpl: RECEIPT_CPL[width], encoding: "gb18030" as const };
}

/** "张三丰" → "张*": enough for the villager to recognise their slip, too little to identify them. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return "";
  return `${chars[0]}*`;
}

/** "13812345678" → "138****5678". */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  return digits.length === 11 ? `${digits.slice(0, 3)}****${digits.slice(7)}` : "";
}

/** "30 个", or for weighed goods "5 斤（2500 克）" when it comes to whole 0.1 斤: how the paper says a quantity. */
export function receiptQuantityText(quantity: number, unit: BaseUnit): string {
  return unit === "gram" && quantity % 50 === 0
    ? `${quantity / 500} 斤（${quantity} 克）`
    : `${quantity} ${UNIT_LABELS[unit].zh}`;
}

/** China wall-clock time (china-time.ts), as "2026-11-23 14:05". */
export { chinaTime };

/** Text from people (names, reasons) must never be read as ReceiptLine markup. */
function text(value: string): string {
  return value.replace(/[\r\n\t]+/g, " ").replace(/[\\|{}\-=~_"`^]/g, (c) => `\\${c}`);
}

function propertyValue(value: string): string {
  return value.replace(/[\\|{};]/g, (c) => `\\${c}`);
}

/** The words a failed-QC receipt says instead of how the goods will be settled. */
export const RETURNED_WORDS = "货已退回";

export function receiptDocument(view: ReceiptView, options: ReceiptOptions): string {
  const wide = options.width === 80;
  const rows: Array<[string, string]> = [
    ["村民", [maskName(view.villagerName), maskPhone(view.villagerPhone)].filter(Boolean).join(" ")],
    ["货品", view.productName],
    ["数量", view.quantityText],
    ["等级", view.grade ? `${view.grade} 级` : "不分级"],
  ];
  if (view.bestBefore) rows.push(["保质期至", view.bestBefore]);
  rows.push(
    ["质检", view.qcPassed ? "合格" : `不合格：${view.qcReason ?? ""}`],
    ["时间", chinaTime(view.takenInAt)],
    ["服务点", view.servicePointName],
    ["代办员", view.agentName ?? ""],
  );

  const lines: string[] = [
    text(view.coopName),
    // ^^ doubles the height only: a Chinese line stays within 58 mm paper.
    `^^${text("收货单·代销")}`,
  ];
  if (options.reprint) {
    // Bold and tall rather than inverted: the PDF renderer cannot draw receiptline's invert filter.
    lines.push(`^^"【补打】`, text(`补打时间 ${chinaTime(options.reprint.at)}`));
  }
  lines.push(
    "",
    "收货编号",
    // The intake number is what the villager reads out: as large as the paper allows.
    `${wide ? "^^^" : "^^"}"${text(view.lotNo)}`,
    "",
  );
  if (view.lotUrl) {
    lines.push(
      `{code:${propertyValue(view.lotUrl)}; option:qrcode,${wide ? 6 : 5},m}`,
      "",
      "扫码查看这批货的去向和收入",
    );
  }
  lines.push("{width:10,*; border:space}", "-");
  for (const [label, value] of rows) lines.push(`|${text(label)} |${text(value) || "~"} |`);
  lines.push("{width:*}", "-");
  if (!view.qcPassed) {
    // Short lines: 16 Chinese characters fill a 58 mm line.
    lines.push(`^^"${RETURNED_WORDS}`, "质检不合格，货已当场退还村民。", "不代销，不结算。");
  } else {
    lines.push("卖出后按售价扣除佣金结算，", "凭此单查询明白账。");
  }
  lines.push("", "|村民签字：\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_", "");
  return lines.join("\n");
}
