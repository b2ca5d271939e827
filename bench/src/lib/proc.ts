import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second for /proc/<pid>/stat (100 on Linux x86-64). */
const TICKS = 100;

/** Peak (VmHWM) and current (VmRSS) resident memory of a process, in kB; NaN once it has gone. */
export function memoryOf(pid: number): { hwmKb: number; rssKb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const get = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
    return { hwmKb: get("VmHWM"), rssKb: get("VmRSS") };
  } catch {
    return { hwmKb: Number.NaN, rssKb: Number.NaN };
  }
}

function statOf(
  pid: number | string,
): { comm: string; cpuSeconds: number; ownCpuSeconds: number; ppid: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = text.lastIndexOf(")");
    const comm = text.slice(text.indexOf("(") + 1, close);
    const fields = text.slice(close + 2).split(" ");
    // After "(comm) ": state ppid … utime is field 14 overall, i.e. index 11 here; stime index 12.
    // utime, stime, then cutime, cstime: CPU of children already reaped (a PostgreSQL backend that ended
    // between two samples moves from its own counters to the postmaster's, so the sum is conserved).
    const own = Number(fields[11]) + Number(fields[12]);
    const children = Number(fields[13]) + Number(fields[14]);
    return {
      comm,
      ppid: Number(fields[1]),
      cpuSeconds: (own + children) / TICKS,
      ownCpuSeconds: own / TICKS,
    };
  } catch {
    return null;
  }
}

/** This process and the children it has reaped (pgbench), for the load generator's share. */
export function selfCpuSeconds(): number {
  return statOf("self")?.cpuSeconds ?? Number.NaN;
}

export function cpuSecondsOf(pid: number): number {
  return statOf(pid)?.cpuSeconds ?? Number.NaN;
}

/**
 * When set, postgresCpuSeconds counts only this database's backends and the server's own background
 * processes (WAL writer, checkpointer…), each without reaped children: on a machine whose PostgreSQL also
 * serves other work (tests of other checkouts), their backends would otherwise be counted as ours. Only for
 * servers under test that keep their connections (a pool), so no backend of ours ends between two samples.
 */
let scopedDatabase: string | null = null;
export function scopePostgresCpu(database: string | null): void {
  scopedDatabase = database;
}

const BACKEND = /^postgres: (?:\S+: )?\S+ (\S+) (?:\d+\.\d+\.\d+\.\d+|\[local\]|[0-9a-f:]+)(?:\(\d+\))? /;

/** CPU seconds used so far by every PostgreSQL server process (backends, WAL writer, checkpointer…). */
export function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const s = statOf(entry);
    if (s?.comm !== "postgres") continue;
    if (scopedDatabase === null) {
      total += s.cpuSeconds;
      continue;
    }
    let cmdline = "";
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
    } catch {
      continue;
    }
    if (!cmdline.startsWith("postgres: ")) continue; // the postmaster: its reaped children are anyone's
    const backend = BACKEND.exec(cmdline);
    if (backend && backend[1] !== scopedDatabase) continue;
    total += s.ownCpuSeconds;
  }
  return total;
}

/** A process and all its descendants (for the memory of a whole `pnpm dev` tree). */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const s = statOf(entry);
    if (!s) continue;
    const list = children.get(s.ppid) ?? [];
    list.push(Number(entry));
    children.set(s.ppid, list);
  }
  const out: number[] = [];
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Samples the memory of some processes every `everyMs` until stopped; keeps each one's peak RSS. */
export class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  readonly peakRssKb = new Map<number, number>();
  /** The largest sum of the sampled processes' RSS at one moment (processes alive at the same time). */
  peakTotalKb = 0;
  constructor(private readonly pids: () => number[]) {}
  start(everyMs = 200): this {
    const sample = () => {
      let total = 0;
      for (const pid of this.pids()) {
        const { rssKb } = memoryOf(pid);
        if (!Number.isFinite(rssKb)) continue;
        total += rssKb;
        this.peakRssKb.set(pid, Math.max(this.peakRssKb.get(pid) ?? 0, rssKb));
      }
      this.peakTotalKb = Math.max(this.peakTotalKb, total);
    };
    sample();
    this.timer = setInterval(sample, everyMs);
    return this;
  }
  stop(): void {
    clearInterval(this.timer);
  }
}
