import { chinaToday } from "@coop/shared";
import { blockedBy, errorOf, numberUnnumberedIntakes, pointOf } from "./commands";
import type { Command, CommandError, CommandResult, DeviceRecord, IntakeDb } from "./db";

/**
 * The sender: takes the phone's commands in the order they were entered and sends each through the shop's
 * sync route, with the command id as the Idempotency-Key. What the answer means for the entry:
 *   2xx                      → sent (the lot or villager exists; the result is kept)
 *   no answer / 5xx / 429    → waiting, tried again after a backoff (Retry-After honoured), nothing after it goes
 *   401                      → needsLogin, kept; nothing goes until the agent logs in again
 *   other 4xx                → refused, kept with the API's message for the agent; the next entries go on,
 *                              except those that depend on it (a refused registration's intakes), which wait
 * Nothing is dropped here: only the agent removes an entry.
 */

export type SyncRequest =
  | { op: "registerDevice"; key: string; body: { servicePointId: string; label?: string } }
  | { op: "registerVillager"; key: string; body: Record<string, unknown> }
  | { op: "createLot"; key: string; body: Record<string, unknown> }
  | { op: "uploadPhoto"; key: string; lotId: string; photo: Blob };

export interface SyncAnswer {
  status: number;
  body: unknown;
  /** Seconds, from the API's Retry-After. */
  retryAfter?: number | null;
}

/** Sends one request; throws when there was no answer at all (offline, dropped connection). */
export type Transport = (request: SyncRequest) => Promise<SyncAnswer>;

export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 5 * 60_000;

/** 2 s, 4 s, 8 s … up to 5 minutes; a Retry-After longer than that is honoured as it is. */
export function backoffMs(attempts: number, retryAfterSeconds?: number | null): number {
  const exponential = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_CAP_MS);
  const asked = retryAfterSeconds && retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : 0;
  return Math.max(exponential, asked);
}

export type StopReason = "done" | "offline" | "login" | "backoff";

export interface SendReport {
  sent: number;
  refused: number;
  stoppedBy: StopReason;
}

export interface SendOptions {
  now?: () => number;
  /** The line just came back: entries in backoff go now instead of waiting out their delay. */
  ignoreBackoff?: boolean;
  /**
   * Only this point's entries (the logged-in agent's): a phone shared by agents of two points keeps each
   * one's entries for their own login, never sent with the other's.
   */
  servicePointId?: string;
}

type Outcome =
  | { kind: "sent"; body: unknown }
  | { kind: "retry"; error: CommandError; retryAfter?: number | null }
  | { kind: "login" }
  | { kind: "refused"; error: CommandError };

function apiError(body: unknown, status: number): CommandError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const code = typeof error?.code === "string" ? error.code : `HTTP_${status}`;
  const message = typeof error?.message === "string" ? error.message : `HTTP ${status}`;
  const details =
    error?.details && typeof error.details === "object"
      ? (error.details as Record<string, unknown>)
      : undefined;
  return errorOf(code, message, details);
}

/** What an answer means for the entry (see the table above). */
export function classify(answer: SyncAnswer): Outcome {
  const { status, body } = answer;
  if (status >= 200 && status < 300) return { kind: "sent", body };
  if (status === 401) return { kind: "login" };
  if (status === 429 || status >= 500 || status === 408) {
    return { kind: "retry", error: apiError(body, status), retryAfter: answer.retryAfter };
  }
  return { kind: "refused", error: apiError(body, status) };
}

async function attempt(transport: Transport, request: SyncRequest): Promise<Outcome> {
  try {
    return classify(await transport(request));
  } catch (error) {
    return {
      kind: "retry",
      error: errorOf("OFFLINE", error instanceof Error ? error.message : "no answer"),
    } satisfies Outcome;
  }
}

const text = (body: unknown, field: string): string | undefined => {
  const value = (body as Record<string, unknown> | null)?.[field];
  return typeof value === "string" ? value : undefined;
};

/**
 * This phone's number segment at the point: registered once (its client id is the key, so a lost answer
 * asked again gives the same segment), then numbers the intakes saved before it came.
 */
