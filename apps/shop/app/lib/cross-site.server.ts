import { env } from "../env.server";
import { getT } from "../i18next.server";
import { setBasicSecurityHeaders } from "./security-headers.server";

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Remix's own rule for actions (server-runtime's throwIfPotentialCSRFAttack): an Origin whose host is not
 * the X-Forwarded-Host (first entry) or Host the request came to. Remix refuses such a request by throwing,
 * which it answers with a bare 500; the shop names it for what it is, a 403.
 */
export function isCrossSiteAction(request: Request): boolean {
  if (!UNSAFE_METHODS.has(request.method)) return false;
  const origin = request.headers.get("origin");
  if (!origin) return false;
  let originHost: string | null;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    originHost = origin;
  }
  const forwarded = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  const host = forwarded || request.headers.get("host");
  return !host || originHost !== host;
}

/** The refusal: 403 with a sentence in the reader's language (it is read by a person, not by the shop's code). */
export async function crossSiteRefusal(request: Request): Promise<Response> {
  const t = await getT(request);
  const headers = setBasicSecurityHeaders(new Headers({ "Content-Type": "text/plain; charset=utf-8" }), {
    production: env.NODE_ENV === "production",
  });
  return new Response(`${t("errors.forbidden.title")}\n${t("errors.forbidden.text")}\n`, {
    status: 403,
    headers,
  });
}
