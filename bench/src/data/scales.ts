export type ScaleName = "small" | "prefecture";

export interface Scale {
  name: ScaleName;
  servicePoints: number;
  consignors: number;
  products: number;
  lots: number;
  orders: number;
}

/**
 * Prefecture scale is the figure (3,000 points, 50,000 villagers, 5,000 products, 1,000,000 lots,
 * ~5,000,000 stock ledger lines, 500,000 orders). Small is 1/100 of it, except the catalog, kept at 1/10 so
 * that "spread" orders from 64 clients still land on different rows.
 */
export const SCALES: Record<ScaleName, Scale> = {
  small: { name: "small", servicePoints: 30, consignors: 500, products: 500, lots: 10_000, orders: 5_000 },
  prefecture: {
    name: "prefecture",
    servicePoints: 3_000,
    consignors: 50_000,
    products: 5_000,
    lots: 1_000_000,
    orders: 500_000,
  },
};

export function parseScale(value: string | undefined): Scale {
  const scale = SCALES[(value ?? "small") as ScaleName];
  if (!scale) throw new Error(`--scale must be small or prefecture, not ${value}`);
  return scale;
}

/** The generated history ends here (2026-11-01 00:00 China time) and covers the year before it. */
export const HISTORY_END_MS = Date.UTC(2026, 9, 31, 16, 0, 0);
export const HISTORY_DAYS = 365;
export const DAY_MS = 86_400_000;
export const HISTORY_START_MS = HISTORY_END_MS - HISTORY_DAYS * DAY_MS;
/** The last whole month of the history (October 2026, China time): the statement and settlement month. */
export const STATEMENT_MONTH = {
  from: new Date(Date.UTC(2026, 8, 30, 16, 0, 0)),
  to: new Date(HISTORY_END_MS),
  label: "2026-10",
};
export const DEFAULT_SEED = 20_261_123;
export const BENCH_COOP_CODE = "BENCH";
/** The benchmark co-op's delivery settings: ¥10, free from ¥199 (the fee itself: @coop/shared deliveryFeeFen). */
export const BENCH_DELIVERY = { deliveryFeeFen: 1_000, freeDeliveryOverFen: 19_900 } as const;
/** Every generated staff user shares this password (one Argon2id hash, computed once). */
export const BENCH_PASSWORD = "bench-password-2026";
export const BENCH_ADMIN_LOGIN = "bench-admin";
