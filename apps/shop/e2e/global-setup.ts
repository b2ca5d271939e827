import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import {
  API_DIR,
  API_ENTRY,
  CHROMIUM_PATH,
  childEnv,
  chromiumAvailable,
  freePort,
  REPO_ROOT,
  run,
  type Service,
  SHOP_DIR,
  startService,
  stopService,
  waitForHttp,
} from "./harness";

export interface E2EContext {
  /** Why the browser tests cannot run here, or null when they can. */
  skipReason: string | null;
  shopUrl: string;
  apiUrl: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    e2e: E2EContext;
  }
}

/** fontconfig's answer to "which fonts cover Chinese?"; true when it cannot be asked. */
function hasChineseFont(): boolean {
  const result = spawnSync("fc-list", [":lang=zh", "family"], { encoding: "utf8" });
  if (result.error) return true;
  return result.stdout.trim() !== "";
}

function loudWarning(message: string) {
  const bar = "!".repeat(100);
  console.warn(`\n${bar}\n!! ${message}\n${bar}\n`);
}

/**
 * Before the browser tests: build the shop, migrate and seed a temporary database, start the real API
 * on it and the built shop in front of it, each on a free port. Afterwards: stop both, delete the data.
 */
export default async function setup(project: TestProject) {
  if (!chromiumAvailable()) {
    const reason = `SKIPPED: browser tests — Chromium not found at ${CHROMIUM_PATH}; install with apt-get install -y chromium (or set CHROMIUM_PATH)`;
    loudWarning(reason);
    project.provide("e2e", { skipReason: reason, shopUrl: "", apiUrl: "" });
    return;
  }
  if (!hasChineseFont()) {
    loudWarning(
      "No Chinese font on this machine: the tests run, but the screenshots in docs/screenshots will show boxes " +
        "instead of Chinese. Install one with apt-get install -y fonts-noto-cjk",
    );
  }
  if (!existsSync(API_ENTRY)) {
    throw new Error(`The browser tests run against the real API, but ${API_ENTRY} does not exist.`);
  }

  const dataDir = mkdtempSync(path.join(tmpdir(), "coop-shop-e2e-"));
  const logs = (name: string) => path.join(dataDir, `${name}.log`);
  const services: Service[] = [];

  const teardown = async () => {
    for (const service of services.reverse()) await stopService(service);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const [apiPort, shopPort] = [await freePort(), await freePort()];
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const shopUrl = `http://localhost:${shopPort}`;
    const dbEnv = childEnv({ DATA_DIR: dataDir });
    // The shop signs whom it calls the API for (X-Coop-Client); both must hold the same secret.
    const clientAddressSecret = randomBytes(32).toString("hex");

    // The build and the database are independent: do both at once.
    await Promise.all([
      run("build shop", "pnpm", ["exec", "remix", "vite:build"], {
        cwd: SHOP_DIR,
        env: childEnv({ NODE_ENV: "production" }),
        logFile: logs("build"),
      }),
      (async () => {
        await run("migrate", "pnpm", ["--filter", "@coop/db", "migrate"], {
          cwd: REPO_ROOT,
          env: dbEnv,
          logFile: logs("migrate"),
        });
        await run("seed", "pnpm", ["--filter", "@coop/db", "seed"], {
          cwd: REPO_ROOT,
          env: dbEnv,
          logFile: logs("seed"),
        });
      })(),
    ]);

    const api = startService("api", process.execPath, ["--import", "tsx", "src/server.ts"], {
      cwd: API_DIR,
      env: childEnv({
        DATA_DIR: dataDir,
        PORT: String(apiPort),
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
        CLIENT_ADDRESS_SECRET: clientAddressSecret,
      }),
      logFile: logs("api"),
    });
    services.push(api);
    await waitForHttp(api, `${apiUrl}/health`, 90_000);

    const shop = startService(
      "shop",
      path.join(SHOP_DIR, "node_modules/.bin/remix-serve"),
      ["./build/server/index.js"],
      {
        cwd: SHOP_DIR,
        env: childEnv({
          NODE_ENV: "production",
          PORT: String(shopPort),
          HOST: "127.0.0.1",
          API_URL: apiUrl,
          SESSION_SECRET: randomBytes(32).toString("hex"),
          CLIENT_ADDRESS_SECRET: clientAddressSecret,
        }),
        logFile: logs("shop"),
      },
    );
    services.push(shop);
    await waitForHttp(shop, `${shopUrl}/`, 30_000);

    project.provide("e2e", { skipReason: null, shopUrl, apiUrl });
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
