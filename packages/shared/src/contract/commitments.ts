import { z } from "zod";
import { COMMITMENT_KINDS, COMMITMENT_STATES } from "../closed-sets";
import { COMMITMENT_MAX_DAYS } from "../commitments";

const ChinaDay = z.iso.date().meta({ description: "A day in China time, YYYY-MM-DD" });

export const CommitmentSetting = z.object({
  kind: z.enum(COMMITMENT_KINDS),
  workingDays: z.number().int().meta({ description: "Working days the work may take (China's calendar)" }),
  isDefault: z.boolean().meta({ description: "true: the co-op has not set its own and the default applies" }),
});
export const CommitmentSettings = z
  .object({ items: z.array(CommitmentSetting) })
  .meta({ id: "CommitmentSettings" });
export type CommitmentSettings = z.infer<typeof CommitmentSettings>;

export const SetCommitment = z
  .object({ workingDays: z.number().int().min(0).max(COMMITMENT_MAX_DAYS) })
  .meta({ id: "SetCommitment" });
export type SetCommitment = z.infer<typeof SetCommitment>;

export const CommitmentKindParams = z.object({ kind: z.enum(COMMITMENT_KINDS) });

const Judged = {
  onTime: z.number().int().meta({ description: "Done by the due day" }),
  late: z.number().int().meta({ description: "Done after the due day" }),
  breached: z.number().int().meta({ description: "Not done, and the due day has passed" }),
  onTimePct: z
    .number()
    .nullable()
    .meta({ description: "On time ÷ (on time + late + breached), 0–100; null when nothing is judged yet" }),
  medianDays: z.number().nullable().meta({ description: "Median working days the done work took" }),
};

export const CommitmentKindFigures = z.object({
  kind: z.enum(COMMITMENT_KINDS),
  workingDays: z.number().int(),
  started: z.number().int().meta({ description: "Pieces of work started in the range" }),
  ...Judged,
  pending: z.number().int().meta({ description: "Not done, more than a working day left" }),
  atRisk: z.number().int().meta({ description: "Not done, due today or the next working day" }),
});

export const CommitmentPointFigures = z.object({
  pointId: z.string(),
  name: z.string(),
  nameEn: z.string(),
  started: z.number().int(),
  ...Judged,
  ratings: z.object({
    count: z.number().int(),
    average: z.number().nullable().meta({ description: "Mean level 1–5 of the ratings given in the range" }),
  }),
});

export const CommitmentAttention = z.object({
  kind: z.enum(COMMITMENT_KINDS),
  subjectId: z.string().meta({ description: "The order, sale credit or follow-up" }),
  pointId: z.string(),
  pointName: z.string(),
  startedOn: ChinaDay,
  dueOn: ChinaDay,
  state: z.enum(COMMITMENT_STATES),
});

export const CommitmentsReport = z
  .object({
    from: ChinaDay,
    to: ChinaDay,
    pointId: z.string().nullable(),
    kinds: z.array(CommitmentKindFigures),
    points: z.array(CommitmentPointFigures).meta({
      description: "Per service point, the least on time first (co-op wide: the 20 that need it most)",
    }),
    attention: z.array(CommitmentAttention).meta({
      description:
        "Work still open that is at risk or breached now (started in the last 60 days), most overdue first",
    }),
    asOf: z.iso.datetime(),
  })
  .meta({ id: "CommitmentsReport" });
export type CommitmentsReport = z.infer<typeof CommitmentsReport>;
