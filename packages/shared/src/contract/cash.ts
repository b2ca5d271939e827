import { z } from "zod";
import { MAX_AMOUNT_FEN } from "../bounds";

/** A China calendar day (UTC+8): the day an agent's cash belongs to. */
const ChinaDay = z.iso.date().meta({ description: "A day in China time (UTC+8), YYYY-MM-DD" });

export const CashHandIn = z
  .object({
    id: z.string(),
    agentId: z.string(),
    agentName: z.string(),
    servicePointId: z.string(),
    day: ChinaDay,
    expectedFen: z.number().int().meta({
      description: "Cash taken minus cash paid out that day, less earlier hand-ins of the day, at submission",
    }),
    countedFen: z.number().int(),
    differenceFen: z.number().int().meta({ description: "countedFen − expectedFen" }),
    reason: z.string().nullable(),
    submittedAt: z.iso.datetime(),
    confirmed: z
      .object({
        byName: z.string(),
        at: z.iso.datetime(),
        countedFen: z.number().int(),
        note: z.string().nullable(),
      })
      .nullable(),
  })
  .meta({ id: "CashHandIn" });
export type CashHandIn = z.infer<typeof CashHandIn>;

export const CashDay = z
  .object({
    agentId: z.string(),
    agentName: z.string(),
    servicePointId: z.string().nullable(),
    day: ChinaDay,
    takenFen: z.number().int().meta({ description: "Cash taken at hand-overs that day" }),
    paidOutFen: z.number().int().meta({ description: "Cash paid out to villagers that day" }),
    netFen: z.number().int().meta({ description: "takenFen − paidOutFen" }),
    handedInFen: z.number().int().meta({ description: "What the day's hand-ins already expected" }),
    toHandInFen: z.number().int().meta({ description: "netFen − handedInFen: the cash still to hand in" }),
    takings: z.array(
      z.object({
        paymentId: z.string(),
        orderId: z.string(),
        contactName: z.string(),
        amountFen: z.number().int(),
        at: z.iso.datetime(),
      }),
    ),
    payouts: z.array(
      z.object({
        payoutId: z.string(),
        consignorName: z.string(),
        amountFen: z.number().int(),
        at: z.iso.datetime(),
      }),
    ),
    handIns: z.array(CashHandIn),
  })
  .meta({ id: "CashDay" });
export type CashDay = z.infer<typeof CashDay>;

export const CreateCashHandIn = z
  .object({
    day: ChinaDay,
    countedFen: z.number().int("whole fen").min(0).max(MAX_AMOUNT_FEN),
    /** What the agent's screen showed: if more cash came in since, the hand-in is refused (409). */
    expectedFen: z.number().int().min(-MAX_AMOUNT_FEN).max(MAX_AMOUNT_FEN).optional(),
    reason: z.string().trim().max(300).optional(),
  })
  .meta({ id: "CreateCashHandIn" });

export const ConfirmCashHandIn = z
  .object({
    countedFen: z.number().int("whole fen").min(0).max(MAX_AMOUNT_FEN),
    note: z.string().trim().max(300).optional(),
  })
  .meta({ id: "ConfirmCashHandIn" });

export const OpenCash = z
  .object({
    agents: z.array(
      z.object({
        agentId: z.string(),
        agentName: z.string(),
        servicePointId: z.string().nullable(),
        servicePointName: z.object({ zh: z.string(), en: z.string() }).nullable(),
        takenFen: z.number().int(),
        paidOutFen: z.number().int(),
        handedInFen: z
          .number()
          .int()
          .meta({ description: "Counted at hand-ins (the admin's count once confirmed)" }),
        openFen: z.number().int().meta({ description: "takenFen − paidOutFen − handedInFen" }),
        days: z
          .array(z.object({ day: ChinaDay, toHandInFen: z.number().int() }))
          .meta({ description: "Days with cash not yet handed in" }),
      }),
    ),
    awaitingConfirmation: z.array(CashHandIn),
  })
  .meta({ id: "OpenCash" });
export type OpenCash = z.infer<typeof OpenCash>;
