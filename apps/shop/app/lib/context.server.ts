import { type AppLoadContext, data } from "@remix-run/node";
import { env } from "../env.server";
import { type ApiClient, ApiError, ApiUnavailableError, createApiClient } from "./api.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Tests put a fake API client here; a running shop uses the one built from API_URL. */
    api?: ApiClient;
  }
}

let defaultClient: ApiClient | undefined;

/** The API client for a loader or action: the load context's when given, else the shop's own. */
export function getApi(context: AppLoadContext): ApiClient {
  if (context.api) return context.api;
  defaultClient ??= createApiClient({ baseUrl: env.API_URL });
  return defaultClient;
}

/**
 * Turns a failed API call into the response the error boundary shows: 404 stays 404, an unreachable
 * API becomes 503 ("try again in a moment"); anything else is a bug and stays a 500.
 */
export function apiFailure(error: unknown): never {
  if (error instanceof ApiUnavailableError) throw data(null, { status: 503 });
  if (error instanceof ApiError && error.status === 404) throw data(null, { status: 404 });
  throw error;
}
