import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { chinaDate } from "../../src/jobs/sms/aliyun";
import { signature } from "../../src/jobs/sms/aliyun-signer";

/**
 * A stand-in for Aliyun's Dysmsapi (SendSms, QuerySendDetails) on a local port. It checks every request's
 * signature with the secret of its AccessKeyId, refuses a reused nonce, and COUNTS: how often each OutId was
 * asked to be sent (calls) and how often it was accepted (accepted) — the figure that must never exceed 1.
 * What it does with a message is up to `plan`, per OutId and per call:
 * - "accept": answers OK with a BizId;
 * - "accept-then-500": takes the message, then answers 500 (the answer says nothing of it);
 * - "500": answers 500 without taking it;
 * - "accept-then-hang": takes the message and never answers (the sender's timeout fires);
 * - "throttle": isv.BUSINESS_LIMIT_CONTROL; "invalid-phone": isv.MOBILE_NUMBER_ILLEGAL.
 */
export type FakeBehaviour =
  | "accept"
  | "accept-then-500"
  | "500"
  | "accept-then-hang"
  | "throttle"
  | "invalid-phone";

export interface AcceptedSms {
  outId: string;
  bizId: string;
  phone: string;
  templateCode: string;
  params: Record<string, string>;
  signName: string;
  accessKeyId: string;
  sendDate: string;
  at: Date;
}

export interface FakeAliyun {
  url: string;
  accepted: AcceptedSms[];
  /** SendSms calls per OutId (accepted or not). */
  calls: Map<string, number>;
  /** Accepted sends per OutId: 1 for every message, or something was sent twice. */
  acceptedPerOutId(): Map<string, number>;
  /** Accepted sends per AccessKeyId (one key per API process: shows both took part). */
  acceptedPerKey(): Map<string, number>;
  queries: number;
  badSignatures: number;
  /** Delivery receipts as Aliyun pushes them, for the given accepted messages. */
  reportsFor(messages: AcceptedSms[]): Array<Record<string, unknown>>;
  setPlan(plan: (outId: string, call: number) => FakeBehaviour): void;
  close(): Promise<void>;
}

const pad = (n: number) => String(n).padStart(2, "0");
/** "2026-12-02 09:03:04", China time, as Aliyun writes times. */
function chinaDateTime(at: Date): string {
  const c = new Date(at.getTime() + 8 * 3_600_000);
  return `${c.getUTCFullYear()}-${pad(c.getUTCMonth() + 1)}-${pad(c.getUTCDate())} ${pad(c.getUTCHours())}:${pad(c.getUTCMinutes())}:${pad(c.getUTCSeconds())}`;
}

