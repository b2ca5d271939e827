import { daysBetween } from "@coop/shared";
import { ApiError } from "./errors";

/**
 * A report's or an export's range of China days (zod has checked each day's shape): it must not end before it
 * starts, nor cover more than `maxDays`; `what` names it in the message ("A report", "An export").
 */
export function checkDayRange(range: { from: string; to: string }, maxDays: number, what: string): void {
  if (range.from > range.to) {
    throw new ApiError(
      "VALIDATION_FAILED",
      "The range ends before it starts: choose a 'to' day on or after 'from'.",
      {
        fields: [{ path: "to", message: "on or after from" }],
      },
    );
  }
  if (daysBetween(range.from, range.to) + 1 > maxDays) {
    throw new ApiError(
      "VALIDATION_FAILED",
      `${what} covers at most ${maxDays} days: choose a shorter range.`,
      {
        fields: [{ path: "from", message: `at most ${maxDays} days before to` }],
      },
    );
  }
}
