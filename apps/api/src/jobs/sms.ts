import type { Logger } from "pino";
import { renderSms, type SmsRenderContext } from "../domain/notifications/sms-templates";

/** One message as the outbox hands it to a provider. */
export interface OutgoingSms {
  /** The notification id: our own id of the message, given to the provider (Aliyun's OutId). */
  id: string;
  to: string;
  template: string;
  data: Record<string, unknown>;
  /** When a send of this message was first started (notifications.send_attempted_at). */
  attemptedAt: Date;
}

/**
 * What became of one send. The outbox acts on the kind:
 * - sent: the provider accepted it (its id kept in notifications.provider_message_id);
 * - retry: refused for now (throttled, provider down, bad credentials) and known NOT accepted: try later;
 * - unknown: the request may have reached the provider and the answer was lost (timeout, connection reset,
 *   5xx): look it up at the provider before any resend;
 * - failed: refused for good (invalid phone, template missing): not retried.
 */
export type SendResult =
  | { kind: "sent"; providerMessageId: string | null }
  | { kind: "retry"; reason: string }
  | { kind: "unknown"; reason: string }
  | { kind: "failed"; reason: string };

/** Whether the provider has a message that we sent and whose answer we never got. */
export type LookupResult =
  | { kind: "found"; providerMessageId: string | null }
  | { kind: "not_found" }
  /** The lookup itself failed: the message is left for later, neither resent nor marked. */
  | { kind: "unknown"; reason: string };

/** Where SMS go: Alibaba Cloud SMS (jobs/sms/aliyun.ts), or the development log. */
export interface SmsProvider {
  /** Stored in notifications.provider ("aliyun", "log"); test doubles may leave it out. */
  readonly name?: string;
  /** Resolving with nothing means accepted, without a provider id. A throw counts as an unknown outcome. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a double's `async send() {}` (Promise<void>) means accepted
  send(message: OutgoingSms): Promise<SendResult | undefined | void>;
  /**
   * Looks up a message whose earlier send had an unknown outcome. A provider without it answers
   * "not found", so such a message is sent again (at least once instead of exactly once).
   */
  lookup?(message: OutgoingSms): Promise<LookupResult>;
}

/**
 * Development and any setup without a provider (SMS_PROVIDER=log): the message's Chinese text is logged, with
 * the phone number, codes and links masked, and nothing leaves the machine. It keeps no record, so a message whose send
 * was interrupted (the process died) is found nowhere and is simply logged again: nothing real was sent.
 */
export function logSmsProvider(logger: Logger, ctx?: SmsRenderContext): SmsProvider {
  return {
    name: "log",
    async send(message) {
      // Nothing to write at this level (production runs at warn): the message counts as sent, unrendered.
      if (!logger.isLevelEnabled("info")) return { kind: "sent", providerMessageId: null };
      // Codes and links are masked: a log is read by more people than the phone's owner.
      const rendered = ctx ? renderSms(message.template, message.data, ctx, { maskSecrets: true }) : null;
      logger.info(
        {
          sms: {
            id: message.id,
            to: `${message.to.slice(0, 3)}****${message.to.slice(-4)}`,
            template: message.template,
            ...(rendered ? { text: rendered.text } : {}),
          },
        },
        "SMS (development provider)",
      );
      return { kind: "sent", providerMessageId: null };
    },
    async lookup() {
      return { kind: "not_found" };
    },
  };
}
