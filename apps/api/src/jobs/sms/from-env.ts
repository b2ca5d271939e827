import type { Logger } from "pino";
import { publicLinks } from "../../domain/lots/public-link";
import type { Env } from "../../env";
import { logSmsProvider, type SmsProvider } from "../sms";
import { aliyunSmsProvider } from "./aliyun";

/** The SMS provider the configuration asks for: SMS_PROVIDER=aliyun, or the log (default). */
export function smsProviderFromEnv(
  env: Pick<
    Env,
    | "SMS_PROVIDER"
    | "SMS_ALIYUN_ENDPOINT"
    | "SMS_ALIYUN_ACCESS_KEY_ID"
    | "SMS_ALIYUN_ACCESS_KEY_SECRET"
    | "SMS_SIGN_NAME"
    | "SMS_TEMPLATE_CODES"
    | "PUBLIC_LINK_SECRET"
    | "PUBLIC_SHOP_URL"
  >,
  logger: Logger,
): SmsProvider {
  const render = { links: publicLinks(env.PUBLIC_LINK_SECRET, env.PUBLIC_SHOP_URL) };
  if (env.SMS_PROVIDER !== "aliyun") return logSmsProvider(logger, render);
  // readEnv has checked that the keys and the sign name are present for this provider.
  return aliyunSmsProvider({
    endpoint: env.SMS_ALIYUN_ENDPOINT,
    accessKeyId: env.SMS_ALIYUN_ACCESS_KEY_ID!,
    accessKeySecret: env.SMS_ALIYUN_ACCESS_KEY_SECRET!,
    signName: env.SMS_SIGN_NAME!,
    templateCodes: env.SMS_TEMPLATE_CODES,
    render,
  });
}
