import type { Database, Executor } from "@coop/db";
import { buyerLoginCodes, buyerSessions } from "@coop/db/schema";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { ApiError } from "../../lib/errors";
import type { Caller } from "../../middleware/client-address";
import { hashToken, newToken } from "../auth/tokens";
import { LOGIN_CODE_MAX_FAILURES } from "./login-codes";
import { clientKey, giveBack, take } from "./rate-limits";
import type { BuyerSecrets } from "./secrets";

/** Buyer session tokens carry a prefix so the API never mistakes them for staff or order tokens. */
export const BUYER_SESSION_PREFIX = "bst_";
/** A buyer stays signed in this long on a phone. */
export const BUYER_SESSION_DAYS = 30;
/** Wrong sign-in codes one client may try in an hour, over all phones (one code allows 5). */
export const WRONG_CODES_PER_CLIENT_PER_HOUR = 20;

export interface BuyerSessionRow {
  phone: string;
  tokenHash: string;
  expiresAt: Date;
}

type Outcome =
  | { kind: "signed-in"; token: string; expiresAt: Date }
  | { kind: "wrong"; attemptsLeft: number }
  | { kind: "not-valid" };

/**
 * Exchanges the phone's current code for a session. A code works once, for 10 minutes, and dies at the 5th
 * wrong try; a wrong code is counted on the code (in the database, so every API process sees it) and on the
 * caller. The refusals say what to do next and never whether the phone has orders.
 */
export async function signIn(
  db: Database,
  secrets: BuyerSecrets,
  input: { phone: string; code: string; caller: Caller },
): Promise<{ token: string; phone: string; expiresAt: Date }> {
  const counted = await take(
    db,
    [
      {
        bucket: `buyer:wrong-code:client:${clientKey(input.caller)}`,
        limit: WRONG_CODES_PER_CLIENT_PER_HOUR,
        windowSeconds: 3600,
      },
    ],
    "Too many wrong sign-in codes from here.",
  );
  const outcome = await db.transaction(async (tx): Promise<Outcome> => {
    const [row] = await tx
      .select()
      .from(buyerLoginCodes)
      .where(
        and(
          eq(buyerLoginCodes.phone, input.phone),
          isNull(buyerLoginCodes.usedAt),
          gt(buyerLoginCodes.expiresAt, sql`now()`),
        ),
      )
      .for("update");
    if (!row || row.failures >= LOGIN_CODE_MAX_FAILURES) return { kind: "not-valid" };
    if (!secrets.codeMatches(input.phone, input.code, row.codeHash)) {
      const failures = row.failures + 1;
      await tx.update(buyerLoginCodes).set({ failures }).where(eq(buyerLoginCodes.phone, input.phone));
      return { kind: "wrong", attemptsLeft: LOGIN_CODE_MAX_FAILURES - failures };
    }
    await tx
      .update(buyerLoginCodes)
      .set({ usedAt: sql`now()` })
      .where(eq(buyerLoginCodes.phone, input.phone));
    const token = `${BUYER_SESSION_PREFIX}${newToken()}`;
    const [session] = await tx
      .insert(buyerSessions)
      .values({
        tokenHash: hashToken(token),
        phone: input.phone,
        expiresAt: sql`now() + make_interval(days => ${BUYER_SESSION_DAYS})` as unknown as Date,
      })
      .returning({ expiresAt: buyerSessions.expiresAt });
    return { kind: "signed-in", token, expiresAt: session!.expiresAt };
  });

  if (outcome.kind === "signed-in") {
    await giveBack(db, counted);
    return { token: outcome.token, phone: input.phone, expiresAt: outcome.expiresAt };
  }
  if (outcome.kind === "wrong" && outcome.attemptsLeft > 0) {
    throw new ApiError(
      "INVALID_CREDENTIALS",
      `That code is not right. Check the text message and try again (${outcome.attemptsLeft} ${outcome.attemptsLeft === 1 ? "try" : "tries"} left).`,
      { details: { reason: "wrong", attemptsLeft: outcome.attemptsLeft } },
    );
  }
  throw new ApiError(
    "INVALID_CREDENTIALS",
    "This code no longer works (used, expired after 10 minutes, or tried wrongly 5 times). Ask for a new code.",
    { details: { reason: "not_valid", attemptsLeft: 0 } },
  );
}

/** The live session for a bearer token, or null (unknown, expired or signed out). */
export async function findBuyerSession(db: Executor, token: string): Promise<BuyerSessionRow | null> {
  if (!token.startsWith(BUYER_SESSION_PREFIX)) return null;
  const [row] = await db
    .select({
      phone: buyerSessions.phone,
      tokenHash: buyerSessions.tokenHash,
      expiresAt: buyerSessions.expiresAt,
    })
    .from(buyerSessions)
    .where(
      and(
        eq(buyerSessions.tokenHash, hashToken(token)),
        isNull(buyerSessions.revokedAt),
        gt(buyerSessions.expiresAt, sql`now()`),
      ),
    );
  return row ?? null;
}

/** Signs out: the token stops working at once, on every API process. */
export async function revokeBuyerSession(db: Executor, tokenHash: string): Promise<void> {
  await db
    .update(buyerSessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(buyerSessions.tokenHash, tokenHash), isNull(buyerSessions.revokedAt)));
}
