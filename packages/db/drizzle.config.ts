import { defineConfig } from "drizzle-kit";

// Only `generate` is used: migrations are committed SQL, applied by src/migrate.ts on PGlite and PostgreSQL.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/index.ts",
  out: "./migrations",
  casing: "snake_case",
});
