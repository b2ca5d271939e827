import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWebhookPayload, verifyWebhookSignature, webhookSignature } from "./webhook-signature";

const secret = "whsec_test_secret";
const body = JSON.stringify({ id: "evt_1", type: "order.paid", data: { orderId: "ord_1", totalFen: 1200 } });
const t = 1_790_000_000;
const at = (seconds: number) => seconds * 1000;

describe("webhook signatures", () => {
  it("are the hex HMAC-SHA256 of '<t>.<body>', as a receiver in any language computes it", () => {
    const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
    expect(webhookSignature(secret, t, body)).toBe(expected);
    expect(signWebhookPayload(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it("verify the body they were made for, within the tolerance either way", () => {
    const header = signWebhookPayload(secret, body, t);
    expect(verifyWebhookSignature(secret, header, body, 300, at(t))).toEqual({ valid: true, timestamp: t });
    expect(verifyWebhookSignature(secret, header, body, 300, at(t + 300)).valid).toBe(true);
    expect(verifyWebhookSignature(secret, header, body, 300, at(t - 60)).valid).toBe(true);
    expect(verifyWebhookSignature(secret, header, Buffer.from(body), 300, at(t)).valid).toBe(true);
  });

  it("refuse an altered body, another secret, or a timestamp moved to look fresh", () => {
    const header = signWebhookPayload(secret, body, t);
    const altered = body.replace("1200", "120000");
    expect(verifyWebhookSignature(secret, header, altered, 300, at(t))).toEqual({
      valid: false,
      reason: "mismatch",
    });
    expect(verifyWebhookSignature("whsec_other", header, body, 300, at(t)).valid).toBe(false);
    const replayed = header.replace(`t=${t}`, `t=${t + 3600}`);
    expect(verifyWebhookSignature(secret, replayed, body, 300, at(t + 3600))).toEqual({
      valid: false,
      reason: "mismatch",
    });
  });

  it("refuse a stale timestamp even with a right signature", () => {
    const header = signWebhookPayload(secret, body, t);
    expect(verifyWebhookSignature(secret, header, body, 300, at(t + 301))).toEqual({
      valid: false,
      reason: "stale",
    });
    expect(verifyWebhookSignature(secret, header, body, 300, at(t - 301)).valid).toBe(false);
  });

  it("accept any one matching v1 among several (a secret being replaced)", () => {
    const header = `t=${t},v1=${webhookSignature("whsec_old", t, body)},v1=${webhookSignature(secret, t, body)}`;
    expect(verifyWebhookSignature(secret, header, body, 300, at(t)).valid).toBe(true);
  });

  it.each([
    [null],
    [""],
    ["v1=abc"],
    [`t=${t}`],
    [`t=soon,v1=${"0".repeat(64)}`],
    [`t=${t},v0=${"0".repeat(64)}`],
    [`t=${t},v1=${"z".repeat(64)}`],
    [`t=${t},v1=${"0".repeat(5000)}`],
  ])("refuse a malformed header %#", (header) => {
    expect(verifyWebhookSignature(secret, header, body, 300, at(t))).toEqual({
      valid: false,
      reason: "malformed",
    });
  });
});
