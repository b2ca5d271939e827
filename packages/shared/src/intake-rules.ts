import { isPlainDate } from "./china-time";

/**
 * The best-before rule of a consignment intake, defined once (the shop's intake form and the API's createLot
 * both call it). A perishable lot that passes the quality check becomes stock, and stock of perishables is
 * sold first-expiring-first (DOMAIN.md, "Listing & stock"), so it needs a best-before date. Goods that fail
 * the check go back to the villager at once and never become stock: no date is asked for them (one given is
 * still checked). Dates are China dates (china-time.ts).
 */
export type BestBeforeProblem = "required" | "invalid" | "dateInPast";

export function bestBeforeRequired(input: { perishable: boolean; qcPassed: boolean }): boolean {
  return input.perishable && input.qcPassed;
}

export function bestBeforeProblem(input: {
  perishable: boolean;
  qcPassed: boolean;
  /** "YYYY-MM-DD", or empty/undefined when none was given. */
  bestBefore: string | null | undefined;
  /** Today in China, "YYYY-MM-DD". */
  today: string;
}): BestBeforeProblem | null {
  if (!input.bestBefore) return bestBeforeRequired(input) ? "required" : null;
  if (!isPlainDate(input.bestBefore)) return "invalid";
  return input.bestBefore < input.today ? "dateInPast" : null;
}
