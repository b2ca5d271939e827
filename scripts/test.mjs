#!/usr/bin/env node
// `pnpm test`: every suite of every package (unit, integration on PGlite and PostgreSQL, browser), with a
// loud note of anything that could not run here and why, and one closing line with the totals.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const skipped = [];
const env = { ...process.env };

function canConnect(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

// PostgreSQL: integration tests run on the embedded PGlite always, and on a real server when one answers.
const defaultPgUrl = "postgres://postgres@127.0.0.1:5432/postgres";
if (env.TEST_SKIP_POSTGRES === "1") {
  delete env.TEST_DATABASE_URL;
  skipped.push(
    "PostgreSQL-server integration tests: TEST_SKIP_POSTGRES=1 (they ran on embedded PGlite only)",
  );
} else {
  const url = new URL(env.TEST_DATABASE_URL ?? defaultPgUrl);
  if (await canConnect(url.hostname, Number(url.port || 5432))) {
    env.TEST_DATABASE_URL = url.toString();
  } else {
    delete env.TEST_DATABASE_URL;
    skipped.push(
      `PostgreSQL-server integration tests: nothing answers at ${url.host} (set TEST_DATABASE_URL to a server where this user may CREATE DATABASE); they ran on embedded PGlite only`,
    );
  }
}

// Chromium: the browser tests need a real one (Debian's package; `npx playwright install` cannot download here).
const chromium = env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  skipped.push(
    `Browser tests: Chromium not found at ${chromium} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
}

function banner(lines) {
  if (lines.length === 0) return;
  const bar = "!".repeat(100);
  console.log(`\n${bar}\n!! SKIPPED — these tests did not run on this machine:`);
  for (const line of lines) console.log(`!!   - ${line}`);
  console.log(`${bar}\n`);
}

banner(skipped);
if (skipped.length > 0 && env.TEST_REQUIRE_ALL === "1") {
  console.error("TEST_REQUIRE_ALL=1 (CI): every suite must run here, so this run fails.");
  process.exit(1);
}
console.log(
  `Running every test suite. PostgreSQL server: ${env.TEST_DATABASE_URL ?? "none"}; Chromium: ${existsSync(chromium) ? chromium : "none"}.`,
);

const resultsDir = "test-results";
const packages = ["packages/shared", "packages/db", "apps/api", "apps/shop"];
for (const pkg of packages) rmSync(path.join(root, pkg, resultsDir), { recursive: true, force: true });

const result = spawnSync(
  "pnpm",
  [
    "exec",
    "turbo",
    "run",
    "test",
    // One suite at a time: the browser tests and the flash-sale test both load the 2 cores, and timing
    // flakes are worse than a minute more. --continue runs every suite even when one fails.
    "--concurrency=1",
    "--continue",
    "--output-logs=full",
    "--",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${resultsDir}/vitest.json`,
  ],
  { cwd: root, env, stdio: "inherit" },
);

// Totals from each package's JSON report, so the run ends with one plain line a person (or CI) can read.
let passed = 0;
let failed = 0;
let pending = 0;
const missing = [];
for (const pkg of packages) {
  const file = path.join(root, pkg, resultsDir, "vitest.json");
  if (!existsSync(file)) {
    missing.push(pkg);
    continue;
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  pending += report.numPendingTests + (report.numTodoTests ?? 0);
}
if (missing.length) console.log(`\nNo test report from: ${missing.join(", ")}`);
banner(skipped);
const ok = result.status === 0 && failed === 0 && missing.length === 0;
console.log(`\nTests: ${passed} passed, ${failed} failed, ${pending} skipped`);
process.exit(ok ? 0 : 1);
