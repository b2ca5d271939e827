import type { Database } from "@coop/db";
import type { StaffRole } from "@coop/db/schema";
import type { Logger } from "pino";
import type { Env } from "../env";
import type { BlobStorage } from "../storage/blob-storage";

export interface StaffPrincipal {
  id: string;
  coopId: string;
  login: string;
  displayName: string;
  role: StaffRole;
  servicePointId: string | null;
  sessionId: string;
}

/** Everything a request handler may use, built once at start-up and injected (tests build their own). */
export interface AppDeps {
  db: Database;
  env: Env;
  logger: Logger;
  /** Uploaded files (intake photos). */
  storage: BlobStorage;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    logger: Logger;
    /** Set by the authentication middleware when a valid staff token is present. */
    staff?: StaffPrincipal;
  };
}
