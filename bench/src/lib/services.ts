import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { SourceMap } from "node:module";
import net from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

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

/** Shared by the bench's API and shop, which refuse to start in production without one (X-Coop-Client). */
export const BENCH_CLIENT_ADDRESS_SECRET = randomBytes(32).toString("hex");
/** The API refuses to start in production without its own pickup-code key; one for every bench process. */
export const BENCH_PICKUP_CODE_SECRET = randomBytes(32).toString("hex");
/** The key of villagers' public lot links, required in production like the others (apps/api/src/env.ts). */
export const BENCH_PUBLIC_LINK_SECRET = randomBytes(32).toString("hex");

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

const API_DIR = path.join(REPO_ROOT, "apps/api");
const API_BUNDLE = path.join(API_DIR, "dist/server.js");
/** What the API's bundle is built from (decision 0013): a change to any of them makes the bundle stale. */
const API_BUNDLE_INPUTS = [
  "apps/api/src",
  "apps/api/scripts",
  "apps/api/package.json",
  "packages/db/src",
  "packages/db/migrations",
  "packages/shared/src",
];

/** The newest modification time of a file, or of anything below a folder (0 when it does not exist). */
export function newestMtime(file: string): number {
  if (!existsSync(file)) return 0;
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(file)) newest = Math.max(newest, newestMtime(path.join(file, entry)));
  return newest;
}

let apiBuildChecked = false;
/** Builds the API's production bundle (pnpm --filter @coop/api build) unless it is newer than its sources. */
export function ensureApiBuild(log: (m: string) => void = console.log): void {
  if (apiBuildChecked) return;
  const newestSource = Math.max(...API_BUNDLE_INPUTS.map((p) => newestMtime(path.join(REPO_ROOT, p))));
  if (!existsSync(API_BUNDLE) || statSync(API_BUNDLE).mtimeMs < newestSource) {
    log("  building the API bundle (pnpm --filter @coop/api build)…");
    execFileSync("pnpm", ["--filter", "@coop/api", "build"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  apiBuildChecked = true;
}

/**
 * The node flags of the production start (`pnpm --filter @coop/api start`, i.e. `node <flags> dist/server.js`),
 * read from apps/api/package.json so the bench runs the API exactly as production does, minus the pnpm wrapper.
 */
export function apiStartFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(API_DIR, "package.json"), "utf8")) as {
    scripts?: Record<string, string>;
  };
  const words = (pkg.scripts?.start ?? "").trim().split(/\s+/);
  if (words[0] !== "node" || words.at(-1) !== "dist/server.js")
    throw new Error(`apps/api's start script is not "node [flags] dist/server.js": ${pkg.scripts?.start}`);
  return words.slice(1, -1);
}

/**
 * `node --cpu-prof` on the bundle records positions in dist/server.js; this maps every frame back through
 * dist/server.js.map to its TypeScript source or npm package, so the profile summary can say where time goes.
 */
function remapCpuProfiles(dir: string): void {
  if (!existsSync(dir) || !existsSync(`${API_BUNDLE}.map`)) return;
  const map = new SourceMap(JSON.parse(readFileSync(`${API_BUNDLE}.map`, "utf8")));
  const bundleUrl = pathToFileURL(API_BUNDLE).href;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))) {
    const full = path.join(dir, file);
    const profile = JSON.parse(readFileSync(full, "utf8")) as {
      nodes: Array<{ callFrame: { url: string; lineNumber: number; columnNumber: number } }>;
    };
    for (const { callFrame: frame } of profile.nodes) {
      if (frame.url !== bundleUrl || frame.lineNumber < 0) continue;
      const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as {
        originalSource?: string;
        originalLine?: number;
        originalColumn?: number;
      };
      if (!entry.originalSource) continue;
      frame.url = pathToFileURL(path.resolve(path.dirname(API_BUNDLE), entry.originalSource)).href;
      frame.lineNumber = entry.originalLine ?? 0;
      frame.columnNumber = entry.originalColumn ?? 0;
    }
    writeFileSync(full, JSON.stringify(profile));
  }
}

/**
 * One API process on the bench database, as production runs it: the bundle (node <start flags> dist/server.js,
 * built first when stale) with LOG_LEVEL=warn. `nodeArgs` are added to the start flags (e.g. --cpu-prof).
 */
export async function startApi(
  name: string,
  databaseUrl: string,
  extra: Record<string, string> = {},
  nodeArgs: string[] = [],
) {
  ensureApiBuild();
  const port = await freePort();
  const service = await startService({
    name,
    command: process.execPath,
    args: [...apiStartFlags(), ...nodeArgs, "dist/server.js"],
    cwd: API_DIR,
    env: {
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      CLIENT_ADDRESS_SECRET: BENCH_CLIENT_ADDRESS_SECRET,
      PICKUP_CODE_SECRET: BENCH_PICKUP_CODE_SECRET,
      PUBLIC_LINK_SECRET: BENCH_PUBLIC_LINK_SECRET,
      ...extra,
    },
    port,
    healthPath: "/health",
    timeoutMs: 90_000,
  });
  const profileDir = nodeArgs.find((a) => a.startsWith("--cpu-prof-dir="))?.slice("--cpu-prof-dir=".length);
  if (profileDir) {
    const stop = service.stop;
    service.stop = async () => {
      await stop();
      remapCpuProfiles(profileDir);
    };
  }
  return service;
}
