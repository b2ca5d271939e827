// The outbox and the template registry live in domain/notifications (issue 15); order code imports them from
// here until it moves too.
export { queueSms } from "../notifications/queue-sms";
export type { SmsTemplateName as NotificationTemplate } from "../notifications/sms-templates";
