/**
 * The service commitments (限时办结) and how a piece of work stands against one, counted on the co-op's
 * working-day calendar (working-days.ts, decision 0042). Shared so the API's reports and the shop say the same.
 */
import type { CommitmentKind, CommitmentState } from "./closed-sets";
import { addWorkingDays, type CalendarMarks, workingDaysBetween } from "./working-days";

/** What a co-op promises until its admin sets its own: working days from the start of each kind of work. */
export const COMMITMENT_DEFAULT_DAYS: Record<CommitmentKind, number> = {
  intake_settled: 10,
  assisted_ready: 3,
  pickup_handover: 5,
  complaint_answered: 2,
};

export const COMMITMENT_MAX_DAYS = 60;

export interface CommitmentStanding {
  /** The China day the work falls due. */
  dueOn: string;
  state: CommitmentState;
  /** Working days it took (done), or has taken so far (open). */
  workingDays: number;
}

/**
 * Done by the end of its due day is on time, after it late. Not done: breached once the due day has passed,
 * at risk on the due day itself and the working day before it, pending before that.
 */
export function commitmentStanding(
  input: { startedOn: string; doneOn: string | null; days: number; today: string },
  marks: CalendarMarks,
): CommitmentStanding {
  const dueOn = addWorkingDays(input.startedOn, input.days, marks);
  if (input.doneOn !== null) {
    return {
      dueOn,
      state: input.doneOn <= dueOn ? "on_time" : "late",
      workingDays: workingDaysBetween(input.startedOn, input.doneOn, marks),
    };
  }
  const workingDays = workingDaysBetween(input.startedOn, input.today, marks);
  if (input.today > dueOn) return { dueOn, state: "breached", workingDays };
  const left = workingDaysBetween(input.today, dueOn, marks);
  return { dueOn, state: left <= 1 ? "at_risk" : "pending", workingDays };
}

/** The middle value (the mean of the two middle ones for an even count), or null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
