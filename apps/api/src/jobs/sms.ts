import type { Logger } from "pino";

/** Where SMS go. A real provider (Aliyun SMS, Tencent Cloud SMS…) implements this; development logs them. */
export interface SmsProvider {
  send(message: { to: string; template: string; data: Record<string, unknown> }): Promise<void>;
}

export function logSmsProvider(logger: Logger): SmsProvider {
  return {
    async send(message) {
      // The phone number is partly masked even in development logs.
      logger.info(
        { sms: { ...message, to: `${message.to.slice(0, 3)}****${message.to.slice(-4)}` } },
        "SMS (development provider)",
      );
    },
  };
}
