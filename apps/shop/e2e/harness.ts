import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Paths and settings of the browser tests. The only place the e2e suite reads its environment. */
export const SHOP_DIR = fileURLToPath(new URL("..", import.meta.url));
export const REPO_ROOT = path.resolve(SHOP_DIR, "../..");
export const API_DIR = path.join(REPO_ROOT, "apps/api");
export const API_ENTRY = path.join(API_DIR, "src/server.ts");
export const SCREENSHOT_DIR = path.join(REPO_ROOT, "docs/screenshots");
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** The arguments Debian's Chromium needs in a container without a display or outside network. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** The environment for child processes: ours, without what vitest set for itself. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === "NODE_ENV" || key.startsWith("VITEST") || key === "TEST" || key === "PORT") continue;
    env[key] = value;
  }
  return { ...env, ...extra } as NodeJS.ProcessEnv;
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

export interface Service {
  name: string;
  child: ChildProcess;
  /** The last lines it printed, for the failure message. */
  tail(): string;
  exited: Promise<number | null>;
}

/** Starts a long-running child in its own process group (so stopping it stops its children too). */
export function startService(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): Service {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const log = createWriteStream(options.logFile);
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    log.write(chunk);
    // Bundlers list every module they watched after an error: noise in a failure message.
    const text = chunk.toString("utf8").split("\n");
    lines.push(...text.filter((line) => line.trim() !== "" && !/^\s+'\/.*',?$/.test(line)));
    if (lines.length > 60) lines.splice(0, lines.length - 60);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => {
      log.end();
      resolve(code);
    });
    child.once("error", (error) => {
      lines.push(String(error));
      resolve(-1);
    });
  });
  return { name, child, exited, tail: () => lines.join("\n") };
}

/** Runs a command to completion; a non-zero exit throws with the end of its output. */
export async function run(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): Promise<void> {
  const started = Date.now();
  const service = startService(name, command, args, options);
  const code = await service.exited;
  if (code !== 0) {
    throw new Error(`${name} failed (exit ${code}): ${command} ${args.join(" ")}\n${service.tail()}`);
  }
  console.log(`[e2e] ${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Polls a URL until it answers 2xx; fails early if the service exits, or after `timeoutMs`. */
export async function waitForHttp(service: Service, url: string, timeoutMs: number): Promise<void> {
  const started = Date.now();
  let exitCode: number | null | undefined;
  void service.exited.then((code) => {
    exitCode = code;
  });
  let lastProblem = "";
  while (Date.now() - started < timeoutMs) {
    if (exitCode !== undefined) {
      throw new Error(`${service.name} exited (code ${exitCode}) before ${url} answered:\n${service.tail()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) {
        console.log(
          `[e2e] ${service.name}: up at ${url} after ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        return;
      }
      lastProblem = `status ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `${service.name}: ${url} did not answer within ${timeoutMs} ms (${lastProblem}):\n${service.tail()}`,
  );
}

/** SIGTERM to the service's process group, SIGKILL if it is still there after `graceMs`. */
export async function stopService(service: Service, graceMs = 5_000): Promise<void> {
  const pid = service.child.pid;
  if (pid === undefined || service.child.exitCode !== null || service.child.signalCode !== null) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  };
  signalGroup("SIGTERM");
  const timedOut = await Promise.race([
    service.exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), graceMs)),
  ]);
  // Children of the group may outlive the leader briefly; make sure none is left.
  signalGroup(timedOut ? "SIGKILL" : "SIGTERM");
  if (timedOut) await service.exited;
}
