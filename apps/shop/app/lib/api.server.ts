import type { ErrorCode, ProductKind } from "@coop/shared";
import { CLIENT_HEADER, type ClientIdentity, signClientIdentity } from "@coop/shared/client-signature";
import {
  CatalogPage,
  CurrentUser,
  ErrorBody,
  LoginResult,
  PasswordChanged,
  ProductDetail,
  ProductSuggestions,
  type ServicePoint,
  ServicePointList,
  type StaffUser,
} from "@coop/shared/contract";
import { z } from "zod";
import { buyerApi } from "./buyer-api.server";
import { ordersApi } from "./orders-api.server";
import { ratingsApi } from "./ratings-api.server";
import { receiptApi } from "./receipt-api.server";
import { reportsApi } from "./reports-api.server";
import { staffApi } from "./staff-api.server";

/**
 * The shop's only way to data: a typed client of the co-op API (docs/decisions/0006). Every response
 * is parsed with the API's own contract schemas (@coop/shared/contract), so a change in the API shows
 * up here as one clear error, not as `undefined` deep inside a page.
 */

export type { CatalogItem } from "@coop/shared/contract";
export type { CatalogPage, LoginResult, ProductDetail, ServicePoint, StaffUser };

/** The API answered with its error shape. Branch on `code`, never on `message`. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly requestId: string,
    /** For VALIDATION_FAILED: each bad field, by its path in the request body. */
    readonly fields: ReadonlyArray<{ path: string; message: string }> = [],
    /** Machine-readable facts about the error (e.g. ALREADY_EXISTS: the existing record's id). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** The API could not be reached, or did not answer in time. */
export class ApiUnavailableError extends Error {
  override readonly name = "ApiUnavailableError";
}

/** The API answered something this client does not understand (a contract mismatch: a bug). */
export class ApiContractError extends Error {
  override readonly name = "ApiContractError";
}

export interface ApiClientOptions {
  baseUrl: string;
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  /** Milliseconds before a call counts as unavailable. */
  timeoutMs?: number;
  /**
   * The person this client calls for, sent signed in X-Coop-Client with every call, so the API limits logins
   * and scopes anonymous Idempotency-Keys per person instead of per shop (docs/decisions/0015).
   */
  caller?: { identity: () => Promise<ClientIdentity>; secret: string };
}

interface CallOptions {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  token?: string;
  body?: unknown;
  /** A multipart body (file uploads); fetch sets its content type with the boundary. */
  form?: FormData;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
}

export type ListProductsInput = {
  q?: string;
  kind?: ProductKind;
  cursor?: string;
  limit?: number;
  /** Count what can be had at this pickup point; absent: what the warehouse can deliver. */
  servicePointId?: string | undefined;
};