export async function startFakeAliyun(options: {
  /** AccessKeyId → AccessKeySecret. */
  keys: Record<string, string>;
  /** Delay before each SendSms answer, as a network round trip would take. */
  delayMs?: number;
}): Promise<FakeAliyun> {
  const accepted: AcceptedSms[] = [];
  const calls = new Map<string, number>();
  const nonces = new Set<string>();
  const hanging = new Set<ServerResponse>();
  let plan: (outId: string, call: number) => FakeBehaviour = () => "accept";
  let queries = 0;
  let badSignatures = 0;
  let bizSeq = 0;

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json;charset=utf-8" });
    res.end(JSON.stringify(body));
  };

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  const server = createServer(async (req, res) => {
    const params = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const requestId = randomUUID().toUpperCase();
    const secret = options.keys[params.AccessKeyId ?? ""];
    if (!secret) return answer(res, 404, { Code: "InvalidAccessKeyId.NotFound", RequestId: requestId });
    const { Signature: given, ...signed } = params;
    if (
      req.method !== "POST" ||
      params.SignatureMethod !== "HMAC-SHA1" ||
      params.SignatureVersion !== "1.0" ||
      given !== signature(secret, "POST", signed)
    ) {
      badSignatures++;
      return answer(res, 400, { Code: "SignatureDoesNotMatch", RequestId: requestId });
    }
    if (nonces.has(params.SignatureNonce ?? "")) {
      return answer(res, 400, { Code: "SignatureNonceUsed", RequestId: requestId });
    }
    nonces.add(params.SignatureNonce ?? "");
    if (params.Version !== "2017-05-25" || params.Format !== "JSON") {
      return answer(res, 400, { Code: "InvalidVersion", RequestId: requestId });
    }

    if (params.Action === "QuerySendDetails") {
      queries++;
      const size = Number(params.PageSize);
      const page = Number(params.CurrentPage);
      if (!params.PhoneNumber || !params.SendDate || !(size >= 1 && size <= 50) || !(page >= 1)) {
        return answer(res, 400, { Code: "isv.INVALID_PARAMETERS", RequestId: requestId });
      }
      const all = accepted.filter((a) => a.phone === params.PhoneNumber && a.sendDate === params.SendDate);
      const slice = all.slice((page - 1) * size, page * size);
      // Field names as Aliyun's QuerySendDetails documents them (no BizId in a record).
      return answer(res, 200, {
        Code: "OK",
        Message: "OK",
        RequestId: requestId,
        TotalCount: all.length,
        SmsSendDetailDTOs: {
          SmsSendDetailDTO: slice.map((a) => ({
            PhoneNum: a.phone,
            SendStatus: 1,
            ErrCode: "",
            TemplateCode: a.templateCode,
            Content: `【${a.signName}】…`,
            SendDate: chinaDateTime(a.at),
            ReceiveDate: "",
            OutId: a.outId,
          })),
        },
      });
    }

    if (params.Action !== "SendSms")
      return answer(res, 404, { Code: "InvalidAction.NotFound", RequestId: requestId });
    let templateParams: Record<string, string>;
    try {
      templateParams = JSON.parse(params.TemplateParam ?? "{}") as Record<string, string>;
    } catch {
      return answer(res, 200, {
        Code: "isv.INVALID_JSON_PARAM",
        Message: "JSON参数不合法",
        RequestId: requestId,
      });
    }
    if (!params.PhoneNumbers || !params.SignName || !params.TemplateCode || !params.OutId) {
      return answer(res, 200, { Code: "isv.INVALID_PARAMETERS", Message: "参数异常", RequestId: requestId });
    }
    const outId = params.OutId;
    const call = (calls.get(outId) ?? 0) + 1;
    calls.set(outId, call);
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    const behaviour = plan(outId, call);
    if (behaviour === "throttle") {
      return answer(res, 200, {
        Code: "isv.BUSINESS_LIMIT_CONTROL",
        Message: "触发分钟级流控",
        RequestId: requestId,
      });
    }
    if (behaviour === "invalid-phone") {
      return answer(res, 200, {
        Code: "isv.MOBILE_NUMBER_ILLEGAL",
        Message: "非法手机号",
        RequestId: requestId,
      });
    }
    if (behaviour === "500") return answer(res, 500, { Code: "InternalError", RequestId: requestId });
    const now = new Date();
    const bizId = `${900000000 + ++bizSeq}^0`;
    accepted.push({
      outId,
      bizId,
      phone: params.PhoneNumbers,
      templateCode: params.TemplateCode,
      params: templateParams,
      signName: params.SignName,
      accessKeyId: params.AccessKeyId!,
      sendDate: chinaDate(now),
      at: now,
    });
    if (behaviour === "accept-then-500")
      return answer(res, 500, { Code: "ServiceUnavailable", RequestId: requestId });
    if (behaviour === "accept-then-hang") {
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    return answer(res, 200, { Code: "OK", Message: "OK", BizId: bizId, RequestId: requestId });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const countBy = (key: (a: AcceptedSms) => string) => {
    const counts = new Map<string, number>();
    for (const a of accepted) counts.set(key(a), (counts.get(key(a)) ?? 0) + 1);
    return counts;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    accepted,
    calls,
    acceptedPerOutId: () => countBy((a) => a.outId),
    acceptedPerKey: () => countBy((a) => a.accessKeyId),
    get queries() {
      return queries;
    },
    get badSignatures() {
      return badSignatures;
    },
    reportsFor: (messages) =>
      messages.map((a) => ({
        phone_number: a.phone,
        send_time: chinaDateTime(a.at),
        report_time: chinaDateTime(new Date(a.at.getTime() + 3000)),
        success: true,
        err_code: "DELIVERED",
        err_msg: "用户接收成功",
        sms_size: "1",
        biz_id: a.bizId,
        out_id: a.outId,
      })),
    setPlan(next) {
      plan = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
