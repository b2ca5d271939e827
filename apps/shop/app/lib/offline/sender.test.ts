import "fake-indexeddb/auto";
import { CreateConsignor, CreateLot, RegisterIntakeDevice } from "@coop/shared/contract";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  blockedBy,
  discardCommand,
  editAndResend,
  listCommands,
  resolveWithExistingVillager,
  saveIntake,
  saveRegistration,
} from "./commands";
import { type Command, IntakeDb, type IntakePayload } from "./db";
import {
  backoffMs,
  deviceLabel,
  type SyncAnswer,
  type SyncRequest,
  sendQueue,
  type Transport,
  withSenderLock,
} from "./sender";

const POINT = "loc_hs01";
const DAY = "2026-12-02";

let db: IntakeDb;
let clock: number;
const now = () => clock;

beforeEach(async () => {
  db = new IntakeDb(`test-${crypto.randomUUID()}`);
  clock = Date.UTC(2026, 11, 2, 2, 0, 0);
});

afterEach(async () => {
  db.close();
  await db.delete();
});

/**
 * The API as the sync route passes it on: one record per Idempotency-Key, for ever (what helper A's
 * endpoints promise), plus the failures a village line produces, scripted per call.
 */
function fakeApi() {
  const lots = new Map<string, { id: string; lotNo: string; body: Record<string, unknown> }>();
  const villagers = new Map<string, { id: string; body: Record<string, unknown> }>();
  const devices = new Map<string, { id: string; segment: string }>();
  const requests: SyncRequest[] = [];
  /** Scripted failures, taken one per call before the call reaches the "server". */
  const script: Array<"offline" | "dropAnswer" | SyncAnswer> = [];
  let refuse: ((request: SyncRequest) => SyncAnswer | null) | null = null;

  const serve = (request: SyncRequest): SyncAnswer => {
    const refused = refuse?.(request);
    if (refused) return refused;
    // Bodies are checked with the API's own contract schemas, as the API would.
    const schema = {
      registerDevice: RegisterIntakeDevice,
      registerVillager: CreateConsignor,
      createLot: CreateLot,
    };
    if (request.op !== "uploadPhoto" && !schema[request.op].safeParse(request.body).success) {
      return {
        status: 400,
        body: { error: { code: "VALIDATION_FAILED", message: `bad ${request.op} body` } },
      };
    }
    switch (request.op) {
      case "registerDevice": {
        const device = devices.get(request.key) ?? { id: `dev_${devices.size + 1}`, segment: "B" };
        devices.set(request.key, device);
        return {
          status: 201,
          body: {
            id: device.id,
            servicePointId: POINT,
            servicePointCode: "SP-HS01",
            segment: device.segment,
          },
        };
      }
      case "registerVillager": {
        const villager = villagers.get(request.key) ?? {
          id: `csg_${villagers.size + 1}`,
          body: request.body,
        };
        villagers.set(request.key, villager);
        return { status: 201, body: { id: villager.id } };
      }
      case "createLot": {
        const lot = lots.get(request.key) ?? {
          id: `lot_${lots.size + 1}`,
          lotNo: String(request.body.lotNo ?? `HS01-20261202-${String(lots.size + 1).padStart(4, "0")}`),
          body: request.body,
        };
        lots.set(request.key, lot);
        return { status: 201, body: { id: lot.id, lotNo: lot.lotNo, status: "in_stock" } };
      }
      case "uploadPhoto":
        return { status: 201, body: { id: `pho_${request.key}` } };
    }
  };

  const transport: Transport = async (request) => {
    requests.push(request);
    const next = script.shift();
    if (next === "offline") throw new TypeError("Failed to fetch");
    if (next === "dropAnswer") {
      serve(request);
      throw new TypeError("network connection was lost");
    }
    if (next) return next;
    return serve(request);
  };

  return {
    transport,
    lots,
    villagers,
    devices,
    requests,
    script,
    refuseWith(rule: (request: SyncRequest) => SyncAnswer | null) {
      refuse = rule;
    },
  };
}

const intake = (over: Partial<Omit<IntakePayload, "lotNo">> = {}): Omit<IntakePayload, "lotNo"> => ({
  villager: { consignorId: "csg_known", name: "刘桂英" },
  servicePointId: POINT,
  productId: "prd_eggs",
  productName: { zh: "土鸡蛋", en: "Free-range eggs" },
  unit: "piece",
  quantity: 30,
  qc: { passed: true },
  day: DAY,
  ...over,
});

