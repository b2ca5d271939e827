import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  cacheSentRegistrations,
  ensureDeviceRegistered,
  refreshOfflineData,
  runSender,
  useLive,
} from "../../lib/offline/browser";
import { blockedBy, listCommands, pointOf } from "../../lib/offline/commands";
import { type Command, type IntakeDb, intakeDb } from "../../lib/offline/db";

/** How often the sender looks again while the screen is open (backoff decides whether it sends). */
const TICK_MS = 15_000;

export interface QueueState {
  db: IntakeDb | null;
  commands: Command[];
  byId: Map<string, Command>;
  /** Registrations and intakes not sent yet (photos go with their intake). */
  waiting: number;
  refused: number;
  needsLogin: boolean;
  online: boolean;
  /** Sends what waits now; `fresh`: the line just came back, skip the backoff. */
  kick: (fresh?: boolean) => void;
}

/**
 * The phone's queue for the intake screens: the database (browser only), its commands as live state, and
 * the one sender, run on start, when the line comes back, on a timer and after each new entry.
 */
export function useIntakeQueue(servicePointId: string): QueueState {
  const [db, setDb] = useState<IntakeDb | null>(null);
  const [online, setOnline] = useState(true);
  const running = useRef(false);
  const again = useRef<boolean | null>(null);
  const retryTimer = useRef<number | null>(null);

  useEffect(() => {
    setDb(intakeDb());
    setOnline(navigator.onLine);
    // Ask the browser not to clear this site's storage when the phone runs short of space: unsent entries
    // live only here. Browsers that say no (or ask nothing) still keep it unless space runs out.
    void navigator.storage?.persist?.().catch(() => false);
  }, []);

  const query = useMemo(() => (db ? () => listCommands(db) : null), [db]);
  const everyPoint = useLive(query, [] as Command[]);
  // The logged-in agent's point only: another agent's entries on a shared phone are theirs to see and send.
  const commands = useMemo(() => {
    const all = new Map(everyPoint.map((command) => [command.id, command]));
    return everyPoint.filter((command) => pointOf(command, all) === servicePointId);
  }, [everyPoint, servicePointId]);

  const kick = useCallback(
    (fresh = false) => {
      if (!db) return;
      if (running.current) {
        // A run is under way: run once more after it (the new entry may have come in after its start).
        again.current = (again.current ?? false) || fresh;
        return;
      }
      running.current = true;
      void (async () => {
        try {
          let ignoreBackoff = fresh;
          for (;;) {
            await ensureDeviceRegistered(db, servicePointId).catch(() => null);
            const report = await runSender(db, { ignoreBackoff, servicePointId });
            // Another tab (or the page this one replaced, still letting go) holds the sender: look again soon.
            if (report === null) scheduleKick(1_000, ignoreBackoff);
            await cacheSentRegistrations(db, await listCommands(db));
            if (again.current === null) break;
            ignoreBackoff = again.current;
            again.current = null;
          }
          // An entry in backoff goes when its delay ends, not only at the next tick.
          const nextTry = Math.min(
            ...(await db.commands.where("state").anyOf("waiting", "needsLogin").toArray()).map(
              (c) => c.nextTryAt,
            ),
          );
          const delay = nextTry - Date.now();
          if (delay > 0 && delay < TICK_MS) scheduleKick(delay + 50, false);
        } finally {
          running.current = false;
        }
      })();
    },
    [db, servicePointId],
  );
  const kickRef = useRef(kick);
  kickRef.current = kick;
  function scheduleKick(delay: number, fresh: boolean) {
    if (retryTimer.current !== null) window.clearTimeout(retryTimer.current);
    retryTimer.current = window.setTimeout(() => {
      retryTimer.current = null;
      kickRef.current(fresh);
    }, delay);
  }

  useEffect(() => {
    if (!db) return;
    void refreshOfflineData(db);
    kick(true);
    const back = () => {
      setOnline(true);
      void refreshOfflineData(db);
      kick(true);
    };
    const gone = () => setOnline(false);
    window.addEventListener("online", back);
    window.addEventListener("offline", gone);
    const timer = window.setInterval(() => kick(false), TICK_MS);
    return () => {
      window.removeEventListener("online", back);
      window.removeEventListener("offline", gone);
      window.clearInterval(timer);
      if (retryTimer.current !== null) window.clearTimeout(retryTimer.current);
    };
  }, [db, kick]);

  const byId = useMemo(() => new Map(commands.map((command) => [command.id, command])), [commands]);
  const counted = commands.filter((command) => command.kind !== "lotPhoto");
  return {
    db,
    commands,
    byId,
    waiting: counted.filter((command) => command.state !== "sent").length,
    refused: counted.filter((command) => command.state === "refused" || blockedBy(command, byId)).length,
    needsLogin: commands.some((command) => command.state === "needsLogin"),
    online,
    kick,
  };
}
