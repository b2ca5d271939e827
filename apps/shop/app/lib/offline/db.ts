import type { BaseUnit } from "@coop/shared";
import Dexie, { type EntityTable } from "dexie";

/**
 * The agent's phone keeps every intake here first (IndexedDB through Dexie), as a command with an id made on
 * the phone. That id is the Idempotency-Key the API stores on the lot or villager, so a command sent twice,
 * seconds or days apart, still makes one record (docs/decisions/0022-offline-intake-queue.md).
 */

export const COMMAND_KINDS = ["registerVillager", "intake", "lotPhoto"] as const;
export type CommandKind = (typeof COMMAND_KINDS)[number];

export const COMMAND_STATES = ["waiting", "sending", "sent", "refused", "needsLogin"] as const;
export type CommandState = (typeof COMMAND_STATES)[number];

export interface RegisterVillagerPayload {
  name: string;
  phone: string;
  village?: string;
  servicePointId: string;
  showOnProductPages: boolean;
}

/** Who brought the goods: a villager the API knows, or one registered on this phone and not yet sent. */
export type VillagerRef = { consignorId: string; name: string } | { commandId: string; name: string };

export interface IntakePayload {
  villager: VillagerRef;
  servicePointId: string;
  productId: string;
  productName: { zh: string; en: string };
  unit: BaseUnit;
  quantity: number;
  grade?: "A" | "B" | "C";
  bestBefore?: string;
  qc: { passed: true } | { passed: false; reason: string };
  /** The intake number printed before sync; null only when the phone had no number segment yet. */
  lotNo: string | null;
  /** China date the entry was made on ("2026-12-02"): the number's day. */
  day: string;
  /** The harvest-campaign pledge this lot delivers on, when the agent came from the villager's pledge. */
  pledgeId?: string;
}

export interface LotPhotoPayload {
  /** The intake command whose lot the photo belongs to (uploaded once that lot exists). */
  intakeCommandId: string;
  photoId: string;
}

export type CommandPayload =
  | { kind: "registerVillager"; payload: RegisterVillagerPayload }
  | { kind: "intake"; payload: IntakePayload }
  | { kind: "lotPhoto"; payload: LotPhotoPayload };

export interface CommandError {
  code: string;
  message: string;
  /** Facts the API gave with the refusal (e.g. ALREADY_EXISTS: the existing villager's id). */
  details?: Record<string, unknown>;
}

export interface CommandResult {
  lotId?: string;
  lotNo?: string;
  consignorId?: string;
  photoId?: string;
}

export type Command = CommandPayload & {
  /** Made on the phone; the entry's identity (intakes of a villager registered offline point at it). */
  id: string;
  /**
   * The Idempotency-Key of every send: the id at first. The API stores refusals under their key too, so when
   * the agent corrects and resends a refused entry it gets a fresh key (a refusal created nothing to double).
   */
  key: string;
  /** Order of entry on this phone: commands are sent in this order. */
  seq: number;
  createdAt: string;
  state: CommandState;
  attempts: number;
  /** Epoch milliseconds before which the sender leaves it alone (backoff). */
  nextTryAt: number;
  lastError: CommandError | null;
  result: CommandResult | null;
};

/** This phone at one service point: its own id (made once) and the number segment the API gave it. */
export interface DeviceRecord {
  servicePointId: string;
  /** Made on the phone; the Idempotency-Key of the registration, so it is registered once. */
  clientId: string;
  /** The API's id (dev_…), once registered. */
  deviceId: string | null;
  segment: string | null;
  pointCode: string | null;
}

export interface CounterRecord {
  /** `<clientId>|<YYYY-MM-DD>` */
  key: string;
  last: number;
}

export interface CachedProduct {
  id: string;
  name: { zh: string; en: string };
  unit: BaseUnit;
  priceFen: number;
  perishable: boolean;
}

export interface CachedVillager {
  id: string;
  name: string;
  phone: string | null;
  village: string | null;
  servicePointId: string;
}

export interface PhotoRecord {
  id: string;
  intakeCommandId: string;
  blob: Blob;
  type: string;
}

export interface MetaRecord {
  key: string;
  value: unknown;
}

export class IntakeDb extends Dexie {
  commands!: EntityTable<Command, "id">;
  devices!: EntityTable<DeviceRecord, "servicePointId">;
  counters!: EntityTable<CounterRecord, "key">;
  products!: EntityTable<CachedProduct, "id">;
  villagers!: EntityTable<CachedVillager, "id">;
  photos!: EntityTable<PhotoRecord, "id">;
  meta!: EntityTable<MetaRecord, "key">;

  constructor(name = "coop-intake") {
    super(name);
    this.version(1).stores({
      commands: "id, seq, state, kind",
      devices: "servicePointId",
      counters: "key",
      products: "id",
      villagers: "id, servicePointId",
      photos: "id, intakeCommandId",
      meta: "key",
    });
  }
}

let shared: IntakeDb | null = null;

/** The phone's one database (in the browser only). */
export function intakeDb(): IntakeDb {
  shared ??= new IntakeDb();
  return shared;
}

/** A command id no other phone will make: the Idempotency-Key. */
export function newCommandId(): string {
  return `cmd-${crypto.randomUUID()}`;
}
