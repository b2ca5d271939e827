import type { ApiClient } from "./api.server";

const LOT_ID = /\blot_[0-9a-z]{26}\b/;
/** "HS01-20261123-0007": the point's code without "SP-", the China date, a running number. */
const LOT_NO = /^([A-Z0-9]+(?:-[A-Z0-9]+)*)-(\d{8})-(\d{4})$/;
const MAX_PAGES = 5;

/**
 * The lot someone typed or scanned: a lot id (or a URL holding one, as the slip's QR code gives), or an
 * intake number. The API finds lots by id only, so an intake number is looked up among its service
 * point's lots, newest first, stopping once past its day (at most a few pages).
 */
export async function findLotId(api: ApiClient, token: string, typed: string): Promise<string | null> {
  const text = typed.trim();
  const id = LOT_ID.exec(text)?.[0];
  if (id) return id;
  const match = LOT_NO.exec(text.toUpperCase());
  if (!match) return null;
  const [lotNo, code, day] = [match[0], match[1]!, match[2]!];
  const points = await api.listServicePoints();
  const point = points.find((p) => p.code === `SP-${code}` || p.code === code);
  if (!point) return null;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await api.listLots(token, { servicePointId: point.id, cursor });
    const found = result.items.find((lot) => lot.lotNo === lotNo);
    if (found) return found.id;
    const oldest = result.items.at(-1);
    if (!result.nextCursor || (oldest && oldest.lotNo.split("-").at(-2)! < day)) return null;
    cursor = result.nextCursor;
  }
  return null;
}
