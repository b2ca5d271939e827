import { hash, verify } from "@node-rs/argon2";

/**
 * Staff passwords are hashed with Argon2id (the library's default algorithm) using the OWASP-recommended
 * parameters: 19 MiB memory, 2 iterations, 1 lane.
 */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 8;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
