import {
  type Command,
  type CommandError,
  type CommandPayload,
  type DeviceRecord,
  type IntakeDb,
  type IntakePayload,
  newCommandId,
  type RegisterVillagerPayload,
} from "./db";
import { deviceLotNumber, MAX_DEVICE_LOTS_PER_DAY } from "./lot-number";

/** Thrown when this phone has used all 999 numbers of its segment today. */
export class DayNumbersUsedUp extends Error {
  override readonly name = "DayNumbersUsedUp";
}

const SEQ_KEY = "commandSeq";

/** Next entry order; called inside a rw transaction that includes `meta`. */
async function nextSeq(db: IntakeDb): Promise<number> {
  const row = await db.meta.get(SEQ_KEY);
  const seq = (typeof row?.value === "number" ? row.value : 0) + 1;
  await db.meta.put({ key: SEQ_KEY, value: seq });
  return seq;
}

function newCommand(seq: number, entry: CommandPayload, id: string, now: Date): Command {
  return {
    ...entry,
    id,
    key: id,
    seq,
    createdAt: now.toISOString(),
    state: "waiting",
    attempts: 0,
    nextTryAt: 0,
    lastError: null,
    result: null,
  } as Command;
}

/**
 * Takes this phone's next number of the day for its segment. Runs inside the caller's transaction, so two
 * tabs (IndexedDB serialises rw transactions on the same tables) never take the same number.
 */
async function takeLotNumber(db: IntakeDb, device: DeviceRecord, day: string): Promise<string | null> {
  if (!device.segment || !device.pointCode) return null;
  const key = `${device.clientId}|${day}`;
  const last = (await db.counters.get(key))?.last ?? 0;
  if (last >= MAX_DEVICE_LOTS_PER_DAY) throw new DayNumbersUsedUp(`${MAX_DEVICE_LOTS_PER_DAY} lots today`);
  await db.counters.put({ key, last: last + 1 });
  return deviceLotNumber(device.pointCode, day, device.segment, last + 1);
}

/** A villager registered on the phone: saved as a command, and findable in the cached list at once. */
export async function saveRegistration(
  db: IntakeDb,
  payload: RegisterVillagerPayload,
  now = new Date(),
): Promise<Command> {
  return db.transaction("rw", [db.commands, db.meta], async () => {
    const command = newCommand(await nextSeq(db), { kind: "registerVillager", payload }, newCommandId(), now);
    await db.commands.add(command);
    return command;
  });
}

/**
 * An intake saved on the phone with its final intake number (when the phone has a segment), in one
 * transaction: the number is never taken without the entry, nor the entry saved without its number.
 */
export async function saveIntake(
  db: IntakeDb,
  payload: Omit<IntakePayload, "lotNo">,
  photos: Blob[] = [],
  now = new Date(),
): Promise<Command> {
  return db.transaction("rw", [db.commands, db.meta, db.counters, db.devices, db.photos], async () => {
    const device = await db.devices.get(payload.servicePointId);
    const lotNo = device ? await takeLotNumber(db, device, payload.day) : null;
    const command = newCommand(
      await nextSeq(db),
      { kind: "intake", payload: { ...payload, lotNo } },
      newCommandId(),
      now,
    );
    await db.commands.add(command);
    for (const blob of photos) {
      const photoId = newCommandId().replace(/^cmd-/, "pho-");
      await db.photos.add({ id: photoId, intakeCommandId: command.id, blob, type: blob.type });
      await db.commands.add(
        newCommand(
          await nextSeq(db),
          { kind: "lotPhoto", payload: { intakeCommandId: command.id, photoId } },
          newCommandId(),
          now,
        ),
      );
    }
    return command;
  });
}

