import { describe, expect, it } from "vitest";
import { publicLinks } from "../../domain/lots/public-link";
import { renderSms, SMS_TEMPLATES } from "../../domain/notifications/sms-templates";
import { chinaDate, classifyNetworkError, classifySendAnswer } from "./aliyun";
import { formBody, percentEncode, signature, signedParams, stringToSign } from "./aliyun-signer";

describe("Aliyun RPC signature", () => {
  // The worked example of Aliyun's "签名机制" page: DescribeRegions with key testid / secret testsecret.
  const example = {
    TimeStamp: "2016-02-23T12:46:24Z",
    Format: "XML",
    AccessKeyId: "testid",
    Action: "DescribeRegions",
    SignatureMethod: "HMAC-SHA1",
    SignatureNonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    Version: "2014-05-26",
    SignatureVersion: "1.0",
  };

  it("builds the documented string to sign and signature", () => {
    expect(stringToSign("GET", example)).toBe(
      "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1" +
        "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0" +
        "%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
    );
    expect(signature("testsecret", "GET", example)).toBe("CT9X0VtwR86fNWSnsc6v8YGOjuE=");
  });

  it("percent-encodes as Aliyun does: space %20, * %2A, ~ kept, Chinese as UTF-8 bytes", () => {
    expect(percentEncode("a b*c~d")).toBe("a%20b%2Ac~d");
    expect(percentEncode("!'()")).toBe("%21%27%28%29");
    expect(percentEncode("供销社")).toBe("%E4%BE%9B%E9%94%80%E7%A4%BE");
    expect(percentEncode('{"a":"1"}')).toBe("%7B%22a%22%3A%221%22%7D");
  });

  it("signs the parameters it sends, and any change to them breaks the signature", () => {
    const params = signedParams({
      accessKeyId: "key",
      accessKeySecret: "secret",
      version: "2017-05-25",
      action: "SendSms",
      params: { PhoneNumbers: "13800000000", SignName: "供销社", TemplateParam: '{"x":"1 2"}' },
      now: new Date("2026-12-02T01:02:03.456Z"),
      nonce: "n-1",
    });
    expect(params).toMatchObject({
      Timestamp: "2026-12-02T01:02:03Z",
      SignatureNonce: "n-1",
      Format: "JSON",
    });
    const { Signature, ...rest } = params;
    expect(signature("secret", "POST", rest)).toBe(Signature);
    expect(signature("secret", "POST", { ...rest, PhoneNumbers: "13800000001" })).not.toBe(Signature);
    expect(signature("other", "POST", rest)).not.toBe(Signature);
    // The body decodes back to exactly the signed values.
    const decoded = Object.fromEntries(new URLSearchParams(formBody(params)));
    expect(decoded).toEqual(params);
  });
});

describe("classifying SendSms answers", () => {
  it("OK with a BizId is sent", () => {
    expect(
      classifySendAnswer(200, {
        Code: "OK",
        Message: "OK",
        BizId: "9006197469364984^0",
        RequestId: "F655A8D5",
      }),
    ).toEqual({ kind: "sent", providerMessageId: "9006197469364984^0" });
  });

  it("throttling is retried later, known not accepted", () => {
    expect(
      classifySendAnswer(200, { Code: "isv.BUSINESS_LIMIT_CONTROL", Message: "触发分钟级流控" }).kind,
    ).toBe("retry");
    expect(classifySendAnswer(400, { Code: "Throttling.User" }).kind).toBe("retry");
  });

  it("a 5xx or isp.SYSTEM_ERROR may have been accepted: unknown", () => {
    expect(classifySendAnswer(502, null).kind).toBe("unknown");
    expect(classifySendAnswer(500, { Code: "InternalError" }).kind).toBe("unknown");
    expect(classifySendAnswer(200, { Code: "isp.SYSTEM_ERROR" }).kind).toBe("unknown");
  });

  it("an invalid phone or a missing template is failed for good", () => {
    expect(classifySendAnswer(200, { Code: "isv.MOBILE_NUMBER_ILLEGAL" }).kind).toBe("failed");
    expect(classifySendAnswer(200, { Code: "isv.SMS_TEMPLATE_ILLEGAL" }).kind).toBe("failed");
    expect(classifySendAnswer(200, { Code: "isv.TEMPLATE_MISSING_PARAMETERS" }).kind).toBe("failed");
  });

  it("account-wide refusals are retried, not failed (they would fail every message)", () => {
    expect(classifySendAnswer(200, { Code: "isv.AMOUNT_NOT_ENOUGH" }).kind).toBe("retry");
    expect(classifySendAnswer(400, { Code: "SignatureDoesNotMatch" }).kind).toBe("retry");
    expect(classifySendAnswer(200, { Code: "isp.RAM_PERMISSION_DENY" }).kind).toBe("retry");
  });

  it("no connection at all is a plain retry; a reset or timeout is unknown", () => {
    const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    const reset = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } });
    const timeout = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    expect(classifyNetworkError(refused).kind).toBe("retry");
    expect(classifyNetworkError(reset).kind).toBe("unknown");
    expect(classifyNetworkError(timeout).kind).toBe("unknown");
  });

  it("dates a send in China time, as QuerySendDetails' SendDate wants", () => {
    expect(chinaDate(new Date("2026-12-01T15:59:59Z"))).toBe("20261201");
    expect(chinaDate(new Date("2026-12-01T16:00:00Z"))).toBe("20261202");
  });
});

describe("SMS templates", () => {
  const links = publicLinks("x".repeat(32), "https://shop.example");

  it("lot_received names the goods, the intake number and the signed public link", () => {
    const lotId = "lot_01jd00000000000000000000aa";
    const r = renderSms(
      "lot_received",
      { lotId, lotNo: "HS01-20261202-0001", productName: "土鸡蛋", quantity: 30, unit: "piece" },
      { links },
    );
    expect(r?.text).toBe(`您的土鸡蛋30个已收，编号HS01-20261202-0001，详情 ${links.lotUrl(lotId)}`);
    expect(links.lotIdOf(r!.variables.link!.split("/l/")[1]!)).toBe(lotId);
  });

  it("every template's variables are exactly its declared params, and every placeholder is one", () => {
    for (const t of Object.values(SMS_TEMPLATES)) {
      const vars = t.variables({}, { links });
      expect(Object.keys(vars).sort(), t.name).toEqual([...t.params].sort());
      const placeholders = [...t.text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]);
      expect([...new Set(placeholders)].sort(), t.name).toEqual([...t.params].sort());
      for (const v of Object.values(vars)) expect(typeof v).toBe("string");
    }
  });

  it("lot_sold sums one order's items for the villager; weights read in 斤", () => {
    const r = renderSms(
      "lot_sold",
      {
        items: [
          { productName: "土鸡蛋", quantity: 30, unit: "piece" },
          { productName: "坛子菜", quantity: 1000, unit: "gram" },
        ],
        earnedFen: 7650,
      },
      { links },
    );
    expect(r?.text).toBe("您的土鸡蛋30个、坛子菜2斤已售出，您得¥76.50，已记入您的账户。");
  });

  it("a log shows codes and links masked", () => {
    const r = renderSms(
      "order_placed",
      { orderId: "ord_1", totalFen: 100, pickupCode: "482913" },
      { links },
      {
        maskSecrets: true,
      },
    );
    expect(r?.text).not.toContain("482913");
    expect(r?.variables.code).toBe("482913");
  });

  it("an unknown template renders to nothing", () => {
    expect(renderSms("no_such", {}, { links })).toBeNull();
  });
});
