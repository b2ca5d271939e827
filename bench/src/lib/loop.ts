import { cpuSecondsOf, postgresCpuSeconds, selfCpuSeconds } from "./proc";
import { type Summary, summarize } from "./stats";

export interface CpuSplit {
  /** CPU seconds per 1,000 successful operations. */
  postgresPer1k: number;
  serverPer1k: number;
  loadGeneratorPer1k: number;
  /** Share of the machine's cores in use during the run (2 cores = 200 %). */
  postgresPct: number;
  serverPct: number;
  loadGeneratorPct: number;
}

export interface Measured extends Summary {
  cpu: CpuSplit;
}

/**
 * Measures CPU around a run: PostgreSQL's processes, the server processes under test (if any) and this
 * process (the load generator), from /proc.
 */
export async function withCpu<T extends Summary>(
  serverPids: number[],
  run: () => Promise<T>,
): Promise<T & { cpu: CpuSplit }> {
  const pg0 = postgresCpuSeconds();
  const srv0 = serverPids.reduce((s, pid) => s + cpuSecondsOf(pid), 0);
  const me0 = selfCpuSeconds();
  const started = performance.now();
  const result = await run();
  const wall = (performance.now() - started) / 1000;
  const pg = postgresCpuSeconds() - pg0;
  const srv = serverPids.reduce((s, pid) => s + cpuSecondsOf(pid), 0) - srv0;
  const lg = selfCpuSeconds() - me0;
  const per1k = (cpu: number) => (result.count > 0 ? (cpu * 1000) / result.count : Number.NaN);
  return {
    ...result,
    cpu: {
      postgresPer1k: per1k(pg),
      serverPer1k: serverPids.length ? per1k(srv) : Number.NaN,
      loadGeneratorPer1k: per1k(lg),
      postgresPct: (pg / wall) * 100,
      serverPct: serverPids.length ? (srv / wall) * 100 : Number.NaN,
      loadGeneratorPct: (lg / wall) * 100,
    },
  };
}

/**
 * A closed loop: `clients` workers each run `op` back to back until `durationMs` has passed or `maxOps`
 * operations have been started, whichever comes first. Every loop is bounded in count and in time.
 */
export async function closedLoop(options: {
  clients: number;
  durationMs: number;
  maxOps?: number;
  op: (worker: number, i: number) => Promise<void>;
}): Promise<Summary> {
  const latencies: number[] = [];
  let errors = 0;
  let started = 0;
  const maxOps = options.maxOps ?? 2_000_000;
  const begin = performance.now();
  const end = begin + options.durationMs;
  const firstErrors: string[] = [];
  const worker = async (w: number) => {
    while (performance.now() < end && started < maxOps) {
      const i = started++;
      const t0 = performance.now();
      try {
        await options.op(w, i);
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors++;
        if (firstErrors.length < 3) firstErrors.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, w) => worker(w)));
  const seconds = (performance.now() - begin) / 1000;
  if (firstErrors.length) console.log(`    errors (${errors}): ${firstErrors.join(" | ")}`);
  return summarize(latencies, errors, seconds);
}
