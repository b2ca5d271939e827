import { PublicLot, ReceiptShown } from "@coop/shared/receipt";
import { ApiError } from "./api.server";
import type { ApiCall, RawCall } from "./staff-api.server";

export type ReceiptWidth = 58 | 80;

const path = (part: string) => encodeURIComponent(part);

/** The receipt and public-lot calls of the API client (printing, the villager's own page). */
export function receiptApi(call: ApiCall, raw: RawCall) {
  return {
    /** The villager's page of one lot, by the signed token of the receipt's QR code; null when not valid. */
    async publicLot(token: string): Promise<PublicLot | null> {
      try {
        return await call(`/v1/public/lots/${path(token)}`, PublicLot);
      } catch (error) {
        if (error instanceof ApiError && (error.status === 404 || error.status === 400)) return null;
        throw error;
      }
    },
    /** Logs that the receipt was shown on screen; answers its QR link and how many paper copies exist. */
    receiptShown(token: string, lotId: string): Promise<ReceiptShown> {
      return call(`/v1/lots/${path(lotId)}/receipt-prints`, ReceiptShown, {
        method: "POST",
        token,
        body: { format: "screen" },
      });
    },
    lotReceiptEscpos(token: string, lotId: string, width: ReceiptWidth) {
      return raw(`/v1/lots/${path(lotId)}/receipt.escpos?width=${width}`, token);
    },
    lotReceiptPdfFor(token: string, lotId: string, width: ReceiptWidth) {
      return raw(`/v1/lots/${path(lotId)}/receipt.pdf?width=${width}`, token);
    },
  };
}

/** "58" or "80" from a query string; 80 mm otherwise (the common counter printer). */
export function receiptWidthOf(url: URL): ReceiptWidth {
  return url.searchParams.get("width") === "58" ? 58 : 80;
}
