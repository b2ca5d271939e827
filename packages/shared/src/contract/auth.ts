import { z } from "zod";
import { STAFF_ROLES } from "../closed-sets";
import { TextInput } from "./common";

export const StaffUser = z
  .object({
    id: z.string().meta({ example: "usr_01jd7x2y3z4a5b6c7d8e9f0g1h" }),
    login: z.string(),
    displayName: z.string(),
    role: z.enum(STAFF_ROLES),
    servicePointId: z
      .string()
      .nullable()
      .meta({ description: "The agent's service point; null for other roles" }),
    mustChangePassword: z.boolean().optional().meta({
      description:
        "The password was set by an admin (reset or new account): every route but /auth/me, /auth/logout and /auth/password answers 403 PASSWORD_CHANGE_REQUIRED until the person changes it",
    }),
  })
  .meta({ id: "StaffUser" });
export type StaffUser = z.infer<typeof StaffUser>;

export const LoginRequest = z
  .object({
    login: TextInput.trim().min(1, "Enter your login name").max(64),
    password: z.string().min(1, "Enter your password").max(200),
  })
  .meta({ id: "LoginRequest" });
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResult = z
  .object({ token: z.string(), expiresAt: z.iso.datetime(), user: StaffUser })
  .meta({ id: "LoginResult" });
export type LoginResult = z.infer<typeof LoginResult>;

export const CurrentUser = z.object({ user: StaffUser }).meta({ id: "CurrentUser" });
export type CurrentUser = z.infer<typeof CurrentUser>;

/** A staff login: 3–64 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit. */
export const STAFF_LOGIN_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

/** The fewest characters of a staff password (the same rule as creating an account or a reset). */
export const STAFF_PASSWORD_MIN_LENGTH = 8;

export const ChangePassword = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password").max(200),
    newPassword: z
      .string()
      .min(STAFF_PASSWORD_MIN_LENGTH, `at least ${STAFF_PASSWORD_MIN_LENGTH} characters`)
      .max(200),
  })
  .meta({ id: "ChangePassword" });
export type ChangePassword = z.infer<typeof ChangePassword>;

export const PasswordChanged = z
  .object({ sessionsEnded: z.number().int().meta({ description: "Other sessions of the account ended" }) })
  .meta({ id: "PasswordChanged" });
export type PasswordChanged = z.infer<typeof PasswordChanged>;
