import { liveQuery } from "dexie";
import { useEffect, useState } from "react";
import type { CachedProduct, CachedVillager, Command, IntakeDb } from "./db";
import {
  registerDevice,
  type SendOptions,
  type SyncAnswer,
  sendQueue,
  type Transport,
  withSenderLock,
} from "./sender";

/** The browser's side of the queue: the sync route as the sender's transport, the offline lists, hooks. */

export const SYNC_URL = "/staff/sync/intake";
export const DATA_URL = "/staff/sync/data";

function isAnswer(value: unknown): value is SyncAnswer {
  return typeof value === "object" && value !== null && typeof (value as SyncAnswer).status === "number";
}

/**
 * One command through the shop's sync route. Anything but the route's own JSON (no network, a proxy's error
 * page, the service worker's offline page) counts as no answer: the entry is tried again later.
 */
export const browserTransport: Transport = async (request) => {
  let init: RequestInit;
  if (request.op === "uploadPhoto") {
    const form = new FormData();
    form.set("key", request.key);
    form.set("lotId", request.lotId);
    form.set("photo", request.photo, "photo");
    init = { method: "POST", body: form };
  } else {
    init = {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ op: request.op, key: request.key, body: request.body }),
    };
  }
  const response = await fetch(SYNC_URL, { ...init, credentials: "same-origin", cache: "no-store" });
  const body: unknown = response.headers.get("content-type")?.includes("application/json")
    ? await response.json().catch(() => null)
    : null;
  if (!response.ok || !isAnswer(body)) throw new Error(`the shop answered ${response.status}`);
  return body;
};

/** Sends what waits, if no other tab is sending already (it shares this database and sends ours too). */
export function runSender(db: IntakeDb, options: SendOptions = {}) {
  return withSenderLock(db, () => sendQueue(db, browserTransport, options));
}

export function ensureDeviceRegistered(db: IntakeDb, servicePointId: string) {
  return withSenderLock(db, () => registerDevice(db, browserTransport, servicePointId));
}

/**
 * Refreshes the phone's copy of the produce on sale and the point's villagers. Products are replaced (one
 * taken off sale disappears); villagers are added to (those found by a search stay).
 */
export async function refreshOfflineData(db: IntakeDb): Promise<"ok" | "login" | "offline"> {
  let response: Response;
  try {
    response = await fetch(DATA_URL, { credentials: "same-origin", cache: "no-store" });
  } catch {
    return "offline";
  }
  if (response.status === 401) return "login";
  const data = (await response.json().catch(() => null)) as {
    products?: CachedProduct[];
    villagers?: CachedVillager[];
  } | null;
  if (!response.ok || !data?.products || !data.villagers) return "offline";
  const { products, villagers } = data;
  await db.transaction("rw", [db.products, db.villagers], async () => {
    await db.products.clear();
    await db.products.bulkPut(products);
    await db.villagers.bulkPut(villagers);
  });
  return "ok";
}

/** Asks the co-op for villagers matching `q` (online), keeping them on the phone for later offline search. */
export async function searchVillagersOnline(db: IntakeDb, q: string): Promise<CachedVillager[]> {
  try {
    const response = await fetch(`${DATA_URL}?${new URLSearchParams({ q })}`, { credentials: "same-origin" });
    if (!response.ok) return [];
    const data = (await response.json().catch(() => null)) as { villagers?: CachedVillager[] } | null;
    const villagers = data?.villagers ?? [];
    await db.villagers.bulkPut(villagers);
    return villagers;
  } catch {
    return [];
  }
}

/** A registration that reached the co-op becomes a villager of the cached list. */
export async function cacheSentRegistrations(db: IntakeDb, commands: readonly Command[]) {
  const sent = commands.flatMap((command) =>
    command.kind === "registerVillager" && command.state === "sent" && command.result?.consignorId
      ? [
          {
            id: command.result.consignorId,
            name: command.payload.name,
            phone: command.payload.phone,
            village: command.payload.village ?? null,
            servicePointId: command.payload.servicePointId,
          },
        ]
      : [],
  );
  if (sent.length > 0) await db.villagers.bulkPut(sent);
}

/**
 * A Dexie query as React state, updated whenever the data changes (in this tab or another). Pass a stable
 * function (useMemo): a new one subscribes again.
 */
export function useLive<T>(query: (() => Promise<T>) | null, initial: T): T {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    if (!query) return;
    const subscription = liveQuery(query).subscribe({ next: setValue, error: () => undefined });
    return () => subscription.unsubscribe();
  }, [query]);
  return value;
}
