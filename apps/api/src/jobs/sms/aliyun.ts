import { chinaDateStamp } from "@coop/shared";
import { renderSms, type SmsRenderContext } from "../../domain/notifications/sms-templates";
import type { LookupResult, OutgoingSms, SendResult, SmsProvider } from "../sms";
import { formBody, signedParams } from "./aliyun-signer";

/** Dysmsapi, the Chinese-mainland SMS API (SendSms, QuerySendDetails). */
export const ALIYUN_SMS_VERSION = "2017-05-25";
/** A call that has not answered in this long is abandoned; the outcome of a SendSms is then unknown. */
export const ALIYUN_TIMEOUT_MS = 10_000;
/** QuerySendDetails returns at most 50 records per page. */
const QUERY_PAGE_SIZE = 50;
/** Pages of one phone's day looked through before giving up (50 × 10 messages to one phone in a day). */
const QUERY_MAX_PAGES = 10;

export interface AliyunSmsConfig {
  /** Base URL, e.g. https://dysmsapi.aliyuncs.com (SMS_ALIYUN_ENDPOINT). */
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** The approved signature (签名), SMS_SIGN_NAME. */
  signName: string;
  /** Template name → approved template code (SMS_TEMPLATE_CODES). */
  templateCodes: Record<string, string>;
  render: SmsRenderContext;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Answer codes that mean "not now": throttled or over a send limit. Known not accepted; retried later. */
const THROTTLED = new Set([
  "isv.BUSINESS_LIMIT_CONTROL",
  "isv.DAY_LIMIT_CONTROL",
  "isv.MONTH_LIMIT_CONTROL",
  "Throttling",
  "Throttling.User",
  "Throttling.Api",
  "SignatureNonceUsed",
  "InvalidTimeStamp.Expired",
]);

/**
 * Refusals of this message itself, which no retry can fix: the phone number, the template or signature, the
 * variables. The message is failed at once. Account-wide problems (no balance, bad key, no permission) are
 * NOT here: they would fail every message; they are retried until an operator fixes them or the message
 * runs out of attempts.
 */
const PERMANENT = new Set([
  "isv.MOBILE_NUMBER_ILLEGAL",
  "isv.MOBILE_COUNT_OVER_LIMIT",
  "isv.BLACK_KEY_CONTROL_LIMIT",
  "isv.TEMPLATE_MISSING_PARAMETERS",
  "isv.TEMPLATE_PARAMS_ILLEGAL",
  "isv.SMS_TEMPLATE_ILLEGAL",
  "isv.SMS_SIGNATURE_ILLEGAL",
  "isv.SMS_SIGN_ILLEGAL",
  "isv.SIGN_STATE_ILLEGAL",
  "isv.SMS_SIGNATURE_SCENE_ILLEGAL",
  "isv.SMS_CONTENT_ILLEGAL",
  "isv.INVALID_PARAMETERS",
  "isv.INVALID_JSON_PARAM",
  "isv.PARAM_LENGTH_LIMIT",
  "isv.PARAM_NOT_SUPPORT_URL",
  "isv.DOMESTIC_NUMBER_NOT_SUPPORTED",
  "isv.EXTEND_CODE_ERROR",
]);

/** One HTTP answer of SendSms, classified (pure: the unit tests feed it answers from Aliyun's docs). */
export function classifySendAnswer(status: number, body: unknown): SendResult {
  const answer = (body ?? {}) as { Code?: unknown; Message?: unknown; BizId?: unknown };
  const code = typeof answer.Code === "string" ? answer.Code : "";
  const reason = `${status} ${code || "(no code)"}${typeof answer.Message === "string" ? `: ${answer.Message}` : ""}`;
  if (status >= 500) return { kind: "unknown", reason };
  if (status === 200 && code === "OK") {
    return { kind: "sent", providerMessageId: typeof answer.BizId === "string" ? answer.BizId : null };
  }
  // isp.* is Aliyun's own side failing (isp.SYSTEM_ERROR): it may have taken the message first.
  if (code.startsWith("isp.") && code !== "isp.RAM_PERMISSION_DENY") return { kind: "unknown", reason };
  if (THROTTLED.has(code)) return { kind: "retry", reason };
  if (PERMANENT.has(code)) return { kind: "failed", reason };
  // Anything else was a refusal (the gateway answered with a code): not accepted, tried again later.
  return { kind: "retry", reason };
}

/**
 * A failed fetch: when no connection was ever made (refused, name not resolved) the request was certainly
 * not received; anything after that (a reset, a timeout while waiting for the answer) may have been.
 */
export function classifyNetworkError(err: unknown): SendResult {
  const cause = (err as { cause?: { code?: string } })?.cause;
  const code = cause?.code ?? (err as { code?: string })?.code ?? "";
  const name = (err as { name?: string })?.name ?? "";
  const reason = `${name || "Error"} ${code}`.trim();
  if (["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"].includes(code)) {
    return { kind: "retry", reason };
  }
  return { kind: "unknown", reason };
}

/** Aliyun works on China time: SendDate is the day in Asia/Shanghai (UTC+8, no daylight saving). */
export const chinaDate = chinaDateStamp;

interface QueryAnswer {
  Code?: string;
  TotalCount?: number | string;
  SmsSendDetailDTOs?: { SmsSendDetailDTO?: Array<{ OutId?: string; BizId?: string; SendStatus?: number }> };
}

export function aliyunSmsProvider(config: AliyunSmsConfig): SmsProvider {
  const doFetch = config.fetch ?? fetch;
  const timeoutMs = config.timeoutMs ?? ALIYUN_TIMEOUT_MS;
  const base = config.endpoint.replace(/\/$/, "");

  async function call(action: string, params: Record<string, string>) {
    const body = formBody(
      signedParams({
        accessKeyId: config.accessKeyId,
        accessKeySecret: config.accessKeySecret,
        version: ALIYUN_SMS_VERSION,
        action,
        params,
        method: "POST",
      }),
    );
    const res = await doFetch(`${base}/`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
        accept: "application/json",
      },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The body is read under the same timeout: an answer that stops halfway is as lost as none.
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: res.status, json };
  }