async function ensureDevice(
  db: IntakeDb,
  transport: Transport,
  servicePointId: string,
): Promise<{ ok: true; device: DeviceRecord } | { ok: false; outcome: Outcome }> {
  const device = await db.devices.get(servicePointId);
  if (device?.deviceId) return { ok: true, device };
  const clientId = device?.clientId ?? `dev-${crypto.randomUUID()}`;
  if (!device) {
    await db.devices.put({ servicePointId, clientId, deviceId: null, segment: null, pointCode: null });
  }
  const outcome = await attempt(transport, {
    op: "registerDevice",
    key: clientId,
    body: { servicePointId, label: deviceLabel() },
  });
  if (outcome.kind !== "sent") return { ok: false, outcome };
  const saved: DeviceRecord = {
    servicePointId,
    clientId,
    deviceId: text(outcome.body, "id") ?? null,
    segment: text(outcome.body, "segment") ?? null,
    pointCode: text(outcome.body, "servicePointCode") ?? null,
  };
  await db.devices.put(saved);
  await numberUnnumberedIntakes(db, servicePointId);
  return { ok: true, device: saved };
}

/** What the admin's list of phones shows for this one (the API keeps at most 40 characters). */
export function deviceLabel(userAgent = typeof navigator !== "undefined" ? navigator.userAgent : ""): string {
  const kind = /iPhone|iPad/.test(userAgent) ? "iPhone" : /Android/.test(userAgent) ? "Android" : "Browser";
  return `${kind} ${chinaToday()}`;
}

/** Registers this phone at the point now (on app start, online), so the first offline receipt is numbered. */
export async function registerDevice(db: IntakeDb, transport: Transport, servicePointId: string) {
  const result = await ensureDevice(db, transport, servicePointId);
  return result.ok ? result.device : null;
}

const refusal = (code: string, message: string) => ({
  outcome: { kind: "refused", error: errorOf(code, message) } satisfies Outcome,
  result: () => ({}),
});

/** One send of one command; the entry's new state is written before the next one goes. */
async function sendOne(
  db: IntakeDb,
  transport: Transport,
  command: Command,
  all: Map<string, Command>,
): Promise<{ outcome: Outcome; result: (body: unknown) => CommandResult } | "wait"> {
  switch (command.kind) {
    case "registerVillager":
      return {
        outcome: await attempt(transport, {
          op: "registerVillager",
          key: command.key,
          body: { ...command.payload },
        }),
        result: (body) => ({ consignorId: text(body, "id") }),
      };

    case "intake": {
      const { villager, lotNo, servicePointId } = command.payload;
      let consignorId: string | undefined;
      if ("consignorId" in villager) consignorId = villager.consignorId;
      else {
        const parent = all.get(villager.commandId);
        if (!parent) return refusal("VILLAGER_DISCARDED", "the villager's entry was removed");
        if (parent.state !== "sent") return "wait";
        consignorId = parent.result?.consignorId;
      }
      const device = await ensureDevice(db, transport, servicePointId);
      if (!device.ok) return { outcome: device.outcome, result: () => ({}) };
      // Numbered now if the segment only just arrived.
      const fresh = (await db.commands.get(command.id)) ?? command;
      const number = fresh.kind === "intake" ? fresh.payload.lotNo : lotNo;
      const { grade, bestBefore, qc, productId, quantity } = command.payload;
      const body: Record<string, unknown> = { consignorId, productId, servicePointId, quantity, qc };
      if (grade) body.grade = grade;
      if (bestBefore) body.bestBefore = bestBefore;
      if (command.payload.pledgeId) body.pledgeId = command.payload.pledgeId;
      if (number && device.device.deviceId) {
        body.intakeDeviceId = device.device.deviceId;
        body.lotNo = number;
      }
      return {
        outcome: await attempt(transport, { op: "createLot", key: command.key, body }),
        result: (answer) => ({
          lotId: text(answer, "id"),
          lotNo: text(answer, "lotNo") ?? number ?? undefined,
        }),
      };
    }

    case "lotPhoto": {
      const parent = all.get(command.payload.intakeCommandId);
      if (!parent) return refusal("INTAKE_DISCARDED", "the intake entry was removed");
      if (parent.state !== "sent" || !parent.result?.lotId) return "wait";
      const photo = await db.photos.get(command.payload.photoId);
      if (!photo) return refusal("PHOTO_MISSING", "the photo is no longer on this phone");
      return {
        outcome: await attempt(transport, {
          op: "uploadPhoto",
          key: command.key,
          lotId: parent.result.lotId,
          photo: photo.blob,
        }),
        result: (body) => ({ photoId: text(body, "id") }),
      };
    }
  }
}

