import { existsSync } from "node:fs";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import { ApiError } from "../../lib/errors";

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

export interface ReceiptData {
  coopName: string;
  lotNo: string;
  lotUrl: string;
  villagerName: string;
  villagerPhone: string;
  productName: string;
  quantityText: string;
  grade: string | null;
  bestBefore: string | null;
  qcPassed: boolean;
  qcReason: string | null;
  takenInAt: Date;
  agentName: string | null;
  servicePointName: string;
}

const chinaTime = (d: Date) =>
  new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " ");

/** The intake receipt (收货单) as a PDF for an 80 mm receipt printer: large intake number and a QR code. */
export async function renderReceiptPdf(data: ReceiptData, fontPath?: string): Promise<Buffer> {
  const font = findReceiptFont(fontPath);
  if (!font) {
    throw new ApiError(
      "SERVICE_UNAVAILABLE",
      "No Chinese font is installed for PDF receipts: install fonts-noto-cjk or set RECEIPT_FONT_PATH. The printable page works meanwhile.",
    );
  }
  const width = 226; // 80 mm
  const doc = new PDFDocument({ size: [width, 420], margin: 14, info: { Title: `收货单 ${data.lotNo}` } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));

  doc.registerFont("cjk", font.path, font.face as string);
  doc.font("cjk");
  doc.fontSize(10).text(data.coopName, { align: "center" });
  doc.fontSize(14).text("收货单 · 代销", { align: "center" });
  doc.moveDown(0.3);
  doc.fontSize(8).text("收货编号", { align: "center" });
  doc.fontSize(15).text(data.lotNo, { align: "center" });

  const qr = QRCode.create(data.lotUrl, { errorCorrectionLevel: "M" });
  const cells = qr.modules.size;
  const cell = Math.floor(96 / cells) || 1;
  const x0 = (width - cell * cells) / 2;
  const y0 = doc.y + 4;
  for (let r = 0; r < cells; r++) {
    for (let c = 0; c < cells; c++)
      if (qr.modules.get(r, c)) doc.rect(x0 + c * cell, y0 + r * cell, cell, cell);
  }
  doc.fill("#000");
  doc.y = y0 + cell * cells + 8;
  doc.x = 14;

  const line = (label: string, value: string) => doc.fontSize(10).text(`${label}：${value}`);
  line(
    "村民",
    `${data.villagerName}（${data.villagerPhone.slice(0, 3)}****${data.villagerPhone.slice(-4)}）`,
  );
  line("货品", data.productName);
  line("数量", data.quantityText);
  if (data.grade) line("等级", `${data.grade} 级`);
  if (data.bestBefore) line("保质期至", data.bestBefore);
  line("质检", data.qcPassed ? "合格" : `不合格，已退回：${data.qcReason ?? ""}`);
  line("时间", chinaTime(data.takenInAt));
  line("服务点", data.servicePointName);
  line("代办员", data.agentName ?? "");
  doc.moveDown(1);
  doc.fontSize(10).text("村民签字：____________");
  doc.moveDown(0.5);
  doc.fontSize(8).text("卖出后按售价扣除佣金结算，凭此单查询明白账。", { align: "center" });
  doc.end();
  return done;
}