async function registeredPhone() {
  await db.devices.put({
    servicePointId: POINT,
    clientId: "dev-client-1",
    deviceId: "dev_1",
    segment: "B",
    pointCode: "SP-HS01",
  });
}

const byId = async () => new Map((await listCommands(db)).map((c) => [c.id, c] as [string, Command]));
const states = async () => (await listCommands(db)).map((c) => c.state);

describe("intake numbers made on the phone", () => {
  it("are the phone's segment and the day's next number, never the same twice, also from two tabs", async () => {
    await registeredPhone();
    const otherTab = new IntakeDb(db.name);
    const saved = await Promise.all(
      Array.from({ length: 12 }, (_, i) => saveIntake(i % 2 ? otherTab : db, intake())),
    );
    otherTab.close();
    const numbers = saved.map((c) => (c.kind === "intake" ? c.payload.lotNo : null)).sort();
    expect(new Set(numbers).size).toBe(12);
    expect(numbers[0]).toBe("HS01-20261202-B001");
    expect(numbers[11]).toBe("HS01-20261202-B012");
    // A new day starts again at 001.
    const tomorrow = await saveIntake(db, intake({ day: "2026-12-03" }));
    expect(tomorrow.kind === "intake" && tomorrow.payload.lotNo).toBe("HS01-20261203-B001");
  });

  it("come as soon as a phone without a segment gets one, and go with the lot", async () => {
    const api = fakeApi();
    const first = await saveIntake(db, intake());
    expect(first.kind === "intake" && first.payload.lotNo).toBeNull();
    await sendQueue(db, api.transport, { now });
    expect(api.requests.map((r) => r.op)).toEqual(["registerDevice", "createLot"]);
    const lot = api.requests[1];
    expect(lot?.op === "createLot" && lot.body).toMatchObject({
      intakeDeviceId: "dev_1",
      lotNo: "HS01-20261202-B001",
    });
    const [sent] = await listCommands(db);
    expect(sent?.result).toEqual({ lotId: "lot_1", lotNo: "HS01-20261202-B001" });
  });
});

describe("the phone's registration", () => {
  it("names the phone in a label the API accepts, whatever the browser's user agent", () => {
    const android =
      "Mozilla/5.0 (Linux; Android 13; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36";
    expect(deviceLabel(android)).toMatch(/^Android \d{4}-\d{2}-\d{2}$/);
    expect(
      RegisterIntakeDevice.safeParse({ servicePointId: POINT, label: deviceLabel(android) }).success,
    ).toBe(true);
  });
});

