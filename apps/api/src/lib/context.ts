import type { Database } from "@coop/db";
import type { StaffRole } from "@coop/db/schema";
import type { Logger } from "pino";
import type Stripe from "stripe";
import type { Env } from "../env";
import type { JobQueue } from "../jobs/queue";
import type { BlobStorage } from "../storage/blob-storage";

export interface StaffPrincipal {
  id: string;
  coopId: string;
  login: string;
  displayName: string;
  role: StaffRole;
  servicePointId: string | null;
  sessionId: string;
  /** Given a password by an admin: only "who am I", logout and "change my password" answer until changed. */
  mustChangePassword: boolean;
}

/** Everything a request handler may use, built once at start-up and injected (tests build their own). */
export interface AppDeps {
  db: Database;
  env: Env;
  logger: Logger;
  /** Uploaded files (intake photos). */
  storage: BlobStorage;
  /** Stripe, or null when online payment is not configured (cash on pickup only). */
  stripe: Stripe | null;
  /** Background jobs (order expiry, notifications). */
  jobs: JobQueue;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    logger: Logger;
    /** Set by the authentication middleware when a valid staff token is present. */
    staff?: StaffPrincipal;
    /** A buyer's order access token (Bearer oat_…), checked by the order routes. */
    orderToken?: string;
  };
}
