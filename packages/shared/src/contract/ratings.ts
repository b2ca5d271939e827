import { z } from "zod";
import { RATING_FOLLOW_UP_STATUSES, RATING_SUBJECTS } from "../closed-sets";
import { LocalizedText, TextInput } from "./common";

/**
 * Ratings (issue 13 item 2, decision 0046): after a pickup, a payout or a sale the buyer or villager is texted a
 * signed link; through it, from their own phone, they rate the service once, on five levels.
 */

/** 5 非常满意 · 4 满意 · 3 一般 · 2 不满意 · 1 非常不满意. */
export const RATING_LEVELS = [5, 4, 3, 2, 1] as const;
export type RatingLevel = (typeof RATING_LEVELS)[number];
/** A rating at or below this opens a follow-up the admin must close. */
export const RATING_FOLLOW_UP_MAX_LEVEL = 2;
/** A rating at or above this counts as satisfied in the reports. */
export const RATING_SATISFIED_MIN_LEVEL = 4;
export const RATING_COMMENT_MAX = 500;

const ChinaDay = z.iso.date().meta({ description: "A day in China time, YYYY-MM-DD" });

/** What a rating link is about, as its page shows it: nothing but the kind, the point and the day. */
export const RatingRequestView = z
  .object({
    kind: z.enum(RATING_SUBJECTS).meta({
      description: "pickup: an order collected at a point; payout: money paid out; sale: goods sold for you",
    }),
    servicePoint: LocalizedText.meta({ description: "The service point whose service is rated" }),
    eventDay: ChinaDay.meta({ description: "The China day it happened" }),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: "RatingRequestView" });
export type RatingRequestView = z.infer<typeof RatingRequestView>;

export const SubmitRating = z
  .object({
    level: z
      .number()
      .int()
      .min(1)
      .max(5)
      .meta({ description: "5 非常满意 · 4 满意 · 3 一般 · 2 不满意 · 1 非常不满意" }),
    comment: TextInput.trim().max(RATING_COMMENT_MAX).optional(),
  })
  .meta({ id: "SubmitRating" });
export type SubmitRating = z.infer<typeof SubmitRating>;

export const RatingGiven = z
  .object({
    level: z.number().int(),
    ratedAt: z.iso.datetime(),
    followUp: z.boolean().meta({ description: "A low rating: the co-op will call back" }),
  })
  .meta({ id: "RatingGiven" });
export type RatingGiven = z.infer<typeof RatingGiven>;

export const RatingFollowUp = z
  .object({
    id: z.string(),
    ratingId: z.string(),
    kind: z.enum(RATING_SUBJECTS),
    subjectId: z.string().meta({ description: "The order, payout or villager's sale line rated" }),
    servicePointId: z.string(),
    servicePointName: z.string(),
    servicePointNameEn: z.string(),
    level: z.number().int(),
    comment: z.string().nullable(),
    phone: z
      .string()
      .nullable()
      .meta({ description: "Who rated, to call back: shown to the admin only (null for an agent)" }),
    ratedAt: z.iso.datetime(),
    dueOn: ChinaDay.meta({ description: "Close it by this day: 2 working days after the rating" }),
    overdue: z.boolean(),
    status: z.enum(RATING_FOLLOW_UP_STATUSES),
    closedAt: z.iso.datetime().nullable(),
    closedByName: z.string().nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: "RatingFollowUp" });
export type RatingFollowUp = z.infer<typeof RatingFollowUp>;

export const RatingFollowUpList = z
  .object({ items: z.array(RatingFollowUp) })
  .meta({ id: "RatingFollowUpList" });
export type RatingFollowUpList = z.infer<typeof RatingFollowUpList>;

export const RatingFollowUpQuery = z.object({
  status: z.enum(RATING_FOLLOW_UP_STATUSES).optional(),
  pointId: z.string().max(64).optional().meta({ description: "One service point's (an agent: their own)" }),
});
export type RatingFollowUpQuery = z.infer<typeof RatingFollowUpQuery>;

export const CloseRatingFollowUp = z
  .object({
    note: TextInput.trim().min(1).max(RATING_COMMENT_MAX).meta({
      description: "What was done: who called whom, what was agreed",
      example: "已电话回访，已道歉",
    }),
  })
  .meta({ id: "CloseRatingFollowUp" });
export type CloseRatingFollowUp = z.infer<typeof CloseRatingFollowUp>;

/** The dashboard's ratings of the range (given in it), for the co-op or one point. */
export const RatingsSummary = z
  .object({
    count: z.number().int().meta({ description: "Ratings given in the range" }),
    averageLevel: z.number().nullable().meta({ description: "Mean level 1–5, one decimal; null with none" }),
    satisfiedPct: z
      .number()
      .nullable()
      .meta({ description: "Share rated 4 or 5, in percent with one decimal; null with none" }),
    openFollowUps: z.number().int().meta({ description: "Low ratings' follow-ups open now" }),
    overdueFollowUps: z.number().int().meta({ description: "Of those, past their due day" }),
  })
  .meta({ id: "RatingsSummary" });
export type RatingsSummary = z.infer<typeof RatingsSummary>;