/** An intake saved before the phone had a segment gets its number when the segment arrives. */
export async function numberUnnumberedIntakes(db: IntakeDb, servicePointId: string): Promise<number> {
  return db.transaction("rw", [db.commands, db.counters, db.devices], async () => {
    const device = await db.devices.get(servicePointId);
    if (!device?.segment) return 0;
    const waiting = await db.commands.where("kind").equals("intake").sortBy("seq");
    let numbered = 0;
    for (const command of waiting) {
      if (command.kind !== "intake" || command.payload.lotNo || command.state === "sent") continue;
      if (command.payload.servicePointId !== servicePointId) continue;
      const lotNo = await takeLotNumber(db, device, command.payload.day);
      await db.commands.update(command.id, { payload: { ...command.payload, lotNo } });
      numbered += 1;
    }
    return numbered;
  });
}

/** Every command, in the order it was entered. */
export function listCommands(db: IntakeDb): Promise<Command[]> {
  return db.commands.orderBy("seq").toArray();
}

/** What still has to reach the co-op (photos count with their intake, not alone). */
export function isPending(command: Command): boolean {
  return command.state !== "sent";
}

/** The entry a command waits for: its villager's registration, or a photo's intake. */
function parentOf(command: Command): string | null {
  if (command.kind === "intake" && "commandId" in command.payload.villager)
    return command.payload.villager.commandId;
  if (command.kind === "lotPhoto") return command.payload.intakeCommandId;
  return null;
}

/** The service point an entry belongs to (a photo: its intake's). */
export function pointOf(command: Command, all: ReadonlyMap<string, Command>): string | null {
  if (command.kind === "lotPhoto") {
    const intake = all.get(command.payload.intakeCommandId);
    return intake ? pointOf(intake, all) : null;
  }
  return command.payload.servicePointId;
}

/** An entry and every entry that waits for it (a registration's intakes and their photos). */
export function withDependents(id: string, all: readonly Command[]): Set<string> {
  const found = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const command of all) {
      const parent = parentOf(command);
      if (!found.has(command.id) && parent && found.has(parent)) {
        found.add(command.id);
        grew = true;
      }
    }
  }
  return found;
}

/**
 * A registration's intakes cannot go before the registration does: when it was refused, they wait behind
 * it, shown as blocked. Returns the refused registration, or null.
 */
export function blockedBy(command: Command, all: ReadonlyMap<string, Command>): Command | null {
  const parentId = parentOf(command);
  if (!parentId) return null;
  const parent = all.get(parentId);
  if (!parent) return null;
  if (parent.state === "refused") return parent;
  return blockedBy(parent, all);
}

/**
 * The agent corrected (or simply resends) a refused entry: it goes back in line in its place, with its number,
 * under a fresh Idempotency-Key, since the API answers the old key with the stored refusal.
 */
export async function editAndResend(
  db: IntakeDb,
  id: string,
  change: (command: Command) => Command,
): Promise<void> {
  await db.transaction("rw", db.commands, async () => {
    const command = await db.commands.get(id);
    if (!command || command.state === "sent") return;
    const changed = change(command);
    await db.commands.put({
      ...changed,
      id: command.id,
      key: command.state === "refused" ? newCommandId() : command.key,
      seq: command.seq,
      state: "waiting",
      nextTryAt: 0,
      lastError: null,
    });
  });
}

/**
 * A refused registration whose phone is already a villager at this point: the agent uses that villager, and
 * the intakes behind the registration go to them.
 */
export async function resolveWithExistingVillager(db: IntakeDb, id: string, consignorId: string) {
  await db.commands.update(id, { state: "sent", result: { consignorId }, lastError: null });
}

/**
 * Removes an entry on the agent's explicit say-so, with whatever waits behind it (a registration's intakes,
 * an intake's photos). Returns how many entries went; nothing already sent is touched.
 */
export async function discardCommand(db: IntakeDb, id: string): Promise<number> {
  return db.transaction("rw", [db.commands, db.photos], async () => {
    const all = await db.commands.toArray();
    const doomed = withDependents(id, all);
    const removable = all.filter((command) => doomed.has(command.id) && command.state !== "sent");
    for (const command of removable) {
      if (command.kind === "lotPhoto") await db.photos.delete(command.payload.photoId);
      await db.commands.delete(command.id);
    }
    return removable.length;
  });
}

export function errorOf(code: string, message: string, details?: Record<string, unknown>): CommandError {
  return details ? { code, message, details } : { code, message };
}
