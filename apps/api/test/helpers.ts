import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DbKind } from "@coop/db";
import { createTestDb, type TestDb } from "@coop/db/testing";
import pino from "pino";
import type Stripe from "stripe";
import { createApp } from "../src/app";
import { readEnv } from "../src/env";
import { type JobQueue, noJobs } from "../src/jobs/queue";
import { databaseStorage, fileSystemStorage } from "../src/storage/blob-storage";

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** An API wired to its own fresh database, driven in-process through app.request. */
export async function createTestApp(
  kind: DbKind,
  envOverrides: Record<string, string> = {},
  extra: { stripe?: Stripe | null; jobs?: JobQueue; storage?: "database" | "files" } = {},
) {
  const db: TestDb = await createTestDb(kind);
  const env = readEnv({
    NODE_ENV: "test",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    TRUST_PROXY: "true",
    ...envOverrides,
  });
  const filesDir = mkdtempSync(path.join(tmpdir(), "coop-files-"));
  const app = createApp({
    db: db.db,
    env,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    storage: extra.storage === "files" ? fileSystemStorage(filesDir) : databaseStorage(db.db),
    stripe: extra.stripe ?? null,
    jobs: extra.jobs ?? noJobs,
  });

  async function request(
    method: string,
    path: string,
    init: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers["content-type"] ??= "application/json";
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    const res = await app.request(path, {
      method,
      headers,
      body:
        init.body === undefined
          ? undefined
          : typeof init.body === "string"
            ? init.body
            : JSON.stringify(init.body),
    });
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  async function loginAs(login: string, password: string) {
    const res = await request("POST", "/v1/auth/login", {
      body: { login, password },
      headers: { "x-forwarded-for": `10.0.0.${Math.floor(Math.random() * 250) + 1}` },
    });
    if (res.status !== 200) throw new Error(`login ${login} failed: ${res.status} ${res.text}`);
    return res.json.token as string;
  }

  async function close() {
    await db.close();
    rmSync(filesDir, { recursive: true, force: true });
  }

  return { app, db, env, request, loginAs, close };
}
