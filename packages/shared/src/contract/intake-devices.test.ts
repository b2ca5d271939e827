import { describe, expect, it } from "vitest";
import {
  chinaDateStamp,
  daysBetweenStamps,
  deviceLotNumber,
  parseDeviceLotNumber,
  segmentAt,
  segmentIndex,
} from "./intake-devices";

describe("device segments", () => {
  it("count like spreadsheet columns: A … Z, AA, AB … ZZ, AAA", () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(segmentAt)).toEqual([
      "A",
      "B",
      "Z",
      "AA",
      "AB",
      "AZ",
      "BA",
      "ZZ",
      "AAA",
    ]);
  });

  it("read back to the same position, for every segment up to ZZZ", () => {
    for (let i = 0; i < 18_278; i++) expect(segmentIndex(segmentAt(i))).toBe(i);
    expect(segmentAt(18_277)).toBe("ZZZ");
  });

  it("refuse what is not one", () => {
    expect(() => segmentAt(-1)).toThrow(RangeError);
    expect(() => segmentIndex("a")).toThrow(RangeError);
    expect(() => segmentIndex("ABCD")).toThrow(RangeError);
  });
});

describe("device intake numbers", () => {
  // 2026-12-01 17:30 UTC is already 2 December in China.
  const lateEvening = new Date("2026-12-01T17:30:00Z");

  it("follow the China day, the point code without SP- and a 3-digit sequence", () => {
    expect(chinaDateStamp(lateEvening)).toBe("20261202");
    expect(deviceLotNumber({ pointCode: "SP-HS01", segment: "B", sequence: 7, at: lateEvening })).toBe(
      "HS01-20261202-B007",
    );
    expect(deviceLotNumber({ pointCode: "HS01", segment: "AA", sequence: 999, at: lateEvening })).toBe(
      "HS01-20261202-AA999",
    );
  });

  it("never make sequence 000 or past 999", () => {
    for (const sequence of [0, 1000, 1.5]) {
      expect(() =>
        deviceLotNumber({ pointCode: "SP-HS01", segment: "B", sequence, at: lateEvening }),
      ).toThrow(RangeError);
    }
  });

  it("parse back only for the same point, in the device form, with a real date", () => {
    expect(parseDeviceLotNumber("HS01-20261202-B007", "SP-HS01")).toEqual({
      pointPart: "HS01",
      date: "20261202",
      segment: "B",
      sequence: 7,
    });
    expect(parseDeviceLotNumber("HS01-20261202-AAA001", "SP-HS01")?.segment).toBe("AAA");
    for (const bad of [
      "HS01-20261202-0007", // the server's 4-digit form
      "HS02-20261202-B007", // another point
      "HS011-20261202-B007",
      "HS01-20261202-B000", // no intake 0
      "HS01-20261202-B0007",
      "HS01-20261202-b007",
      "HS01-20260230-B007", // no 30 February
      "HS01-2026122-B007",
      "HS01-20261202-AAAA001",
    ]) {
      expect(parseDeviceLotNumber(bad, "SP-HS01"), bad).toBeUndefined();
    }
  });

  it("a point code with dashes is matched whole", () => {
    expect(parseDeviceLotNumber("HS-01-20261202-C010", "SP-HS-01")?.sequence).toBe(10);
    expect(parseDeviceLotNumber("HS-01-20261202-C010", "SP-HS")).toBeUndefined();
  });

  it("count days between China dates across months and years", () => {
    expect(daysBetweenStamps("20261202", "20261203")).toBe(1);
    expect(daysBetweenStamps("20261202", "20261003")).toBe(-60);
    expect(daysBetweenStamps("20261231", "20270101")).toBe(1);
  });
});
