import { DEV_CLIENT_ADDRESS_SECRET } from "@coop/shared/client-signature";
import { z } from "zod";

/** Used only outside production, so `pnpm dev` works out of the box. Never accepted in production. */
export const DEV_SESSION_SECRET = "dev-only-session-secret-not-for-production";

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    /** Base URL of the co-op API; the shop talks to nothing else. */
    API_URL: z.url({ protocol: /^https?$/ }).default("http://127.0.0.1:8787"),
    /** Signs the staff session cookie. Required in production, at least 32 characters. */
    SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /** Signs the X-Coop-Client header (who the shop calls the API for); the API's must be the same. */
    CLIENT_ADDRESS_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /** Take the person's address from the last X-Forwarded-For entry (only behind your own proxy). */
    TRUST_PROXY: z
      .enum(["true", "false", "1", "0"])
      .default("false")
      .transform((v) => v === "true" || v === "1"),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    if (!env.SESSION_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["SESSION_SECRET"],
        message: "is required when NODE_ENV=production",
      });
    } else if (env.SESSION_SECRET === DEV_SESSION_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["SESSION_SECRET"],
        message: "must not be the development default",
      });
    }
    if (!env.CLIENT_ADDRESS_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["CLIENT_ADDRESS_SECRET"],
        message: "is required when NODE_ENV=production",
      });
    } else if (env.CLIENT_ADDRESS_SECRET === DEV_CLIENT_ADDRESS_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["CLIENT_ADDRESS_SECRET"],
        message: "must not be the development default",
      });
    }
  })
  .transform((env) => ({
    ...env,
    API_URL: env.API_URL.replace(/\/+$/, ""),
    SESSION_SECRET: env.SESSION_SECRET ?? DEV_SESSION_SECRET,
    CLIENT_ADDRESS_SECRET: env.CLIENT_ADDRESS_SECRET ?? DEV_CLIENT_ADDRESS_SECRET,
  }));

export type ShopEnv = z.infer<typeof EnvSchema>;

/** Parses the shop's configuration; a bad value throws a message naming every variable at fault. */
export function readEnv(source: Record<string, string | undefined>): ShopEnv {
  // An empty value counts as unset, as in a shell's `API_URL= pnpm start`.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`Invalid shop configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** The shop's whole configuration, read once at start-up. Nothing else reads process.env. */
export const env: ShopEnv = readEnv(process.env);
