import { defineConfig } from "vitest/config";

/**
 * Two projects: `unit` (fast, app/**) and `e2e` (builds the shop, starts the real API and the built
 * shop, drives Chromium). `pnpm test` runs both; `--project unit` or `--project e2e` picks one.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["app/**/*.test.{ts,tsx}"],
          environment: "node",
          setupFiles: ["./app/test/setup.ts"],
        },
      },
      {
        test: {
          name: "e2e",
          include: ["e2e/**/*.test.ts"],
          globalSetup: ["./e2e/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
