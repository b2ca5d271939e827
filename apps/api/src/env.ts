import { resolveDataDir } from "@coop/db";
import { z } from "zod";

/**
 * The API's whole configuration, read from the environment once at start-up. Nothing else reads
 * process.env; a bad value stops the process with a message that names the variable.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().default("0.0.0.0"),
  PORT: z.coerce.number().int().min(1).max(65_535).default(8787),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  DATA_DIR: z.string().min(1).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Comma-separated origins allowed to call the API from a browser (the shop). */
  CORS_ORIGINS: z.string().default("http://localhost:3000,http://127.0.0.1:3000"),
  /** Take the client address from X-Forwarded-For (only behind a trusted reverse proxy). */
  TRUST_PROXY: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  /** Where staff open the shop; printed receipts carry a QR code of the lot's page there. */
  SHOP_URL: z.url().default("http://localhost:3000"),
  /** A font with Chinese glyphs for PDF receipts (default: Debian's fonts-noto-cjk, if installed). */
  RECEIPT_FONT_PATH: z.string().optional(),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(12),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  STRIPE_SECRET_KEY: z.string().startsWith("sk_").optional(),
  STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_").optional(),
  STRIPE_API_BASE: z.url().optional(),
  /** Given to the shop for Stripe's Payment Element. */
  STRIPE_PUBLISHABLE_KEY: z.string().startsWith("pk_").optional(),
});

export type Env = Omit<z.infer<typeof EnvSchema>, "DATA_DIR"> & { DATA_DIR: string };

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`Invalid API configuration:\n${lines.join("\n")}`);
  }
  return { ...parsed.data, DATA_DIR: resolveDataDir(parsed.data.DATA_DIR, source.INIT_CWD ?? process.cwd()) };
}
