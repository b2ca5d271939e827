import { type ReceiptOptions, type ReceiptView, receiptDocument, receiptPrinter } from "@coop/shared/receipt";
import { transform } from "receiptline";

/**
 * ESC/POS bytes for the point's thermal printer, from the one receipt template. The printer's own GB18030
 * Chinese font prints the text (no image to rasterise: fast and sharp on cheap 58 mm printers).
 * receiptline answers a "binary" string: one character per byte.
 */
export function receiptEscpos(view: ReceiptView, options: ReceiptOptions): Uint8Array<ArrayBuffer> {
  const commands = transform(receiptDocument(view, options), {
    ...receiptPrinter(options.width),
    command: "escpos",
    cutting: true,
  });
  return new Uint8Array(Buffer.from(commands, "binary"));
}

/** The same receipt as SVG (for the PDF and the screen), at the printer's 12 px per half-width character. */
export function receiptSvg(view: ReceiptView, options: ReceiptOptions): string {
  return transform(receiptDocument(view, options), { ...receiptPrinter(options.width), command: "svg" });
}
