import path from "node:path";
import { parseArgs } from "node:util";
import { createDb, pgliteDir } from "@coop/db";
import { coops } from "@coop/db/schema";
import { CreateWarehouse } from "@coop/shared/contract";
import { eq } from "drizzle-orm";
import { initCoop } from "../domain/locations/init-coop";
import { createWarehouse } from "../domain/locations/warehouses";
import { pickupCodes } from "../domain/orders/pickup-codes";
import { upgradeLegacyPickupCodes } from "../domain/orders/pickup-legacy";
import { createStaffUser } from "../domain/staff/create-staff-user";
import { readEnv } from "../env";
import { ApiError } from "../lib/errors";
import { importFilesFromDisk } from "../storage/import-files";

/**
 * The operator's command line: `pnpm coop <command> [options]`. It runs the same domain functions as the
 * API, against DATABASE_URL or the embedded database (stop `pnpm dev` first: PGlite has one user at a time).
 */
const USAGE = `Usage:
  pnpm coop users:create --role admin|warehouse|agent --login L --password P [--service-point CODE] [--name NAME]
  pnpm coop coop:init --code CODE --name-zh 名称 --name-en NAME [--warehouse-code WH-CODE]
                 [--warehouse-name-zh 仓库名] [--warehouse-name-en NAME]   (the co-op and its warehouse; safe to run again)
  pnpm coop warehouses:create --code WH-CODE --name-zh 仓库名 --name-en NAME [--address A] [--phone P] [--coop CODE]
  pnpm coop files:import [--from /absolute/dir]   (photos kept on disk, default DATA_DIR/files, into the database)
  pnpm coop pickup-codes:upgrade                  (hashes open orders' pickup codes from before release 0011; needs PICKUP_CODE_SECRET)`;

const COMMANDS = ["users:create", "coop:init", "warehouses:create", "files:import", "pickup-codes:upgrade"];

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      role: { type: "string" },
      login: { type: "string" },
      password: { type: "string" },
      "service-point": { type: "string" },
      name: { type: "string" },
      code: { type: "string" },
      "name-zh": { type: "string" },
      "name-en": { type: "string" },
      coop: { type: "string" },
      from: { type: "string" },
      "warehouse-code": { type: "string" },
      "warehouse-name-zh": { type: "string" },
      "warehouse-name-en": { type: "string" },
      address: { type: "string" },
      phone: { type: "string" },
    },
    strict: true,
  });
  if (!command || !COMMANDS.includes(command)) {
    console.error(USAGE);
    return 2;
  }
  const env = readEnv();
  const handle = await createDb({
    databaseUrl: env.DATABASE_URL,
    dataDir: pgliteDir(env.DATA_DIR),
    maxConnections: 2,
  });
  try {
    await handle.migrate();
    if (command === "pickup-codes:upgrade") {
      const { hashed } = await upgradeLegacyPickupCodes(handle.db, pickupCodes(env.PICKUP_CODE_SECRET));
      console.log(`Pickup codes hashed: ${hashed}. No plain pickup code is left in the database.`);
      return 0;
    }
    if (command === "files:import")
      return await filesImport(handle.db, values.from ?? path.join(env.DATA_DIR, "files"));
    if (command === "coop:init") {
      if (!values.code || !values["name-zh"] || !values["name-en"]) {
        console.error(USAGE);
        return 2;
      }
      const result = await initCoop(handle.db, {
        code: values.code,
        name: { zh: values["name-zh"], en: values["name-en"] },
        warehouse: {
          ...(values["warehouse-code"] ? { code: values["warehouse-code"] } : {}),
          name: { zh: values["warehouse-name-zh"], en: values["warehouse-name-en"] },
        },
      });
      console.log(
        result.coop.created
          ? `Created co-op ${values.code} (${result.coop.id}).`
          : `Co-op ${values.code} already exists.`,
      );
      console.log(
        result.warehouse.created
          ? `Created its warehouse ${result.warehouse.code} (${result.warehouse.id}).`
          : `Its warehouse ${result.warehouse.code} already exists.`,
      );
      return 0;
    }
    if (command === "warehouses:create") {
      const coopId = await resolveCoopId(handle.db, values.coop);
      const data = CreateWarehouse.safeParse({
        code: values.code,
        name: { zh: values["name-zh"], en: values["name-en"] },
        address: values.address,
        phone: values.phone,
      });
      if (!data.success) {
        console.error(
          `${data.error.issues.map((i) => `--${i.path.join("-")}: ${i.message}`).join("\n")}\n${USAGE}`,
        );
        return 2;
      }
      const made = await createWarehouse(handle.db, { coopId, actorUserId: null, data: data.data });
      console.log(`Created warehouse ${made.code} (${made.id}).`);
      return 0;
    }
    const coopId = await resolveCoopId(handle.db, values.coop);
    const user = await createStaffUser(handle.db, {
      coopId,
      role: values.role as never,
      login: values.login ?? "",
      password: values.password ?? "",
      displayName: values.name,
      servicePointCode: values["service-point"],
    });
    console.log(
      `Created ${user.role} "${user.login}" (${user.id})${user.servicePointId ? ` at service point ${values["service-point"]}` : ""}.`,
    );
    return 0;
  } finally {
    await handle.close();
  }
}

/** Upgrade step for releases that kept photos on disk; safe to run again. Fails while a photo is still missing. */
async function filesImport(db: Awaited<ReturnType<typeof createDb>>["db"], from: string) {
  const report = await importFilesFromDisk(db, path.resolve(from));
  console.log(
    `Photos copied from ${from} into the database: ${report.imported}; already there: ${report.alreadyStored}.`,
  );
  const problems = [
    ...report.missing.map((key) => `  missing on disk: ${key}`),
    ...report.mismatched.map((key) => `  size differs from the photo's record (not copied): ${key}`),
  ];
  if (problems.length === 0) return 0;
  console.error(
    `${problems.length} photo(s) still have no bytes in the database:\n${problems.join("\n")}\n` +
      "Find those files (an older backup of DATA_DIR/files), then run this command again.",
  );
  return 1;
}

async function resolveCoopId(db: Awaited<ReturnType<typeof createDb>>["db"], code: string | undefined) {
  const rows = await db
    .select({ id: coops.id, code: coops.code })
    .from(coops)
    .where(code ? eq(coops.code, code) : undefined);
  if (rows.length === 1) return rows[0]!.id;
  if (rows.length === 0) {
    throw new ApiError(
      "NOT_FOUND",
      code
        ? `There is no co-op with code ${code}.`
        : "There is no co-op yet: run `pnpm db:seed` (demo) or `pnpm coop coop:init`.",
    );
  }
  throw new ApiError("VALIDATION_FAILED", "There are several co-ops: say which with --coop CODE.");
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof ApiError) {
    console.error(`Error (${error.code}): ${error.message}`);
    process.exitCode = 1;
  } else if (error instanceof Error && error.name === "TypeError" && "code" in error) {
    console.error(`${error.message}\n${USAGE}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
