import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { Executor } from "@coop/db";
import {
  signWebhookPayload,
  WEBHOOK_EVENT_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
} from "@coop/shared/webhook-signature";
import { sql } from "drizzle-orm";
import type { Logger } from "pino";
import { sqlRows } from "../../lib/sql-rows";
import { bareHost, isPrivateAddress } from "./url-rules";

// Sending the outgoing webhooks (decision 0045), from whichever API process gets there first.
//
// - A delivery is claimed in the statement that picks it (FOR UPDATE SKIP LOCKED): its attempt is counted and
//   its next_attempt_at moved past the request's timeout, so no other sender takes it meanwhile. A sender that
//   dies mid-request frees it when that time comes, and it is sent again: delivery is at least once, and a
//   receiver dedupes by Coop-Event-Id. Short of such a crash, an event reaches an endpoint exactly once.
// - A 2xx answer marks it succeeded: never sent again. Anything else (another status, a redirect, a timeout,
//   no connection) schedules the next try after WEBHOOK_RETRY_DELAYS_SECONDS; after WEBHOOK_MAX_ATTEMPTS
//   tries it is abandoned, and the admin can send it again from the delivery log.

/** Waits before the 2nd, 3rd … 8th try: 30 s, 2 min, 10 min, 1 h, 3 h, 6 h, 12 h (about 22 h in all). */
export const WEBHOOK_RETRY_DELAYS_SECONDS = [30, 120, 600, 3600, 3 * 3600, 6 * 3600, 12 * 3600] as const;
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_DELAYS_SECONDS.length + 1;
/** How long a receiver has to answer. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** A claim holds this long: well past the timeout, so only a dead sender's claim ever runs out. */
const CLAIM_SECONDS = 60;
/** Deliveries claimed (and sent side by side) per round. */
const BATCH_SIZE = 20;
/** Rounds per run at most, so one run never holds its caller for ever; the next run takes the rest. */
const MAX_ROUNDS = 50;

export interface DeliverWebhooksDeps {
  db: Executor;
  logger: Logger;
  /**
   * Outside production, receivers on this machine or the LAN are allowed. In production a host whose name
   * resolves to a private address is refused at send time too (the check at registration sees only the name).
   */
  allowPrivateAddresses?: boolean;
  timeoutMs?: number;
  /** The wait before the next try after `attempts` failed ones; tests may shorten it. Default: the schedule. */
  retryDelaySeconds?: (attempts: number) => number;
}

/** The schedule's wait after `attempts` tries, plus up to 10% jitter so a recovered receiver is not stampeded. */
export function retryDelaySeconds(attempts: number, random: () => number = Math.random): number {
  const base =
    WEBHOOK_RETRY_DELAYS_SECONDS[Math.min(attempts, WEBHOOK_RETRY_DELAYS_SECONDS.length) - 1] ??
    WEBHOOK_RETRY_DELAYS_SECONDS[0];
  return Math.round(base * (1 + 0.1 * random()));
}

interface ClaimedDelivery {
  id: string;
  attempts: number;
  event_id: string;
  type: string;
  created: string;
  payload: unknown;
  url: string;
  signing_secret: string;
}

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

export interface DeliverySummary {
  succeeded: number;
  failed: number;
  abandoned: number;
}

/** Sends every due delivery, round by round, until none is due. */
export async function deliverWebhooks(deps: DeliverWebhooksDeps): Promise<DeliverySummary> {
  const summary: DeliverySummary = { succeeded: 0, failed: 0, abandoned: 0 };
  // Deliveries to an endpoint disabled after they were recorded (an order committed while the admin was
  // disabling it) are not sent.
  await deps.db.execute(sql`
    UPDATE webhook_deliveries d
       SET status = 'abandoned', next_attempt_at = NULL, last_error = 'endpoint disabled'
      FROM webhook_endpoints e
     WHERE e.id = d.endpoint_id AND NOT e.enabled
       AND d.status IN ('pending', 'failed') AND d.next_attempt_at <= now()`);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const claimed = await claimDueDeliveries(deps.db, BATCH_SIZE);
    if (claimed.length === 0) break;
    await Promise.all(
      claimed.map(async (delivery) => {
        const outcome = await send(deps, delivery);
        const result = await record(deps, delivery, outcome);
        summary[result]++;
      }),
    );
  }
  return summary;
}

