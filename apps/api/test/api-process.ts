import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

const apiDir = path.resolve(import.meta.dirname, "..");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export interface ApiProcess {
  url: string;
  proc: ChildProcess;
  /** What the process wrote to stderr and stdout (its logs), for a failure message. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * The API as production runs it: the bundle built from these sources (scripts/build.mjs), started with the
 * node flags of the package's start script (its heap limit among them), for tests of its memory.
 */
export function productionApiCommand(): string[] {
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: apiDir, stdio: "ignore" });
  const start = (
    JSON.parse(readFileSync(path.join(apiDir, "package.json"), "utf8")) as { scripts: { start: string } }
  ).scripts.start
    .trim()
    .split(/\s+/);
  if (start[0] !== "node") throw new Error(`apps/api's start script does not run node: ${start.join(" ")}`);
  return start.slice(1);
}

/** A real API process (`src/server.ts` under tsx) on a free port, returned once /health answers 200. */
export async function startApi(
  databaseUrl: string,
  env: Record<string, string> = {},
  /** Called with every line the process logs (JSON, pino), for tests that count what it did. */
  onLogLine?: (line: string) => void,
  /** Node's arguments instead of tsx on the sources (productionApiCommand). */
  command: string[] = ["--import", "tsx", "src/server.ts"],
): Promise<ApiProcess> {
  const port = await freePort();
  const proc = spawn(process.execPath, command, {
    cwd: apiDir,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      NODE_ENV: "test",
      DATABASE_POOL_SIZE: "10",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  let partial = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  proc.stdout!.on("data", (chunk: Buffer) => {
    keep(chunk);
    if (!onLogLine) return;
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) onLogLine(line);
  });
  proc.stderr!.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`API on ${port} exited at start:\n${log}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`API on ${port} did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    proc,
    output: () => log,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await exited;
    },
  };
}
