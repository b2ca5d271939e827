/** Latency samples in milliseconds → the figures the report prints. */
export interface Summary {
  count: number;
  errors: number;
  seconds: number;
  /** Successful operations per second. */
  throughput: number;
  p50: number;
  p99: number;
  max: number;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarize(latencies: Float64Array | number[], errors: number, seconds: number): Summary {
  const sorted = Float64Array.from(latencies).sort();
  return {
    count: sorted.length,
    errors,
    seconds,
    throughput: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

export const fmt = {
  rate: (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en") : "–"),
  ms: (n: number) =>
    Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n).toString()) : "–",
  ratio: (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : "–"),
  mb: (kb: number) => (Number.isFinite(kb) ? `${Math.round(kb / 1024)} MB` : "–"),
};