/** Claims up to `limit` due deliveries of enabled endpoints, soonest due first, skipping any another sender holds. */
export async function claimDueDeliveries(db: Executor, limit: number): Promise<ClaimedDelivery[]> {
  return sqlRows<ClaimedDelivery>(
    db,
    sql`
    UPDATE webhook_deliveries d
       SET attempts = d.attempts + 1,
           last_attempt_at = now(),
           next_attempt_at = now() + ${CLAIM_SECONDS}::double precision * interval '1 second'
      FROM (SELECT d2.id FROM webhook_deliveries d2
              JOIN webhook_endpoints e2 ON e2.id = d2.endpoint_id AND e2.enabled
             WHERE d2.status IN ('pending', 'failed') AND d2.next_attempt_at <= now()
             ORDER BY d2.next_attempt_at
             LIMIT ${limit}
             FOR UPDATE OF d2 SKIP LOCKED) picked,
           outgoing_events ev, webhook_endpoints e
     WHERE d.id = picked.id AND ev.id = d.event_id AND e.id = d.endpoint_id
    RETURNING d.id, d.attempts, ev.id AS event_id, ev.type, coop_json_time(ev.created_at) AS created,
              ev.payload, e.url, e.signing_secret`,
  );
}

/** One try: POST the signed event, with a timeout, following no redirect. */
async function send(deps: DeliverWebhooksDeps, delivery: ClaimedDelivery): Promise<Outcome> {
  const payload = typeof delivery.payload === "string" ? JSON.parse(delivery.payload) : delivery.payload;
  const body = JSON.stringify({
    id: delivery.event_id,
    type: delivery.type,
    created: delivery.created,
    data: payload,
  });
  try {
    const url = new URL(delivery.url);
    if (!deps.allowPrivateAddresses && (await resolvesToPrivate(bareHost(url)))) {
      return { ok: false, status: null, error: "the host resolves to a private address: not sent" };
    }
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "CoopMarket-Webhooks/1",
        [WEBHOOK_SIGNATURE_HEADER]: signWebhookPayload(delivery.signing_secret, body),
        [WEBHOOK_EVENT_ID_HEADER]: delivery.event_id,
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(deps.timeoutMs ?? WEBHOOK_TIMEOUT_MS),
    });
    if (res.status >= 200 && res.status < 300) {
      // Whatever the receiver wrote back is not needed; read a little so the connection can be reused.
      await readSome(res, 1024);
      return { ok: true, status: res.status };
    }
    const excerpt = await readSome(res, 300);
    return { ok: false, status: res.status, error: `HTTP ${res.status}${excerpt ? `: ${excerpt}` : ""}` };
  } catch (err) {
    return { ok: false, status: null, error: describeFailure(err, deps.timeoutMs ?? WEBHOOK_TIMEOUT_MS) };
  }
}

async function resolvesToPrivate(host: string): Promise<boolean> {
  if (isIP(host)) return isPrivateAddress(host);
  const addresses = await lookup(host, { all: true });
  return addresses.some((a) => isPrivateAddress(a.address));
}

/** The start of a response body, for the log, without reading a large one whole. */
async function readSome(res: Response, max: number): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // A body cut off midway: what arrived is enough for the log.
  } finally {
    // Not awaited: cancelling a stream some HTTP stacks (msw's interceptor) never settle must not hold the send.
    reader.cancel().catch(() => {});
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, max)).replace(/\s+/g, " ").trim();
}

function describeFailure(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const message = err instanceof Error ? err.message : String(err);
  return (cause?.code ? `${message} (${cause.code})` : message).slice(0, 300);
}

/**
 * Writes a try's outcome, only if the row is still this sender's claim (its attempts unchanged): a sender
 * whose claim ran out and was taken over must not overwrite the newer try's outcome.
 */
async function record(
  deps: DeliverWebhooksDeps,
  delivery: ClaimedDelivery,
  outcome: Outcome,
): Promise<keyof DeliverySummary> {
  const log = { deliveryId: delivery.id, eventId: delivery.event_id, attempts: delivery.attempts };
  if (outcome.ok) {
    await deps.db.execute(sql`
      UPDATE webhook_deliveries
         SET status = 'succeeded', delivered_at = now(), next_attempt_at = NULL,
             last_status_code = ${outcome.status}, last_error = NULL
       WHERE id = ${delivery.id} AND attempts = ${delivery.attempts} AND status <> 'succeeded'`);
    return "succeeded";
  }
  const giveUp = delivery.attempts >= WEBHOOK_MAX_ATTEMPTS;
  const delay = (deps.retryDelaySeconds ?? retryDelaySeconds)(delivery.attempts);
  await deps.db.execute(sql`
    UPDATE webhook_deliveries
       SET status = ${giveUp ? "abandoned" : "failed"},
           next_attempt_at = ${giveUp ? sql`NULL` : sql`now() + ${delay}::double precision * interval '1 second'`},
           last_status_code = ${outcome.status}, last_error = ${outcome.error}
     WHERE id = ${delivery.id} AND attempts = ${delivery.attempts} AND status IN ('pending', 'failed')`);
  if (giveUp) {
    deps.logger.warn({ ...log, error: outcome.error }, "webhook delivery abandoned after its last try");
    return "abandoned";
  }
  deps.logger.info({ ...log, error: outcome.error, retryInSeconds: delay }, "webhook delivery failed");
  return "failed";
}
