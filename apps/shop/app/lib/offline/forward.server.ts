import { CLIENT_HEADER, signClientIdentity } from "@coop/shared/client-signature";
import type { AppLoadContext } from "@remix-run/node";
import { env } from "../../env.server";
import { clientIdentityOf } from "../client-identity.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Tests put a fake API here for the sync route's pass-through calls. */
    apiFetch?: typeof fetch;
  }
}

/** What the sync route answers the phone: the API's status and body as they were, and its Retry-After. */
export interface ForwardedAnswer {
  status: number;
  body: unknown;
  retryAfter: number | null;
}

const TIMEOUT_MS = 15_000;

/**
 * One POST to the API for the phone's sender, with the staff session's token and the command's key. The
 * browser never holds the API token; the shop passes the answer on unchanged, so the phone decides what a
 * status means (docs/decisions/0022). No answer from the API → 503 (the phone tries again later).
 */
export async function forwardToApi(
  context: AppLoadContext,
  request: Request,
  call: { path: string; token: string; key: string; json?: unknown; form?: FormData },
): Promise<ForwardedAnswer> {
  const headers = new Headers({
    accept: "application/json",
    authorization: `Bearer ${call.token}`,
    "idempotency-key": call.key,
  });
  headers.set(CLIENT_HEADER, signClientIdentity(await clientIdentityOf(request), env.CLIENT_ADDRESS_SECRET));
  if (call.json !== undefined) headers.set("content-type", "application/json");
  const fetchImpl = context.apiFetch ?? fetch;
  let response: Response;
  try {
    response = await fetchImpl(new URL(`${env.API_URL.replace(/\/+$/, "")}${call.path}`), {
      method: "POST",
      headers,
      body: call.form ?? JSON.stringify(call.json),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return {
      status: 503,
      body: { error: { code: "SERVICE_UNAVAILABLE", message: "API not reachable" } },
      retryAfter: null,
    };
  }
  const body: unknown = await response.json().catch(() => null);
  const retryAfter = Number.parseInt(response.headers.get("retry-after") ?? "", 10);
  return { status: response.status, body, retryAfter: Number.isFinite(retryAfter) ? retryAfter : null };
}
