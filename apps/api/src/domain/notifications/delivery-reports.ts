import type { Database } from "@coop/db";
import { notifications, smsDeliveryReports } from "@coop/db/schema";
import { newId, parseChinaDateTime } from "@coop/shared";
import { and, eq, or, sql } from "drizzle-orm";
import { notificationDataWithoutSecrets } from "./notification-secrets";

/** One entry of Aliyun's delivery-report push (SmsReport), as far as we read it; the rest is kept raw. */
export interface AliyunDeliveryReport {
  phone_number?: string;
  send_time?: string;
  report_time?: string;
  success: boolean;
  err_code?: string;
  err_msg?: string;
  biz_id: string;
  out_id?: string;
  [key: string]: unknown;
}

/** "2017-01-01 00:00:00" in China time (how Aliyun writes times) → a Date; null when unreadable. */
export const chinaTime = parseChinaDateTime;

/**
 * Stores each delivery receipt once (UNIQUE provider + BizId: a push repeated by the provider, or by two of
 * our processes receiving it, records nothing the second time) and marks its message delivered or not. The
 * message is found by our own id (OutId) first, else by the BizId it was sent under. A receipt for a message
 * whose send answer was lost proves the provider accepted it: the message is marked sent there and then, so
 * no sender looks it up or sends it again. Returns how many receipts were new.
 */
export async function recordDeliveryReports(
  db: Database,
  provider: string,
  reports: AliyunDeliveryReport[],
): Promise<{ recorded: number; duplicates: number }> {
  let recorded = 0;
  for (const report of reports) {
    const fresh = await db.transaction(async (tx) => {
      const match = report.out_id
        ? eq(notifications.id, report.out_id)
        : and(eq(notifications.provider, provider), eq(notifications.providerMessageId, report.biz_id));
      const [message] = await tx
        .select({ id: notifications.id })
        .from(notifications)
        .where(report.out_id ? or(match, eq(notifications.providerMessageId, report.biz_id)) : match)
        .limit(1);
      const inserted = await tx
        .insert(smsDeliveryReports)
        .values({
          id: newId("smsDeliveryReport"),
          provider,
          providerMessageId: report.biz_id,
          notificationId: message?.id ?? null,
          success: report.success,
          errorCode: report.err_code ?? null,
          reportedAt: chinaTime(report.report_time),
          raw: report,
        })
        .onConflictDoNothing()
        .returning({ id: smsDeliveryReports.id });
      if (inserted.length === 0 || !message) return inserted.length > 0;
      await tx
        .update(notifications)
        .set({
          deliveredAt: report.success ? (chinaTime(report.report_time) ?? new Date()) : null,
          deliveryFailed: !report.success,
          provider: sql`coalesce(${notifications.provider}, ${provider})`,
          providerMessageId: sql`coalesce(${notifications.providerMessageId}, ${report.biz_id})`,
        })
        .where(eq(notifications.id, message.id));
      // Accepted by the provider, whatever our sender believes: never to be sent again.
      await tx
        .update(notifications)
        .set({
          status: "sent",
          sentAt: chinaTime(report.send_time) ?? new Date(),
          claimedUntil: null,
          data: notificationDataWithoutSecrets(),
        })
        .where(and(eq(notifications.id, message.id), eq(notifications.status, "pending")));
      return true;
    });
    if (fresh) recorded++;
  }
  return { recorded, duplicates: reports.length - recorded };
}
