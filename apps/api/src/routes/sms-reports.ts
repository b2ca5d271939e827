import { createHash, timingSafeEqual } from "node:crypto";
import { createRoute, z } from "@hono/zod-openapi";
import { type AliyunDeliveryReport, recordDeliveryReports } from "../domain/notifications/delivery-reports";
import { ApiError } from "../lib/errors";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";

const AliyunReport = z
  .object({
    phone_number: z.string().optional(),
    send_time: z.string().optional(),
    report_time: z.string().optional(),
    success: z.boolean(),
    err_code: z.string().optional(),
    err_msg: z.string().optional(),
    biz_id: z.string().min(1).max(200),
    out_id: z.string().max(200).optional(),
  })
  .loose();
const AliyunReports = z.array(AliyunReport).max(1000);

const aliyunDef = createRoute({
  method: "post",
  path: "/webhooks/sms/aliyun",
  tags: ["Webhooks"],
  summary: "Aliyun SMS delivery receipts (SmsReport HTTP push)",
  description:
    "Aliyun's HTTP push carries no signature, so the URL configured at Aliyun carries a secret: `?token=<SMS_REPORT_TOKEN>`, checked (timing-safe) before the body is read. The body is a JSON array of reports {phone_number, send_time, report_time, success, err_code, err_msg, biz_id, out_id, …}. Each report is stored once (a repeated push is acknowledged and changes nothing) and marks its message delivered or not. The answer is Aliyun's expected {code: 0, msg}.",
  request: { query: z.object({ token: z.string().optional() }) },
  responses: {
    200: jsonContent(
      z.object({ code: z.literal(0), msg: z.string() }).meta({ id: "SmsReportAck" }),
      "Accepted",
    ),
    ...errorResponses(400, 401, 404),
  },
});

/** Equal-time comparison of two secrets of any length (both hashed first, so lengths leak nothing). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

export function smsReportRoutes() {
  return createRouter().openapi(aliyunDef, async (c) => {
    const { env, db, logger } = c.var.deps;
    if (!env.SMS_REPORT_TOKEN)
      throw new ApiError("NOT_FOUND", "SMS delivery receipts are not configured here.");
    // The token sits in the query, not the path: request logs record the path only.
    if (!sameSecret(c.req.valid("query").token ?? "", env.SMS_REPORT_TOKEN)) {
      throw new ApiError("UNAUTHENTICATED", "The report URL's token is missing or wrong.");
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ApiError("INVALID_JSON", "The body is not JSON.");
    }
    const parsed = AliyunReports.safeParse(body);
    if (!parsed.success) {
      throw new ApiError("VALIDATION_FAILED", "The body is not a list of Aliyun delivery reports.", {
        fields: parsed.error.issues
          .slice(0, 20)
          .map((i) => ({ path: i.path.join(".") || "(body)", message: i.message })),
      });
    }
    const result = await recordDeliveryReports(db, "aliyun", parsed.data as AliyunDeliveryReport[]);
    logger.info(result, "SMS delivery receipts");
    return c.json({ code: 0 as const, msg: "成功" }, 200);
  });
}