  return {
    name: "aliyun",

    async send(message: OutgoingSms): Promise<SendResult> {
      const rendered = renderSms(message.template, message.data, config.render);
      if (!rendered) return { kind: "failed", reason: `no template "${message.template}" in this release` };
      const code = config.templateCodes[rendered.template];
      if (!code)
        return {
          kind: "failed",
          reason: `no template code for "${rendered.template}" in SMS_TEMPLATE_CODES`,
        };
      try {
        const { status, json } = await call("SendSms", {
          PhoneNumbers: message.to,
          SignName: config.signName,
          TemplateCode: code,
          TemplateParam: JSON.stringify(rendered.variables),
          OutId: message.id,
        });
        return classifySendAnswer(status, json);
      } catch (err) {
        return classifyNetworkError(err);
      }
    },

    /**
     * Pages through the phone's records of the day the send was attempted (and the next day, for a send
     * started just before midnight) for our OutId. Records of messages still waiting for their delivery
     * receipt are listed too (SendStatus 1), so an accepted message is found before it reaches the phone.
     */
    async lookup(message: OutgoingSms): Promise<LookupResult> {
      const days = [
        ...new Set([
          chinaDate(message.attemptedAt),
          chinaDate(new Date(message.attemptedAt.getTime() + 3_600_000)),
        ]),
      ];
      try {
        for (const day of days) {
          for (let page = 1; page <= QUERY_MAX_PAGES; page++) {
            const { status, json } = await call("QuerySendDetails", {
              PhoneNumber: message.to,
              SendDate: day,
              PageSize: String(QUERY_PAGE_SIZE),
              CurrentPage: String(page),
            });
            const answer = (json ?? {}) as QueryAnswer;
            if (status !== 200 || answer.Code !== "OK") {
              return { kind: "unknown", reason: `QuerySendDetails ${status} ${answer.Code ?? ""}`.trim() };
            }
            const records = answer.SmsSendDetailDTOs?.SmsSendDetailDTO ?? [];
            const ours = records.find((r) => r.OutId === message.id);
            if (ours) return { kind: "found", providerMessageId: ours.BizId ?? null };
            if (records.length < QUERY_PAGE_SIZE || page * QUERY_PAGE_SIZE >= Number(answer.TotalCount ?? 0))
              break;
          }
        }
        return { kind: "not_found" };
      } catch (err) {
        const failed = classifyNetworkError(err);
        return { kind: "unknown", reason: "reason" in failed ? failed.reason : "network" };
      }
    },
  };
}