describe("the sender", () => {
  it("sends a villager registered offline first, then their intakes with the villager's new id, each keyed by its command id", async () => {
    await registeredPhone();
    const api = fakeApi();
    const villager = await saveRegistration(db, {
      name: "王秀英",
      phone: "13800001111",
      servicePointId: POINT,
      showOnProductPages: false,
    });
    const ref = { commandId: villager.id, name: "王秀英" };
    const a = await saveIntake(db, intake({ villager: ref }));
    const b = await saveIntake(db, intake({ villager: ref, quantity: 12 }));

    const report = await sendQueue(db, api.transport, { now });

    expect(report).toEqual({ sent: 3, refused: 0, stoppedBy: "done" });
    expect(api.requests.map((r) => [r.op, r.key])).toEqual([
      ["registerVillager", villager.id],
      ["createLot", a.id],
      ["createLot", b.id],
    ]);
    for (const request of api.requests.slice(1)) {
      expect(request.op === "createLot" && request.body.consignorId).toBe("csg_1");
    }
    expect(await states()).toEqual(["sent", "sent", "sent"]);
    expect(api.lots.size).toBe(2);
  });

  it("sends the harvest pledge an entry delivers on, and none for an ordinary entry", async () => {
    await registeredPhone();
    const api = fakeApi();
    await saveIntake(db, intake({ pledgeId: "plg_1" }));
    await saveIntake(db, intake());
    await sendQueue(db, api.transport, { now });
    const bodies = api.requests.flatMap((r) => (r.op === "createLot" ? [r.body] : []));
    expect(bodies).toHaveLength(2);
    expect(bodies[0]?.pledgeId).toBe("plg_1");
    expect(bodies[1]).not.toHaveProperty("pledgeId");
  });

  it("keeps an entry whose answer was lost and sends it again with the same key: one lot", async () => {
    await registeredPhone();
    const api = fakeApi();
    const entry = await saveIntake(db, intake());
    api.script.push("dropAnswer");

    const first = await sendQueue(db, api.transport, { now });
    expect(first.stoppedBy).toBe("offline");
    const [waiting] = await listCommands(db);
    expect(waiting).toMatchObject({ state: "waiting", attempts: 1, nextTryAt: clock + 2_000 });
    expect(waiting?.lastError?.code).toBe("OFFLINE");

    clock += 2_000;
    await sendQueue(db, api.transport, { now });
    expect(api.requests.map((r) => r.key)).toEqual([entry.id, entry.id]);
    expect(api.lots.size).toBe(1);
    expect(await states()).toEqual(["sent"]);
  });

  it("waits out the backoff without sending, keeping the order behind a failing entry", async () => {
    await registeredPhone();
    const api = fakeApi();
    await saveIntake(db, intake());
    await saveIntake(db, intake());
    api.script.push({ status: 503, body: { error: { code: "SERVICE_UNAVAILABLE", message: "down" } } });

    await sendQueue(db, api.transport, { now });
    expect(api.requests).toHaveLength(1);
    clock += 1_000;
    expect((await sendQueue(db, api.transport, { now })).stoppedBy).toBe("backoff");
    expect(api.requests).toHaveLength(1);
    expect(await states()).toEqual(["waiting", "waiting"]);

    // The line comes back ("online"): no need to wait out the rest of the delay.
    await sendQueue(db, api.transport, { now, ignoreBackoff: true });
    expect(await states()).toEqual(["sent", "sent"]);
  });

  it("backs off 2 s, 4 s, 8 s … up to 5 minutes, and honours a longer Retry-After", async () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n))).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(backoffMs(30)).toBe(300_000);
    expect(backoffMs(1, 120)).toBe(120_000);

    await registeredPhone();
    const api = fakeApi();
    await saveIntake(db, intake());
    api.script.push({ status: 429, body: null, retryAfter: 90 });
    await sendQueue(db, api.transport, { now });
    const [entry] = await listCommands(db);
    expect(entry).toMatchObject({ state: "waiting", nextTryAt: clock + 90_000 });
    expect(entry?.lastError?.code).toBe("HTTP_429");
  });

  it("stops on 401 and keeps every entry until the agent logs in again", async () => {
    await registeredPhone();
    const api = fakeApi();
    await saveIntake(db, intake());
    await saveIntake(db, intake());
    api.script.push({ status: 401, body: { error: { code: "UNAUTHENTICATED", message: "log in" } } });

    expect((await sendQueue(db, api.transport, { now })).stoppedBy).toBe("login");
    expect(await states()).toEqual(["needsLogin", "waiting"]);
    expect(api.lots.size).toBe(0);

    await sendQueue(db, api.transport, { now });
    expect(await states()).toEqual(["sent", "sent"]);
  });

  it("keeps a refused entry with the API's message, goes on with the next, and resends it once corrected", async () => {
    await registeredPhone();
    const api = fakeApi();
    const bad = await saveIntake(db, intake({ productId: "prd_off_sale" }));
    await saveIntake(db, intake());
    api.refuseWith((request) =>
      request.op === "createLot" && request.body.productId === "prd_off_sale"
        ? { status: 409, body: { error: { code: "CONFLICT", message: "这个货品已下架" } } }
        : null,
    );

    const report = await sendQueue(db, api.transport, { now });
    expect(report).toEqual({ sent: 1, refused: 1, stoppedBy: "done" });
    const [refused] = await listCommands(db);
    expect(refused).toMatchObject({
      state: "refused",
      lastError: { code: "CONFLICT", message: "这个货品已下架" },
    });

    // Later runs leave it alone: it is for the agent to decide.
    await sendQueue(db, api.transport, { now });
    expect(api.requests.filter((r) => r.key === bad.id)).toHaveLength(1);

    await editAndResend(db, bad.id, (command) =>
      command.kind === "intake"
        ? { ...command, payload: { ...command.payload, productId: "prd_eggs" } }
        : command,
    );
    await sendQueue(db, api.transport, { now });
    expect(await states()).toEqual(["sent", "sent"]);
    // The corrected entry keeps its place and number; it goes under a fresh key (the old one holds the refusal).
    const resent = api.requests.filter((r) => r.op === "createLot").at(-1);
    expect(resent?.key).not.toBe(bad.id);
    expect(resent?.op === "createLot" && resent.body.lotNo).toBe("HS01-20261202-B001");
    expect([...api.lots.values()].map((lot) => lot.lotNo).sort()).toEqual([
      "HS01-20261202-B001",
      "HS01-20261202-B002",
    ]);
  });

  it("holds a refused registration's intakes back, shown as blocked, and lets the others go", async () => {
    await registeredPhone();
    const api = fakeApi();
    const villager = await saveRegistration(db, {
      name: "李四",
      phone: "13800002222",
      servicePointId: POINT,
      showOnProductPages: false,
    });
    const blocked = await saveIntake(db, intake({ villager: { commandId: villager.id, name: "李四" } }));
    await saveIntake(db, intake());
    api.refuseWith((request) =>
      request.op === "registerVillager"
        ? {
            status: 409,
            body: {
              error: { code: "ALREADY_EXISTS", message: "registered", details: { consignorId: "csg_old" } },
            },
          }
        : null,
    );

    await sendQueue(db, api.transport, { now });
    const all = await byId();
    expect(all.get(villager.id)?.state).toBe("refused");
    expect(all.get(villager.id)?.lastError?.details).toEqual({ consignorId: "csg_old" });
    expect(all.get(blocked.id)?.state).toBe("waiting");
    expect(blockedBy(all.get(blocked.id)!, all)?.id).toBe(villager.id);
    expect(api.lots.size).toBe(1);

    // The phone is already a villager here: the agent takes that one, and the blocked intake goes to them.
    await resolveWithExistingVillager(db, villager.id, "csg_old");
    await sendQueue(db, api.transport, { now });
    expect(api.lots.get(blocked.id)?.body.consignorId).toBe("csg_old");
    expect(await states()).toEqual(["sent", "sent", "sent"]);
  });

  it("sends only the logged-in agent's point's entries; another point's wait for their own agent", async () => {
    await registeredPhone();
    const api = fakeApi();
    const ours = await saveIntake(db, intake());
    const theirs = await saveRegistration(db, {
      name: "别的点",
      phone: "13800004444",
      servicePointId: "loc_hs02",
      showOnProductPages: false,
    });
    const report = await sendQueue(db, api.transport, { now, servicePointId: POINT });
    expect(report).toEqual({ sent: 1, refused: 0, stoppedBy: "done" });
    expect(api.requests.map((r) => r.key)).toEqual([ours.id]);
    expect((await byId()).get(theirs.id)?.state).toBe("waiting");
  });

  it("resends an entry left 'sending' by a closed tab, with the same key", async () => {
    await registeredPhone();
    const api = fakeApi();
    const entry = await saveIntake(db, intake());
    await db.commands.update(entry.id, { state: "sending" });
    await sendQueue(db, api.transport, { now });
    expect(api.requests.map((r) => r.key)).toEqual([entry.id]);
    expect(await states()).toEqual(["sent"]);
  });

  it("uploads an intake's photo after its lot exists", async () => {
    await registeredPhone();
    const api = fakeApi();
    const entry = await saveIntake(db, intake(), [new Blob(["jpeg"], { type: "image/jpeg" })]);
    await sendQueue(db, api.transport, { now });
    expect(api.requests.map((r) => r.op)).toEqual(["createLot", "uploadPhoto"]);
    const photo = api.requests[1];
    expect(photo?.op === "uploadPhoto" && photo.lotId).toBe("lot_1");
    expect((await listCommands(db)).map((c) => [c.kind, c.state])).toEqual([
      ["intake", "sent"],
      ["lotPhoto", "sent"],
    ]);
    expect(entry.kind).toBe("intake");
  });
});

describe("the agent's own decisions", () => {
  it("discarding a registration takes its waiting intakes with it, and nothing already sent", async () => {
    await registeredPhone();
    const villager = await saveRegistration(db, {
      name: "赵六",
      phone: "13800003333",
      servicePointId: POINT,
      showOnProductPages: false,
    });
    await saveIntake(db, intake({ villager: { commandId: villager.id, name: "赵六" } }), [new Blob(["x"])]);
    const other = await saveIntake(db, intake());
    expect(await discardCommand(db, villager.id)).toBe(3);
    expect((await listCommands(db)).map((c) => c.id)).toEqual([other.id]);
    expect(await db.photos.count()).toBe(0);
  });
});

describe("one sender per phone", () => {
  it("runs the work of only one of two tabs that ask at once", async () => {
    let running = 0;
    let most = 0;
    const work = async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running -= 1;
      return "sent";
    };
    const results = await Promise.all([withSenderLock(db, work), withSenderLock(db, work)]);
    expect(most).toBe(1);
    expect(results.filter((r) => r === "sent")).toHaveLength(1);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    // Released: the next run gets it.
    expect(await withSenderLock(db, work)).toBe("sent");
  });
});
