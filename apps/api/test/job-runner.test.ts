import type { DbHandle } from "@coop/db";
import { notifications } from "@coop/db/schema";
import { createTestDb, type TestDb, testDbKinds } from "@coop/db/testing";
import { newId } from "@coop/shared";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startJobRunner } from "../src/jobs/runner";
import type { SmsProvider } from "../src/jobs/sms";

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: "info" }, { write: (s: string) => lines.push(JSON.parse(s)) });
  return { logger, lines, warnings: () => lines.filter((l) => l.level >= 40).map((l) => l.msg) };
}

function recordingSms(): SmsProvider & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    async send(message) {
      sent.push(message.data.key as string);
    },
  };
}

const queueSms = (t: TestDb, key: string) =>
  t.db.insert(notifications).values({
    id: newId("notification"),
    channel: "sms",
    recipient: "13800000000",
    template: "order_placed",
    data: { key },
  });

async function until(check: () => boolean, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(testDbKinds())("job runner (%s)", (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(kind);
  });
  afterAll(() => t?.close());

  it("delivers queued SMS through the outbox when woken", async () => {
    const sms = recordingSms();
    const { logger } = capturingLogger();
    const runner = await startJobRunner({
      handle: t,
      databaseUrl: t.url,
      stripe: null,
      logger,
      sms,
      pollingIntervalSeconds: 0.5,
    });
    try {
      await queueSms(t, "woken");
      await runner.queue.notificationsQueued();
      await until(() => sms.sent.includes("woken"));
      expect(sms.sent).toEqual(["woken"]);
    } finally {
      await runner.stop();
    }
  });
});

// On the embedded database pg-boss goes through the app's own driver, so a test can make that driver fail.
describe("job runner when the database fails (pglite)", () => {
  let t: TestDb;
  let failing: (text: string) => boolean = () => false;
  let failures = 0;
  let handle: DbHandle;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    t = await createTestDb("pglite");
    handle = {
      ...t,
      executeSql: (text, values) => {
        if (failing(text)) {
          failures++;
          return Promise.reject(
            Object.assign(new Error("the database system is shutting down"), { code: "57P03" }),
          );
        }
        return t.executeSql(text, values);
      },
    };
    process.on("unhandledRejection", onUnhandled);
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    await t?.close();
  });

  it("never rejects into the request that queued an order or SMS; logs it for the sweeps", async () => {
    const { logger, warnings } = capturingLogger();
    const runner = await startJobRunner({ handle, stripe: null, logger, pollingIntervalSeconds: 0.5 });
    try {
      failing = () => true;
      await expect(runner.queue.orderPlaced("ord_test", new Date(Date.now() + 60_000))).resolves.toBe(
        undefined,
      );
      await expect(runner.queue.notificationsQueued()).resolves.toBe(undefined);
      expect(failures).toBeGreaterThanOrEqual(2);
      expect(warnings()).toEqual(
        expect.arrayContaining([
          "could not queue the order's expiry; the sweep will expire it",
          "could not queue SMS delivery; the sweep will send it",
        ]),
      );
    } finally {
      failing = () => false;
      await runner.stop();
    }
    expect(unhandled).toEqual([]);
  });

  it("survives the database failing as pg-boss records a job's outcome", async () => {
    const sms = recordingSms();
    const { logger, lines } = capturingLogger();
    const runner = await startJobRunner({ handle, stripe: null, logger, sms, pollingIntervalSeconds: 0.5 });
    try {
      // pg-boss 10 did not await this statement: its rejection was unhandled and ended the process.
      failing = (text) => text.includes("completed_on = now()") && text.includes("UNNEST($2::uuid[])");
      const before = failures;
      await queueSms(t, "outcome");
      await runner.queue.notificationsQueued();
      await until(() => sms.sent.includes("outcome") && failures > before);
      await new Promise((r) => setTimeout(r, 200));
      // Reported through pg-boss's error event (patches/pg-boss@10.4.2.patch) and logged by the runner.
      expect(lines).toContainEqual(
        expect.objectContaining({ msg: "job runner error", err: expect.objectContaining({ code: "57P03" }) }),
      );
    } finally {
      failing = () => false;
      await runner.stop();
    }
    expect(unhandled).toEqual([]);
  });
});