export function createApiClient({
  baseUrl,
  fetch: fetchImpl = fetch,
  timeoutMs = 10_000,
  caller,
}: ApiClientOptions) {
  const base = baseUrl.replace(/\/+$/, "");

  /** Signed at each call: the API refuses a header older than two minutes. */
  async function callerHeaders(headers: Headers): Promise<Headers> {
    if (caller) headers.set(CLIENT_HEADER, signClientIdentity(await caller.identity(), caller.secret));
    return headers;
  }

  async function call<T>(path: string, schema: z.ZodType<T> | null, options: CallOptions = {}): Promise<T> {
    const url = new URL(`${base}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== "") url.searchParams.set(key, String(value));
    }
    const headers = await callerHeaders(new Headers({ accept: "application/json", ...options.headers }));
    if (options.token) headers.set("authorization", `Bearer ${options.token}`);
    if (options.body !== undefined) headers.set("content-type", "application/json");

    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: options.method ?? "GET",
        headers,
        body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw new ApiUnavailableError(`${options.method ?? "GET"} ${path}: the API did not answer`, { cause });
    }

    if (!response.ok) {
      const parsed = ErrorBody.safeParse(await response.json().catch(() => null));
      // The API is up but its database is not (a restart, a network blip): "try again in a moment".
      if (response.status === 503 && (!parsed.success || parsed.data.error.code === "SERVICE_UNAVAILABLE")) {
        throw new ApiUnavailableError(`${path}: the API answered 503 (database unavailable)`);
      }
      if (parsed.success) {
        const { code, message, requestId, fields, details } = parsed.data.error;
        throw new ApiError(response.status, code as ErrorCode, message, requestId, fields, details);
      }
      if (response.status >= 502) {
        throw new ApiUnavailableError(`${path}: the API answered ${response.status}`);
      }
      throw new ApiContractError(`${path}: status ${response.status} without the error shape`);
    }

    if (schema === null || response.status === 204) return undefined as T;
    const json: unknown = await response.json().catch(() => {
      throw new ApiContractError(`${path}: the answer is not JSON`);
    });
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new ApiContractError(`${path}: unexpected answer: ${z.prettifyError(parsed.error)}`);
    }
    return parsed.data;
  }

  /**
   * A GET whose answer is passed on as it is (photos, PDFs): the response, or null when the API has
   * no such file. Errors other than 404 are thrown as by `call`.
   */
  async function raw(path: string, token: string): Promise<Response | null> {
    let response: Response;
    try {
      response = await fetchImpl(new URL(`${base}${path}`), {
        headers: await callerHeaders(new Headers({ authorization: `Bearer ${token}` })),
        signal: AbortSignal.timeout(timeoutMs * 3),
      });
    } catch (cause) {
      throw new ApiUnavailableError(`GET ${path}: the API did not answer`, { cause });
    }
    if (response.status === 404 || response.status === 405) return null;
    if (!response.ok) {
      const parsed = ErrorBody.safeParse(await response.json().catch(() => null));
      if (parsed.success) {
        const { code, message, requestId } = parsed.data.error;
        throw new ApiError(response.status, code as ErrorCode, message, requestId);
      }
      throw new ApiUnavailableError(`${path}: the API answered ${response.status}`);
    }
    return response;
  }

  return {
    ...staffApi(call, raw),
    ...ordersApi(call),
    ...buyerApi(call),
    ...receiptApi(call, raw),
    ...reportsApi(call),
    ...ratingsApi(call),

    /** A page of the public catalog. */
    listProducts(input: ListProductsInput = {}): Promise<CatalogPage> {
      return call("/v1/products", CatalogPage, { query: input });
    },

    /** One product, or null when there is no such product; `available` counted for the pickup point given. */
    async getProduct(id: string, servicePointId?: string): Promise<ProductDetail | null> {
      try {
        return await call(`/v1/products/${encodeURIComponent(id)}`, ProductDetail, {
          query: { servicePointId },
        });
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },

    /**
     * One product photo variant (`320.webp`), public, passed on as the API answers it: 200 with the image,
     * 304 when the browser's copy (If-None-Match) is current, or null when there is no such photo.
     */
    async productPhotoVariant(
      id: string,
      file: string,
      ifNoneMatch: string | null,
    ): Promise<Response | null> {
      let response: Response;
      try {
        response = await fetchImpl(
          new URL(`${base}/v1/product-photos/${encodeURIComponent(id)}/${encodeURIComponent(file)}`),
          {
            headers: await callerHeaders(new Headers(ifNoneMatch ? { "if-none-match": ifNoneMatch } : {})),
            signal: AbortSignal.timeout(timeoutMs),
          },
        );
      } catch (cause) {
        throw new ApiUnavailableError("GET product photo: the API did not answer", { cause });
      }
      if (response.status === 200 || response.status === 304) return response;
      await response.body?.cancel();
      if (response.status === 404 || response.status === 400) return null;
      throw new ApiUnavailableError(`product photo: the API answered ${response.status}`);
    },

    /** Up to 8 product names for the search box, as the buyer types. */
    suggestProducts(q: string): Promise<ProductSuggestions> {
      return call("/v1/products/suggest", ProductSuggestions, { query: { q } });
    },

    async listServicePoints(): Promise<ServicePoint[]> {
      const page = await call("/v1/service-points", ServicePointList);
      return page.items;
    },

    /**
     * Exchanges a login and password for a bearer token. The API limits failed logins per person from the
     * signed caller header, so a mistyping colleague never locks the whole shop out.
     */
    login(input: { login: string; password: string }): Promise<LoginResult> {
      return call("/v1/auth/login", LoginResult, {
        method: "POST",
        body: { login: input.login, password: input.password },
      });
    },

    /** The staff member the token belongs to, or null when it is no longer valid. */
    async me(token: string): Promise<StaffUser | null> {
      try {
        const body = await call("/v1/auth/me", CurrentUser, { token });
        return body.user;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },

    async logout(token: string): Promise<void> {
      await call("/v1/auth/logout", null, { method: "POST", token });
    },

    /**
     * Changes the staff member's own password (current + new): clears the must-change flag an admin's reset
     * sets and ends the account's other sessions. A wrong current password is CURRENT_PASSWORD_WRONG and is
     * counted like a failed login.
     */
    changePassword(
      token: string,
      input: { currentPassword: string; newPassword: string },
      key?: string,
    ): Promise<PasswordChanged> {
      return call("/v1/auth/password", PasswordChanged, {
        method: "POST",
        token,
        body: input,
        headers: key ? { "idempotency-key": key } : undefined,
      });
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
