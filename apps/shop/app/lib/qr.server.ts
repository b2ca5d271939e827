import QRCode from "qrcode";

/**
 * A QR code as inline SVG, drawn on the server: no script, no image request, sharp on any printer.
 * Medium error correction survives a smudged or creased slip.
 */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, {
    type: "svg",
    errorCorrectionLevel: "M",
    margin: 1,
    color: { dark: "#000000", light: "#ffffff" },
  });
}
