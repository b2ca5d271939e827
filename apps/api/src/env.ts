import { resolveDataDir } from "@coop/db";
import { DEV_CLIENT_ADDRESS_SECRET } from "@coop/shared/client-signature";
import { z } from "zod";
import { DEV_PICKUP_CODE_SECRET } from "./domain/orders/pickup-codes";

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
  /** Failed logins per client address per minute, whatever the names tried (docs/decisions/0015). */
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** Failed logins of one name from one device (browser, else address) per LOGIN_WINDOW_MINUTES. */
  LOGIN_FAILURES_PER_DEVICE: z.coerce.number().int().min(1).default(5),
  /** Failed logins of one name from all devices together per LOGIN_WINDOW_MINUTES; known devices are exempt. */
  LOGIN_FAILURES_PER_NAME: z.coerce.number().int().min(1).default(20),
  LOGIN_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /** Verifies the shop's signed X-Coop-Client header. Required in production, at least 32 characters. */
  CLIENT_ADDRESS_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Keys the pickup-code hashes (docs/decisions/0017). Required in production; changing it voids open codes. */
  PICKUP_CODE_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /**
   * Keys the signed links of villagers' public lot pages (receipt QR, SMS). Required in production; changing
   * it voids every link already printed or sent.
   */
  PUBLIC_LINK_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Where villagers and buyers open the shop from their own phones (public links); defaults to SHOP_URL. */
  PUBLIC_SHOP_URL: z.url().optional(),
  /** "log" (default: messages are logged, nothing is sent) or "aliyun" (Alibaba Cloud SMS, needs the keys below). */
  SMS_PROVIDER: z.enum(["log", "aliyun"]).default("log"),
  SMS_ALIYUN_ACCESS_KEY_ID: z.string().min(1).optional(),
  SMS_ALIYUN_ACCESS_KEY_SECRET: z.string().min(1).optional(),
  /** The approved signature (签名) printed before every message, e.g. 供销社. */
  SMS_SIGN_NAME: z.string().min(1).optional(),
  /** Aliyun's API host; tests point it at a local fake. */
  SMS_ALIYUN_ENDPOINT: z.url().default("https://dysmsapi.aliyuncs.com"),
  /** Template codes (SMS_123…) approved at the provider, as JSON: {"lot_received":"SMS_1", …}. */
  SMS_TEMPLATE_CODES: z
    .string()
    .default("{}")
    .transform((raw, ctx) => {
      try {
        const value = JSON.parse(raw) as unknown;
        if (value && typeof value === "object" && !Array.isArray(value))
          return value as Record<string, string>;
      } catch {}
      ctx.addIssue({ code: "custom", message: 'must be a JSON object, e.g. {"lot_received":"SMS_123"}' });
      return z.NEVER;
    }),
  /**
   * Secret in the delivery-receipt URL given to Aliyun (POST /v1/webhooks/sms/aliyun?token=…): their push
   * carries no signature. Unset: the endpoint answers 404.
   */
  SMS_REPORT_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  STRIPE_SECRET_KEY: z.string().startsWith("sk_").optional(),
  STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_").optional(),
  STRIPE_API_BASE: z.url().optional(),
  /** Given to the shop for Stripe's Payment Element. */
  STRIPE_PUBLISHABLE_KEY: z.string().startsWith("pk_").optional(),
});

export type Env = Omit<
  z.infer<typeof EnvSchema>,
  "DATA_DIR" | "CLIENT_ADDRESS_SECRET" | "PICKUP_CODE_SECRET" | "PUBLIC_LINK_SECRET" | "PUBLIC_SHOP_URL"
> & {
  DATA_DIR: string;
  CLIENT_ADDRESS_SECRET: string;
  PICKUP_CODE_SECRET: string;
  PUBLIC_LINK_SECRET: string;
  PUBLIC_SHOP_URL: string;
};

/** Used whenever NODE_ENV is not production and PUBLIC_LINK_SECRET is unset (refused in production). */
export const DEV_PUBLIC_LINK_SECRET = "dev-only-public-link-secret-not-for-production";

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`Invalid API configuration:\n${lines.join("\n")}`);
  }
  const secret = parsed.data.CLIENT_ADDRESS_SECRET;
  if (parsed.data.NODE_ENV === "production" && (!secret || secret === DEV_CLIENT_ADDRESS_SECRET)) {
    throw new Error(
      "Invalid API configuration:\n  CLIENT_ADDRESS_SECRET: is required when NODE_ENV=production (not the development default)",
    );
  }
  const pickupSecret = parsed.data.PICKUP_CODE_SECRET;
  if (parsed.data.NODE_ENV === "production" && (!pickupSecret || pickupSecret === DEV_PICKUP_CODE_SECRET)) {
    throw new Error(
      "Invalid API configuration:\n  PICKUP_CODE_SECRET: is required when NODE_ENV=production (not the development default)",
    );
  }
  const linkSecret = parsed.data.PUBLIC_LINK_SECRET;
  if (parsed.data.NODE_ENV === "production" && (!linkSecret || linkSecret === DEV_PUBLIC_LINK_SECRET)) {
    throw new Error(
      "Invalid API configuration:\n  PUBLIC_LINK_SECRET: is required when NODE_ENV=production (not the development default)",
    );
  }
  const sms = parsed.data;
  if (sms.SMS_PROVIDER === "aliyun") {
    const missing = (
      ["SMS_ALIYUN_ACCESS_KEY_ID", "SMS_ALIYUN_ACCESS_KEY_SECRET", "SMS_SIGN_NAME"] as const
    ).filter((k) => !sms[k]);
    if (missing.length > 0) {
      throw new Error(
        `Invalid API configuration:\n${missing.map((k) => `  ${k}: is required when SMS_PROVIDER=aliyun`).join("\n")}`,
      );
    }
  }
  return {
    ...parsed.data,
    PUBLIC_LINK_SECRET: linkSecret ?? DEV_PUBLIC_LINK_SECRET,
    PUBLIC_SHOP_URL: parsed.data.PUBLIC_SHOP_URL ?? parsed.data.SHOP_URL,
    PICKUP_CODE_SECRET: pickupSecret ?? DEV_PICKUP_CODE_SECRET,
    DATA_DIR: resolveDataDir(parsed.data.DATA_DIR, source.INIT_CWD ?? process.cwd()),
    CLIENT_ADDRESS_SECRET: secret ?? DEV_CLIENT_ADDRESS_SECRET,
  };
}
