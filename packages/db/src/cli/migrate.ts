import { createDb, pgliteDir } from "../client";
import { readDbEnv } from "../env";

const env = readDbEnv();
const handle = await createDb({ databaseUrl: env.DATABASE_URL, dataDir: pgliteDir(env.DATA_DIR) });
try {
  await handle.migrate();
  console.log(
    `Migrations applied to ${handle.kind === "postgres" ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite at ${pgliteDir(env.DATA_DIR)}`}.`,
  );
} finally {
  await handle.close();
}
