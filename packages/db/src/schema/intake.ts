import { sql } from "drizzle-orm";
import { check, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, idColumn } from "./_columns";
import { coops, locations } from "./coop";
import { staffUsers } from "./staff";

/**
 * A phone (browser) that takes in produce at a service point, possibly offline. Each gets its own segment
 * letter(s) at that point, and numbers its intakes itself inside that segment ("HS01-20261202-B007"), so a
 * receipt printed before the line came back already carries the lot's final number (decision 0021).
 */
export const intakeDevices = pgTable(
  "intake_devices",
  {
    id: idColumn(),
    coopId: text()
      .notNull()
      .references(() => coops.id),
    servicePointId: text()
      .notNull()
      .references(() => locations.id),
    /** Upper-case letters, A, B, … Z, AA …: unique at the point, never reused. */
    segment: text().notNull(),
    /** What the agent called the device ("前台手机"), to tell two phones apart in the console. */
    label: text(),
    registeredByUserId: text()
      .notNull()
      .references(() => staffUsers.id),
    createdAt: createdAt(),
    /** A lost or replaced phone is retired: its segment stays taken, new intakes from it are refused. */
    retiredAt: timestamp({ withTimezone: true, mode: "date" }),
  },
  (t) => [
    uniqueIndex("intake_devices_point_segment_unique").on(t.servicePointId, t.segment),
    check("intake_devices_segment_letters", sql`segment ~ '^[A-Z]{1,3}$'`),
  ],
);
