import { z } from "zod";
import { chinaDateStamp, daysBetween, isPlainDate } from "../china-time";
import { TextInput } from "./common";

// Offline intake (decision 0021): every phone that takes in produce at a service point is registered once
// and given its own segment letters there ("B"). It then numbers its intakes itself, with no network:
// "HS01-20261202-B007" is point HS01, China date 2026-12-02, segment B, its 7th intake that day. Numbers
// the server gives (no device) keep the 4-digit form "HS01-20261202-0007", so the two never collide.

/** Segment letters: A … Z, AA … ZZ, AAA … (the database holds at most 3). */
export const SEGMENT_PATTERN = /^[A-Z]{1,3}$/;
/** A device numbers at most this many intakes per day (3 digits, 001–999). */
export const MAX_DEVICE_SEQUENCE = 999;
/** How far a device-numbered intake's date may lie before / after today (China time), in days. */
export const DEVICE_LOT_DATE_WINDOW = { pastDays: 60, futureDays: 1 } as const;

/**
 * The n-th segment of a point (0 → "A", 25 → "Z", 26 → "AA", 27 → "AB", 701 → "ZZ", 702 → "AAA"), like
 * spreadsheet columns. Segments are never reused, so this only grows.
 */
export function segmentAt(index: number): string {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`no segment number ${index}`);
  let n = index + 1;
  let letters = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** The inverse of segmentAt: "A" → 0, "AA" → 26. */
export function segmentIndex(segment: string): number {
  if (!SEGMENT_PATTERN.test(segment)) throw new RangeError(`not a segment: ${segment}`);
  let n = 0;
  for (const ch of segment) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** Intake numbers follow the agent's China day, not UTC's (china-time.ts). */
export { chinaDateStamp };

/** "SP-HS01" → "HS01": the part of a point's code that starts its intake numbers. */
export function lotNumberPointPart(pointCode: string): string {
  return pointCode.replace(/^SP-/, "");
}

/** The number a device gives its `sequence`-th intake of the China day `at` ("HS01-20261202-B007"). */
export function deviceLotNumber(input: {
  pointCode: string;
  segment: string;
  sequence: number;
  at: Date;
}): string {
  const { segment, sequence } = input;
  if (!SEGMENT_PATTERN.test(segment)) throw new RangeError(`not a segment: ${segment}`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_DEVICE_SEQUENCE) {
    throw new RangeError(`a device numbers 1–${MAX_DEVICE_SEQUENCE} intakes a day, not ${sequence}`);
  }
  const seq = String(sequence).padStart(3, "0");
  return `${lotNumberPointPart(input.pointCode)}-${chinaDateStamp(input.at)}-${segment}${seq}`;
}

export interface DeviceLotNumber {
  pointPart: string;
  /** YYYYMMDD, a real calendar date. */
  date: string;
  segment: string;
  sequence: number;
}

/**
 * Reads a device-made number of the point `pointCode`; undefined when it is not of that form: another
 * point's, a server-made 4-digit one, sequence 000, or a date the calendar does not have.
 */
export function parseDeviceLotNumber(lotNo: string, pointCode: string): DeviceLotNumber | undefined {
  const pointPart = lotNumberPointPart(pointCode);
  if (!lotNo.startsWith(`${pointPart}-`)) return undefined;
  const m = /^(\d{8})-([A-Z]{1,3})(\d{3})$/.exec(lotNo.slice(pointPart.length + 1));
  if (!m) return undefined;
  const [, date, segment, seq] = m as unknown as [string, string, string, string];
  const iso = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;
  if (!isPlainDate(iso)) return undefined;
  const sequence = Number(seq);
  if (sequence < 1) return undefined;
  return { pointPart, date, segment, sequence };
}

/** Whole days from China date `from` to China date `to` (both YYYYMMDD); negative when `to` is earlier. */
export function daysBetweenStamps(from: string, to: string): number {
  const iso = (s: string) => `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
  return daysBetween(iso(from), iso(to));
}

export const RegisterIntakeDevice = z
  .object({
    servicePointId: z.string().min(1),
    label: TextInput.trim()
      .max(40)
      .optional()
      .meta({ description: "What the agent calls this phone, e.g. 前台手机", example: "前台手机" }),
  })
  .meta({
    id: "RegisterIntakeDevice",
    description:
      "Send the device's own client-made id (e.g. a dev_… TypeID) as the Idempotency-Key: it becomes the device's id, so registering again with it, even long after, answers the same device.",
  });
export type RegisterIntakeDevice = z.infer<typeof RegisterIntakeDevice>;

export const IntakeDevice = z
  .object({
    id: z.string(),
    servicePointId: z.string(),
    servicePointCode: z.string().meta({ example: "SP-HS01" }),
    segment: z.string().meta({
      description:
        "The device's letters at its point, part of every number it gives: HS01-20261202-B007 is segment B, its 7th intake that day",
      example: "B",
    }),
    label: z.string().nullable(),
    createdAt: z.iso.datetime(),
    retiredAt: z.iso
      .datetime()
      .nullable()
      .meta({ description: "A retired device's intakes are refused; its segment is never given again" }),
  })
  .meta({ id: "IntakeDevice" });
export type IntakeDevice = z.infer<typeof IntakeDevice>;

export const IntakeDeviceList = z.object({ items: z.array(IntakeDevice) }).meta({ id: "IntakeDeviceList" });
export type IntakeDeviceList = z.infer<typeof IntakeDeviceList>;
