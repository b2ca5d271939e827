import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** The repository root's .data folder: the one place `pnpm dev`, the scripts and the API agree on. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL("../../../.data", import.meta.url));

/**
 * Resolves DATA_DIR. A relative value is taken from where the user ran pnpm (INIT_CWD), not from the
 * package folder pnpm switches into.
 */
export function resolveDataDir(value: string | undefined, initCwd = process.env.INIT_CWD ?? process.cwd()) {
  if (!value) return DEFAULT_DATA_DIR;
  return path.resolve(initCwd, value);
}

/** Configuration of the database scripts (migrate, seed). Read once; bad values stop the script with a message. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  DATA_DIR: z.string().min(1).optional(),
});

export type DbEnv = Omit<z.infer<typeof EnvSchema>, "DATA_DIR"> & { DATA_DIR: string };

export function readDbEnv(source: NodeJS.ProcessEnv = process.env): DbEnv {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return { ...parsed.data, DATA_DIR: resolveDataDir(parsed.data.DATA_DIR, source.INIT_CWD ?? process.cwd()) };
}
