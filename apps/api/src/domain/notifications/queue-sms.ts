import type { Executor } from "@coop/db";
import { notifications } from "@coop/db/schema";
import { newId } from "@coop/shared";
import type { SmsTemplateName } from "./sms-templates";

/** Queues an SMS in the outbox, in the caller's transaction: it is sent only if the change commits. */
export async function queueSms(
  tx: Executor,
  input: { to: string; template: SmsTemplateName; data: Record<string, unknown>; orderId?: string },
) {
  await tx.insert(notifications).values({
    id: newId("notification"),
    channel: "sms",
    recipient: input.to,
    template: input.template,
    data: input.data,
    orderId: input.orderId ?? null,
  });
}
