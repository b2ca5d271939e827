import { createCookieSessionStorage } from "@remix-run/node";
import { env } from "../env.server";

/**
 * The buyer signed in by phone (decision 0029), beside the staff session and in its own cookie: the API's
 * bst_ token (httpOnly, so no script on the page can read it) and the phone it is for. The API checks the
 * token on every call; a token it refuses (expired, signed out elsewhere) is dropped by the page that met it.
 */
interface BuyerSessionData {
  token: string;
  phone: string;
}

const buyerSessions = createCookieSessionStorage<BuyerSessionData>({
  cookie: {
    name: "coop_buyer",
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secrets: [env.SESSION_SECRET],
    secure: env.NODE_ENV === "production",
  },
});

const BUYER_TOKEN = /^bst_[A-Za-z0-9_-]{20,200}$/;

export interface SignedInBuyer {
  token: string;
  phone: string;
}

/** The buyer this browser is signed in as, as far as the cookie says (the API has the last word). */
export async function readBuyer(request: Request): Promise<SignedInBuyer | null> {
  const session = await buyerSessions.getSession(request.headers.get("Cookie"));
  const token = session.get("token");
  const phone = session.get("phone");
  if (typeof token !== "string" || !BUYER_TOKEN.test(token) || typeof phone !== "string") return null;
  return { token, phone };
}

/** The Set-Cookie that signs this browser in until the API session ends. */
export async function saveBuyer(buyer: SignedInBuyer, expiresAt: Date): Promise<string> {
  const session = await buyerSessions.getSession();
  session.set("token", buyer.token);
  session.set("phone", buyer.phone);
  return buyerSessions.commitSession(session, { expires: expiresAt });
}

/** The Set-Cookie that signs this browser out. */
export async function forgetBuyer(request: Request): Promise<string> {
  return buyerSessions.destroySession(await buyerSessions.getSession(request.headers.get("Cookie")));
}
