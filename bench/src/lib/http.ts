import autocannon from "autocannon";
import { type Summary, summarize } from "./stats";

export interface HttpTarget {
  /** http://127.0.0.1:port — the benchmarks only ever target this machine. */
  url: string;
  connections: number;
}

export interface HttpLoad {
  method?: "GET" | "POST";
  /** Called for every request: the path (and body) to send. */
  next: () => { path: string; body?: string; headers?: Record<string, string> };
  headers?: Record<string, string>;
  seconds: number;
  /** Upper bound on requests per target, whatever the duration. */
  maxRequests?: number;
  /** Also return every successful response's latency (to pool alternating rounds). */
  keepLatencies?: boolean;
  /** Ends the load early (every target) once this holds of the answers so far, e.g. a sale sold out. */
  stopWhen?: (status: Record<string, number>) => boolean;
}

/**
 * Closed-loop HTTP load with autocannon (programmatic API), one instance per target running at the same time
 * (two API processes = two targets sharing the clients). Latencies come from every response; only 2xx count
 * toward throughput, anything else is an error.
 */
export async function httpLoad(
  targets: HttpTarget[],
  load: HttpLoad,
): Promise<Summary & { status: Record<string, number>; latencies?: number[]; okSpanSeconds: number }> {
  const latencies: number[] = [];
  // The load generator's clock of the first and the last 2xx answer.
  let firstOk = Number.NaN;
  let lastOk = Number.NaN;
  let errors = 0;
  const status: Record<string, number> = {};
  const started = performance.now();
  const instances: autocannon.Instance[] = [];
  let stopped = false;
  await Promise.all(
    targets
      .filter((t) => t.connections > 0)
      .map(async (target) => {
        const host = new URL(target.url).hostname;
        if (host !== "127.0.0.1" && host !== "localhost") throw new Error(`refusing to load ${host}`);
        let finish!: (r: autocannon.Result) => void;
        let fail!: (e: unknown) => void;
        const done = new Promise<autocannon.Result>((resolve, reject) => {
          finish = resolve;
          fail = reject;
        });
        const instance = autocannon(
          {
            url: target.url,
            connections: target.connections,
            pipelining: 1,
            duration: load.seconds,
            // Bounded in time (duration) and in count (maxOverallRequests); `amount` would override duration.
            maxOverallRequests: load.maxRequests ?? 200_000,
            timeout: 30,
            headers: { "content-type": "application/json", ...load.headers },
            requests: [
              {
                method: load.method ?? "GET",
                setupRequest: (req) => {
                  const { path, body, headers } = load.next();
                  return {
                    ...req,
                    path,
                    ...(body !== undefined ? { body } : {}),
                    ...(headers ? { headers: { ...req.headers, ...headers } } : {}),
                  };
                },
              },
            ],
          },
          (err, res) => (err ? fail(err) : finish(res)),
        );
        instance.on(
          "response",
          (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
            status[statusCode] = (status[statusCode] ?? 0) + 1;
            if (statusCode >= 200 && statusCode < 300) {
              latencies.push(responseTime);
              lastOk = performance.now();
              if (Number.isNaN(firstOk)) firstOk = lastOk;
            } else errors++;
            if (!stopped && load.stopWhen?.(status)) {
              stopped = true;
              for (const i of instances) i.stop();
            }
          },
        );
        instances.push(instance);
        // A hard stop in case the instance does not end by itself.
        const guard = setTimeout(() => instance.stop(), (load.seconds + 15) * 1000);
        const result = await done.finally(() => clearTimeout(guard));
        errors += result.errors + result.timeouts;
      }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    ...summarize(latencies, errors, stopped ? seconds : Math.max(seconds, load.seconds)),
    status,
    okSpanSeconds: (lastOk - firstOk) / 1000,
    ...(load.keepLatencies ? { latencies } : {}),
  };
}
