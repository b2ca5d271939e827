import { STAFF_ROLES } from "@coop/shared";
import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt, idColumn, oneOf } from "./_columns";
import { coops, locations } from "./coop";

export { STAFF_ROLES, type StaffRole } from "@coop/shared";

export const staffUsers = pgTable(
  "staff_users",
  {
    id: idColumn(),
    coopId: text()
      .notNull()
      .references(() => coops.id),
    /** Case-insensitive login name; stored lower-cased. */
    login: text().notNull().unique(),
    passwordHash: text().notNull(),
    displayName: text().notNull(),
    role: text({ enum: STAFF_ROLES }).notNull(),
    /** The one service point an agent works for; null for every other role. */
    servicePointId: text().references(() => locations.id),
    active: boolean().notNull().default(true),
    /**
     * Set when an admin gives the account a password (reset, or creation by an admin); cleared when the
     * person chooses their own. While set, the API answers only "who am I", logout and "change my password".
     */
    mustChangePassword: boolean().notNull().default(false),
    createdAt: createdAt(),
  },
  () => [
    check("staff_users_role_check", oneOf("role", STAFF_ROLES)),
    check("staff_users_login_lowercase", sql`login = lower(login)`),
    check("staff_users_agent_has_point", sql`(role = 'agent') = (service_point_id IS NOT NULL)`),
  ],
);

/**
 * Login sessions. Only the SHA-256 of the bearer token is stored, so a leaked table cannot be replayed.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: idColumn(),
    userId: text()
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    tokenHash: text().notNull().unique(),
    createdAt: createdAt(),
    expiresAt: timestamp({ withTimezone: true, mode: "date" }).notNull(),
    revokedAt: timestamp({ withTimezone: true, mode: "date" }),
    userAgent: text(),
    ip: text(),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);
