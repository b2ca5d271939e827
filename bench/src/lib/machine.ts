import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import type { Sql } from "postgres";

export interface MachineInfo {
  date: string;
  cpu: string;
  cores: number;
  memory: string;
  node: string;
  postgres: string;
  postgresSettings: string;
  commit: string;
  load: string;
}

function sh(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

export async function machineInfo(sql: Sql, repoRoot: string): Promise<MachineInfo> {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown";
  const [version] = await sql`SELECT current_setting('server_version') AS v`;
  const settings = await sql`SELECT name, setting, unit FROM pg_settings
    WHERE name IN ('shared_buffers', 'max_connections', 'synchronous_commit', 'fsync', 'work_mem') ORDER BY name`;
  const commit = sh("git", ["-C", repoRoot, "rev-parse", "--short=12", "HEAD"]);
  const dirty = sh("git", ["-C", repoRoot, "status", "--porcelain"]) !== "";
  return {
    date: new Date().toISOString(),
    cpu: model,
    cores: os.cpus().length,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    postgres: `PostgreSQL ${version!.v}`,
    postgresSettings: settings
      .map((s) => `${s.name}=${s.setting}${s.unit && s.unit !== "" ? ` ${s.unit}` : ""}`)
      .join(", "),
    commit: `${commit}${dirty ? " (with uncommitted changes)" : ""}`,
    load: os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(" / "),
  };
}
