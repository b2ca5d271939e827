/**
 * What the request handlers ask of the background job runner. The runner (pg-boss, jobs/runner.ts) is
 * PostgreSQL-backed, so jobs survive restarts and several API processes share them.
 */
export interface JobQueue {
  /** An online order was placed: release it at `expiresAt` if it is still unpaid then. */
  orderPlaced(orderId: string, expiresAt: Date): Promise<void>;
  /** Notifications were queued in the outbox: deliver them soon. */
  notificationsQueued(): Promise<void>;
}

/** For tests and scripts that run no background work. */
export const noJobs: JobQueue = {
  orderPlaced: async () => {},
  notificationsQueued: async () => {},
};
