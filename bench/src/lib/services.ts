import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(fileURLToPath(new URL("../../..", import.meta.url)));
export const BENCH_DIR = path.join(REPO_ROOT, "bench");
export const LOG_DIR = path.join(REPO_ROOT, "bench/.logs");

/** Every process group we started, killed on any exit of this process so no server outlives a run. */
const running = new Set<number>();
function killAll() {
  for (const pid of running) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {}
  }
  running.clear();
}
process.once("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

export interface Service {
  name: string;
  child: ChildProcess;
  pid: number;
  url: string;
  tail(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

/** The environment of a child: ours minus what pnpm/turbo set that would change its behaviour. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === "NODE_ENV" || key === "PORT" || key === "DATABASE_URL") continue;
    env[key] = value;
  }
  return { ...env, ...extra } as NodeJS.ProcessEnv;
}

/**
 * Starts a long-running process directly (no pnpm wrapper, so `pid` is the process whose memory and CPU we
 * read), in its own process group, logging to bench/.logs; waits until `healthPath` answers.
 */
export async function startService(options: {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  port: number;
  healthPath: string;
  timeoutMs?: number;
}): Promise<Service> {
  mkdirSync(LOG_DIR, { recursive: true });
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: childEnv(options.env),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const log = createWriteStream(path.join(LOG_DIR, `${options.name}.log`));
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    log.write(chunk);
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  let exitCode: number | null | undefined;
  running.add(child.pid!);
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => {
      running.delete(child.pid!);
      exitCode = code;
      log.end();
      resolve(code);
    });
    child.once("error", (e) => {
      lines.push(String(e));
      exitCode = -1;
      resolve(-1);
    });
  });
  const url = `http://127.0.0.1:${options.port}`;
  const service: Service = {
    name: options.name,
    child,
    pid: child.pid!,
    url,
    exited,
    tail: () => lines.join("\n"),
    async stop() {
      if (exitCode !== undefined) return;
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {}
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {}
      }, 8000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (exitCode !== undefined) throw new Error(`${options.name} exited (${exitCode}):\n${service.tail()}`);
    try {
      const res = await fetch(`${url}${options.healthPath}`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      await service.stop();
      throw new Error(`${options.name} did not answer ${options.healthPath} in time:\n${service.tail()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return service;
}

/** One API process on the bench database, as production would run it (LOG_LEVEL=warn). */
export async function startApi(
  name: string,
  databaseUrl: string,
  extra: Record<string, string> = {},
  nodeArgs: string[] = [],
) {
  const port = await freePort();
  return startService({
    name,
    command: process.execPath,
    args: [...nodeArgs, "--import", "tsx", "src/server.ts"],
    cwd: path.join(REPO_ROOT, "apps/api"),
    env: {
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      ...extra,
    },
    port,
    healthPath: "/health",
    timeoutMs: 90_000,
  });
}
