import { auditLog, consignors, idempotencyKeys, lots, stockMovements } from "@coop/db/schema";
import { testDbKinds } from "@coop/db/testing";
import { newId } from "@coop/shared";
import { chinaDateStamp } from "@coop/shared/contract";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLot } from "../src/domain/lots/create-lot";
import { makeConsignor, makeCoopWorld, makeLocation, makeStaff } from "./factories";
import { createTestApp, type TestApp } from "./helpers";

const DAY = 86_400_000;
const inFuture = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
const stampIn = (days: number) => chinaDateStamp(new Date(Date.now() + days * DAY));

/**
 * Offline intake (issue 9, decision 0021): a phone queues intakes and villager registrations and sends them
 * later, maybe twice, maybe from two tabs at once. Each command makes exactly one lot or villager, for ever;
 * a registered phone numbers its lots itself in its own segment, so the receipt it printed offline carries
 * the lot's final number.
 */
describe.each(testDbKinds())("offline intake (%s)", (kind) => {
  let t: TestApp;
  let w: Awaited<ReturnType<typeof makeCoopWorld>>;
  let pointC: Awaited<ReturnType<typeof makeLocation>>;
  let villager: { id: string };
  const token: Record<string, string> = {};
  const as = (who: string) => ({ token: token[who] });
  const part = (point: { code: string }) => point.code.replace(/^SP-/, "");

  beforeAll(async () => {
    t = await createTestApp(kind);
    w = await makeCoopWorld(t.db.db);
    pointC = await makeLocation(t.db.db, w.coop.id);
    const agentA2 = await makeStaff(t.db.db, w.coop.id, "agent", { servicePointId: w.pointA.id });
    const agentC = await makeStaff(t.db.db, w.coop.id, "agent", { servicePointId: pointC.id });
    villager = await makeConsignor(t.db.db, w.coop.id, w.pointA.id);
    for (const [who, user] of Object.entries({ ...w, agentA2, agentC })) {
      if (who.startsWith("agent") || who === "admin" || who === "warehouseUser") {
        token[who] = await t.loginAs(
          (user as { login: string }).login,
          (user as { password: string }).password,
        );
      }
    }
  }, 60_000);
  afterAll(() => t?.close());

  const forgetIdempotency = () => t.db.db.delete(idempotencyKeys);

  function registerDevice(who: string, servicePointId: string, key?: string, label?: string) {
    return t.request("POST", "/v1/intake-devices", {
      ...as(who),
      body: { servicePointId, ...(label ? { label } : {}) },
      headers: key ? { "idempotency-key": key } : {},
    });
  }

  const eggs = (over: Record<string, unknown> = {}) => ({
    consignorId: villager.id,
    productId: w.egg.id,
    servicePointId: w.pointA.id,
    quantity: 30,
    grade: "A",
    bestBefore: inFuture(20),
    qc: { passed: true },
    ...over,
  });

  function intake(body: Record<string, unknown>, key?: string, who = "agentA") {
    return t.request("POST", "/v1/lots", {
      ...as(who),
      body,
      headers: key ? { "idempotency-key": key } : {},
    });
  }

  async function traceOf(lotId: string) {
    const ledger = await t.db.db.select().from(stockMovements).where(eq(stockMovements.lotId, lotId));
    const audits = await t.db.db.select().from(auditLog).where(eq(auditLog.entityId, lotId));
    return { ledger, audits };
  }

  const lotsWithKey = (key: string) => t.db.db.select().from(lots).where(eq(lots.clientCommandId, key));

  describe("intake devices", () => {
    it("give each phone of a point the next segment, and the same device again for its own id", async () => {
      const firstKey = newId("intakeDevice");
      const first = await registerDevice("agentC", pointC.id, firstKey, "前台手机");
      expect(first.status, first.text).toBe(201);
      expect(first.json).toMatchObject({
        id: firstKey,
        servicePointId: pointC.id,
        servicePointCode: pointC.code,
        segment: "A",
        label: "前台手机",
        retiredAt: null,
      });
      const second = await registerDevice("agentC", pointC.id, newId("intakeDevice"));
      expect(second.json.segment).toBe("B");

      // The answer was lost and the idempotency records are gone: the phone asks again, maybe relabelled.
      await forgetIdempotency();
      const again = await registerDevice("agentC", pointC.id, firstKey, "另一个名字");
      expect(again.status).toBe(201);
      expect(again.json).toMatchObject({ id: firstKey, segment: "A", label: "前台手机" });
      // Even an admin replaying it: the id is the device's, not the caller's.
      expect((await registerDevice("admin", pointC.id, firstKey)).json.segment).toBe("A");

      const list = await t.request("GET", `/v1/intake-devices?servicePointId=${pointC.id}`, as("agentC"));
      expect(list.status).toBe(200);
      expect(list.json.items.map((d: { segment: string }) => d.segment)).toEqual(["A", "B"]);
    });

    it("count on past Z to AA, and two phones registering at once never share a segment", async () => {
      const point = await makeLocation(t.db.db, w.coop.id);
      const answers = await Promise.all(
        Array.from({ length: 27 }, () => registerDevice("admin", point.id, newId("intakeDevice"))),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(27).fill(201));
      const segments = answers.map((a) => a.json.segment as string).sort();
      expect(new Set(segments).size).toBe(27);
      expect(segments).toContain("Z");
      expect(segments).toContain("AA");
      const list = await t.request("GET", `/v1/intake-devices?servicePointId=${point.id}`, as("admin"));
      expect(list.json.items.at(-1).segment).toBe("AA");
    });

    it("one phone registering from two tabs at once gets one device", async () => {
      const point = await makeLocation(t.db.db, w.coop.id);
      const key = newId("intakeDevice");
      const answers = await Promise.all([
        registerDevice("admin", point.id, key),
        registerDevice("admin", point.id, key),
      ]);
      expect(answers.map((a) => [a.status, a.json.id, a.json.segment])).toEqual([
        [201, key, "A"],
        [201, key, "A"],
      ]);
      const list = await t.request("GET", `/v1/intake-devices?servicePointId=${point.id}`, as("admin"));
      expect(list.json.items).toHaveLength(1);
      expect((await registerDevice("admin", point.id, newId("intakeDevice"))).json.segment).toBe("B");
    });

    it("never give a retired phone's segment again; retiring twice changes nothing", async () => {
      const point = await makeLocation(t.db.db, w.coop.id);
      const lost = await registerDevice("admin", point.id, newId("intakeDevice"));
      const retired = await t.request("POST", `/v1/intake-devices/${lost.json.id}/retire`, as("admin"));
      expect(retired.status).toBe(200);
      expect(retired.json.retiredAt).toEqual(expect.any(String));
      const twice = await t.request("POST", `/v1/intake-devices/${lost.json.id}/retire`, as("admin"));
      expect(twice.json.retiredAt).toBe(retired.json.retiredAt);
      const replacement = await registerDevice("admin", point.id, newId("intakeDevice"));
      expect(replacement.json.segment).toBe("B");
      const list = await t.request("GET", `/v1/intake-devices?servicePointId=${point.id}`, as("admin"));
      expect(list.json.items.map((d: { retiredAt: string | null }) => d.retiredAt !== null)).toEqual([
        true,
        false,
      ]);
    });

    it("keep agents to their own point and warehouse staff out", async () => {
      const theirs = await registerDevice("agentC", pointC.id, newId("intakeDevice"));
      expect((await registerDevice("agentB", pointC.id, newId("intakeDevice"))).status).toBe(403);
      expect((await registerDevice("warehouseUser", pointC.id)).status).toBe(403);
      const peek = await t.request("GET", `/v1/intake-devices?servicePointId=${pointC.id}`, as("agentB"));
      expect(peek.status).toBe(403);
      const own = await t.request("GET", "/v1/intake-devices", as("agentB"));
      expect(own.json.items).toEqual([]);
      const retire = await t.request("POST", `/v1/intake-devices/${theirs.json.id}/retire`, as("agentB"));
      expect(retire.status).toBe(403);
      const none = await t.request("POST", "/v1/intake-devices/dev_nothing/retire", as("admin"));
      expect(none.status).toBe(404);
    });

    it("refuse a device id already registered at another point, and a malformed one", async () => {
      const key = newId("intakeDevice");
      expect((await registerDevice("admin", pointC.id, key)).status).toBe(201);
      const moved = await registerDevice("admin", w.pointB.id, key);
      expect(moved.status).toBe(409);
      expect(moved.json.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
      const bad = await registerDevice("agentC", pointC.id, "short");
      expect(bad.status).toBe(400);
      expect(bad.json.error.code).toBe("VALIDATION_FAILED");
      const nowhere = await registerDevice("admin", w.warehouse.id, newId("intakeDevice"));
      expect(nowhere.status).toBe(400);
    });
  });

  describe("lots numbered by the phone", () => {
    let device: { id: string; segment: string };
    beforeAll(async () => {
      device = (await registerDevice("agentA", w.pointA.id, newId("intakeDevice"))).json;
    });
    const numberOf = (seq: number, days = 0, segment = device.segment, point = w.pointA) =>
      `${part(point)}-${stampIn(days)}-${segment}${String(seq).padStart(3, "0")}`;

    it("keep the number the phone printed; the server's own numbers skip them", async () => {
      const lotNo = numberOf(7);
      const res = await intake(eggs({ intakeDeviceId: device.id, lotNo }), newId("lot"));
      expect(res.status, res.text).toBe(201);
      expect(res.json).toEqual({ id: expect.any(String), lotNo, status: "in_stock" });
      const [row] = await t.db.db.select().from(lots).where(eq(lots.id, res.json.id));
      expect(row).toMatchObject({ lotNo, intakeDeviceId: device.id, onHand: 30 });
      const { ledger } = await traceOf(res.json.id);
      expect(ledger.map((l) => [l.kind, l.quantityDelta, l.reason])).toEqual([
        ["intake", 30, `intake ${lotNo}`],
      ]);

      // "…-A007" sorts after "…-0001": the server's next number must not be read from it.
      const server = await intake(eggs());
      expect(server.json.lotNo).toBe(`${part(w.pointA)}-${stampIn(0)}-0001`);
      expect((await intake(eggs())).json.lotNo).toBe(`${part(w.pointA)}-${stampIn(0)}-0002`);
    });

    it("number a lot that failed the check too, and stock none of it", async () => {
      const lotNo = numberOf(8);
      const res = await intake(
        eggs({ intakeDeviceId: device.id, lotNo, qc: { passed: false, reason: "破损太多" } }),
        newId("lot"),
      );
      expect(res.json).toEqual({ id: expect.any(String), lotNo, status: "rejected" });
      expect((await traceOf(res.json.id)).ledger).toEqual([]);
    });

    it("need the device and the number together", async () => {
      for (const body of [eggs({ intakeDeviceId: device.id }), eggs({ lotNo: numberOf(9) })]) {
        const res = await intake(body, newId("lot"));
        expect(res.status).toBe(400);
        expect(res.json.error.code).toBe("VALIDATION_FAILED");
        expect(res.json.error.fields[0].path).toMatch(/^(lotNo|intakeDeviceId)$/);
      }
    });

    it("refuse a number from an unknown, retired or other point's phone (DEVICE_NOT_VALID)", async () => {
      const unknown = await intake(eggs({ intakeDeviceId: "dev_nope", lotNo: numberOf(10) }), newId("lot"));
      expect([unknown.status, unknown.json.error.code]).toEqual([409, "DEVICE_NOT_VALID"]);

      const other = (await registerDevice("agentB", w.pointB.id, newId("intakeDevice"))).json;
      const elsewhere = await intake(
        eggs({ intakeDeviceId: other.id, lotNo: numberOf(1, 0, other.segment) }),
        newId("lot"),
      );
      expect([elsewhere.status, elsewhere.json.error.code]).toEqual([409, "DEVICE_NOT_VALID"]);

      const lost = (await registerDevice("agentA", w.pointA.id, newId("intakeDevice"))).json;
      await t.request("POST", `/v1/intake-devices/${lost.id}/retire`, as("agentA"));
      const retired = await intake(
        eggs({ intakeDeviceId: lost.id, lotNo: numberOf(1, 0, lost.segment) }),
        newId("lot"),
      );
      expect([retired.status, retired.json.error.code]).toEqual([409, "DEVICE_NOT_VALID"]);
      expect(retired.json.error.message).toMatch(/retired/);
    });

    it("refuse a number of the wrong form, segment, point or date (400 on lotNo)", async () => {
      const bad = [
        `${part(w.pointA)}-${stampIn(0)}-0011`,
        numberOf(11, 0, device.segment === "Z" ? "Y" : "Z"),
        numberOf(11, 0, device.segment, w.pointB),
        numberOf(0),
        numberOf(11, -61),
        numberOf(11, 2),
      ];
      for (const lotNo of bad) {
        const res = await intake(eggs({ intakeDeviceId: device.id, lotNo }), newId("lot"));
        expect(res.status, lotNo).toBe(400);
        expect(res.json.error.code).toBe("VALIDATION_FAILED");
        expect(res.json.error.fields).toEqual([{ path: "lotNo", message: expect.any(String) }]);
      }
      // The edges of the window: a phone offline for 60 days, or a day ahead of the server.
      for (const lotNo of [numberOf(12, -60), numberOf(13, 1)]) {
        expect((await intake(eggs({ intakeDeviceId: device.id, lotNo }), newId("lot"))).status, lotNo).toBe(
          201,
        );
      }
    });

    it("refuse a number another command already used (LOT_NUMBER_TAKEN)", async () => {
      const lotNo = numberOf(20);
      expect((await intake(eggs({ intakeDeviceId: device.id, lotNo }), newId("lot"))).status).toBe(201);
      const clash = await intake(eggs({ intakeDeviceId: device.id, lotNo, quantity: 12 }), newId("lot"));
      expect([clash.status, clash.json.error.code]).toEqual([409, "LOT_NUMBER_TAKEN"]);
      const rows = await t.db.db.select().from(lots).where(eq(lots.lotNo, lotNo));
      expect(rows).toHaveLength(1);
    });

    it("a phone retired after it sent a lot still gets that lot when it sends it again", async () => {
      const phone = (await registerDevice("agentA", w.pointA.id, newId("intakeDevice"))).json;
      const key = newId("lot");
      const body = eggs({ intakeDeviceId: phone.id, lotNo: numberOf(1, 0, phone.segment) });
      const first = await intake(body, key);
      await t.request("POST", `/v1/intake-devices/${phone.id}/retire`, as("agentA"));
      await forgetIdempotency();
      const again = await intake(body, key);
      expect(again.status).toBe(201);
      expect(again.json).toEqual(first.json);
    });
  });

  describe("an intake command sent again", () => {
    it("answers the first lot, also after the idempotency records are gone; one ledger line, one audit row", async () => {
      const key = newId("lot");
      const first = await intake(eggs(), key);
      expect(first.status).toBe(201);
      const replayed = await intake(eggs(), key);
      expect(replayed.json).toEqual(first.json);
      await forgetIdempotency();
      const later = await intake(eggs(), key);
      expect(later.status).toBe(201);
      expect(later.json).toEqual(first.json);

      expect(await lotsWithKey(key)).toHaveLength(1);
      const { ledger, audits } = await traceOf(first.json.id);
      expect(ledger).toHaveLength(1);
      expect(audits.map((a) => a.action)).toEqual(["lot.intake"]);
    });

    it("with a different intake after the records are gone is refused, and makes nothing", async () => {
      const key = newId("lot");
      const first = await intake(eggs({ quantity: 10 }), key);
      await forgetIdempotency();
      const other = await intake(eggs({ quantity: 11 }), key);
      expect(other.status).toBe(409);
      expect(other.json.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
      expect(other.json.error.message).toContain(first.json.lotNo);
      const failedQc = await intake(eggs({ quantity: 10, qc: { passed: false, reason: "太小" } }), key);
      expect(failedQc.status).toBe(409);
      // Another point's agent with that key learns nothing of the lot.
      const theirVillager = await makeConsignor(t.db.db, w.coop.id, w.pointB.id);
      const elsewhere = await intake(
        eggs({ servicePointId: w.pointB.id, consignorId: theirVillager.id, quantity: 10 }),
        key,
        "agentB",
      );
      expect([elsewhere.status, elsewhere.json.error.code]).toEqual([409, "IDEMPOTENCY_KEY_REUSED"]);
      expect(elsewhere.text).not.toContain(first.json.lotNo);
      expect(elsewhere.text).not.toContain(first.json.id);
      expect(await lotsWithKey(key)).toHaveLength(1);
    });

    it("twice at the same moment, records gone, from one agent or two: one lot, both answered with it", async () => {
      for (const senders of [
        ["agentA", "agentA"],
        ["agentA", "agentA2"],
      ]) {
        const key = newId("lot");
        await forgetIdempotency();
        const answers = await Promise.all(senders.map((who) => intake(eggs(), key, who)));
        expect(answers.map((a) => a.status)).toEqual([201, 201]);
        expect(answers[1]!.json).toEqual(answers[0]!.json);
        expect(await lotsWithKey(key)).toHaveLength(1);
        const { ledger, audits } = await traceOf(answers[0]!.json.id);
        expect([ledger.length, audits.length]).toEqual([1, 1]);
      }
    });

    it("two tabs sending the same phone-numbered intake at once: one lot", async () => {
      const device = (await registerDevice("agentA", w.pointA.id, newId("intakeDevice"))).json;
      const key = newId("lot");
      const body = eggs({
        intakeDeviceId: device.id,
        lotNo: `${part(w.pointA)}-${stampIn(0)}-${device.segment}001`,
      });
      const answers = await Promise.all([intake(body, key, "agentA"), intake(body, key, "agentA2")]);
      expect(answers.map((a) => a.status)).toEqual([201, 201]);
      expect(answers[1]!.json).toEqual(answers[0]!.json);
      expect(await lotsWithKey(key)).toHaveLength(1);
      expect((await traceOf(answers[0]!.json.id)).audits).toHaveLength(1);
    });
  });

  // Only a server runs two transactions at once (PGlite has one connection); not registered on PGlite.
  if (kind === "postgres")
    describe("racing on the server (postgres)", () => {
      it("both requests past the first check, then the UNIQUE command id: one lot, one ledger line, one audit row", async () => {
        const key = newId("lot");
        const data = { ...eggs(), qc: { passed: true as const } } as Parameters<typeof createLot>[1]["data"];
        const actorUserId = w.agentA.id;
        let racing: Promise<Awaited<ReturnType<typeof createLot>>[]> | undefined;
        // Hold the point's numbering lock so both calls get past their look-up for the command and queue on
        // the lock; the second then meets the first's committed lot at its insert (23505).
        await t.db.db.transaction(async (tx) => {
          await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`lotno:${w.pointA.id}`}))`);
          racing = Promise.all([
            createLot(t.db.db, { data, actorUserId, clientCommandId: key }),
            createLot(t.db.db, { data, actorUserId, clientCommandId: key }),
          ]);
          let waiting = 0;
          for (let i = 0; i < 200 && waiting < 2; i++) {
            await new Promise((r) => setTimeout(r, 25));
            const [row] = (await tx.execute(
              sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event = 'advisory' AND datname = current_database()`,
            )) as unknown as Array<{ n: number }>;
            waiting = row!.n;
          }
          expect(waiting).toBe(2);
        });
        const answers = await racing!;
        expect(answers).toHaveLength(2);
        expect(answers[1]).toEqual(answers[0]);
        expect(await lotsWithKey(key)).toHaveLength(1);
        const { ledger, audits } = await traceOf(answers[0]!.id);
        expect([ledger.length, audits.length]).toEqual([1, 1]);
      });
    });

  it("is documented: the device endpoints, CreateLot's new fields, the new error codes", async () => {
    const doc = (await t.request("GET", "/openapi.json")).json;
    expect(doc.paths["/v1/intake-devices"].post.responses["201"]).toBeDefined();
    expect(doc.paths["/v1/intake-devices"].get.parameters.map((p: { name: string }) => p.name)).toContain(
      "servicePointId",
    );
    expect(doc.paths["/v1/intake-devices/{id}/retire"].post).toBeDefined();
    expect(Object.keys(doc.components.schemas.IntakeDevice.properties)).toEqual(
      expect.arrayContaining(["id", "servicePointId", "servicePointCode", "segment"]),
    );
    expect(Object.keys(doc.components.schemas.CreateLot.properties)).toEqual(
      expect.arrayContaining(["intakeDeviceId", "lotNo"]),
    );
    expect(doc.components.schemas.LotCreated.required).toContain("lotNo");
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toEqual(
      expect.arrayContaining(["DEVICE_NOT_VALID", "LOT_NUMBER_TAKEN"]),
    );
  });

  describe("a villager registration sent again", () => {
    const register = (phone: string, key: string, who = "agentA", name = "王桂兰") =>
      t.request("POST", "/v1/consignors", {
        ...as(who),
        body: { name, phone, servicePointId: w.pointA.id },
        headers: { "idempotency-key": key },
      });
    const withPhone = (phone: string) => t.db.db.select().from(consignors).where(eq(consignors.phone, phone));

    it("answers the same villager for ever; another registration of that phone is still refused", async () => {
      const key = newId("consignor");
      const first = await register("13700000001", key);
      expect(first.status, first.text).toBe(201);
      await forgetIdempotency();
      const again = await register("13700000001", key);
      expect(again.status).toBe(201);
      expect(again.json).toEqual(first.json);
      // Corrected since (PATCH): the queued command is still the same registration.
      await t.request("PATCH", `/v1/consignors/${first.json.id}`, {
        ...as("agentA"),
        body: { name: "王桂蘭" },
      });
      await forgetIdempotency();
      expect((await register("13700000001", key)).json).toEqual(first.json);

      const someoneElse = await register("13700000001", newId("consignor"));
      expect([someoneElse.status, someoneElse.json.error.code]).toEqual([409, "ALREADY_EXISTS"]);
      expect(someoneElse.json.error.details.consignorId).toBe(first.json.id);
      expect(await withPhone("13700000001")).toHaveLength(1);
    });

    it("with another phone under the same key is refused", async () => {
      const key = newId("consignor");
      await register("13700000002", key);
      await forgetIdempotency();
      const other = await register("13700000003", key);
      expect([other.status, other.json.error.code]).toEqual([409, "IDEMPOTENCY_KEY_REUSED"]);
      expect(await withPhone("13700000003")).toEqual([]);
    });

    it("twice at once from two agents, records gone: one villager, both answered with it", async () => {
      const key = newId("consignor");
      const answers = await Promise.all([
        register("13700000004", key, "agentA"),
        register("13700000004", key, "agentA2"),
      ]);
      expect(answers.map((a) => a.status)).toEqual([201, 201]);
      expect(answers[1]!.json).toEqual(answers[0]!.json);
      const rows = await withPhone("13700000004");
      expect(rows.map((r) => r.clientCommandId)).toEqual([key]);
      const audits = await t.db.db
        .select()
        .from(auditLog)
        .where(
          inArray(
            auditLog.entityId,
            rows.map((r) => r.id),
          ),
        );
      expect(audits).toHaveLength(1);
    });
  });
});