/**
 * Sends what waits, in order, until the queue is empty or a send has to wait (no line, login, backoff).
 * Call it only under `withSenderLock`, so one sender per phone runs.
 */
export async function sendQueue(
  db: IntakeDb,
  transport: Transport,
  options: SendOptions = {},
): Promise<SendReport> {
  const now = options.now ?? Date.now;
  const report: SendReport = { sent: 0, refused: 0, stoppedBy: "done" };
  const commands = await db.commands.orderBy("seq").toArray();
  const all = new Map(commands.map((command) => [command.id, command]));

  for (const listed of commands) {
    const command = all.get(listed.id) ?? listed;
    if (command.state === "sent" || command.state === "refused") continue;
    if (options.servicePointId && pointOf(command, all) !== options.servicePointId) continue;
    if (blockedBy(command, all)) continue;
    if (!options.ignoreBackoff && command.state === "waiting" && command.nextTryAt > now()) {
      report.stoppedBy = "backoff";
      return report;
    }

    await db.commands.update(command.id, { state: "sending" });
    const sent = await sendOne(db, transport, { ...command, state: "sending" }, all);
    if (sent === "wait") {
      // Its villager or lot is not there yet (should not happen in order); keep it and keep the order.
      await db.commands.update(command.id, { state: "waiting" });
      report.stoppedBy = "backoff";
      return report;
    }
    const { outcome } = sent;

    const attempts = command.attempts + 1;
    let change: Partial<Command>;
    switch (outcome.kind) {
      case "sent":
        change = {
          state: "sent",
          attempts,
          lastError: null,
          result: sent.result(outcome.body),
          nextTryAt: 0,
        };
        report.sent += 1;
        break;
      case "refused":
        change = { state: "refused", attempts, lastError: outcome.error };
        report.refused += 1;
        break;
      case "login":
        change = { state: "needsLogin", attempts, lastError: errorOf("UNAUTHENTICATED", "login again") };
        break;
      case "retry":
        change = {
          state: "waiting",
          attempts,
          lastError: outcome.error,
          nextTryAt: now() + backoffMs(attempts, outcome.retryAfter),
        };
        break;
    }
    await db.commands.update(command.id, change);
    all.set(command.id, { ...command, ...change } as Command);
    if (outcome.kind === "login") {
      report.stoppedBy = "login";
      return report;
    }
    if (outcome.kind === "retry") {
      report.stoppedBy = "offline";
      return report;
    }
  }
  return report;
}

const LOCK_NAME = "coop-intake-sender";
const LEASE_KEY = "senderLease";
const LEASE_MS = 60_000;

/**
 * Runs `work` only if no other tab of this phone is sending: the Web Locks API where the browser has it,
 * else a lease in IndexedDB (taken in a transaction, so two tabs cannot both take it). Returns null when
 * another sender holds it (that one will send this tab's entries too: they share the database).
 */
export async function withSenderLock<T>(db: IntakeDb, work: () => Promise<T>): Promise<T | null> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  if (locks?.request) {
    return locks.request(LOCK_NAME, { ifAvailable: true }, async (lock) => (lock ? work() : null));
  }
  const owner = crypto.randomUUID();
  const taken = await db.transaction("rw", db.meta, async () => {
    const lease = (await db.meta.get(LEASE_KEY))?.value as { owner: string; until: number } | undefined;
    if (lease && lease.until > Date.now()) return false;
    await db.meta.put({ key: LEASE_KEY, value: { owner, until: Date.now() + LEASE_MS } });
    return true;
  });
  if (!taken) return null;
  try {
    return await work();
  } finally {
    await db.transaction("rw", db.meta, async () => {
      const lease = (await db.meta.get(LEASE_KEY))?.value as { owner: string } | undefined;
      if (lease?.owner === owner) await db.meta.delete(LEASE_KEY);
    });
  }
}
