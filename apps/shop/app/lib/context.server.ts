import type { ClientIdentity } from "@coop/shared/client-signature";
import { type AppLoadContext, data } from "@remix-run/node";
import { env } from "../env.server";
import { type ApiClient, ApiError, ApiUnavailableError, createApiClient } from "./api.server";
import { clientIdentityOf } from "./client-identity.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Tests put a fake API client here; a running shop uses the one built from API_URL. */
    api?: ApiClient;
  }
}

/**
 * The API client for a loader or action: the load context's when given, else one that calls for the person
 * who sent `request` (their signed address and browser id go with every call).
 */
export function getApi(context: AppLoadContext, request: Request): ApiClient {
  if (context.api) return context.api;
  let identity: Promise<ClientIdentity> | undefined;
  return createApiClient({
    baseUrl: env.API_URL,
    caller: {
      identity: () => {
        identity ??= clientIdentityOf(request);
        return identity;
      },
      secret: env.CLIENT_ADDRESS_SECRET,
    },
  });
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
