import { describe, expect, it } from "vitest";
import { DEV_PUBLIC_LINK_SECRET, readEnv } from "./env";

const production = {
  NODE_ENV: "production",
  CLIENT_ADDRESS_SECRET: "c".repeat(40),
  PICKUP_CODE_SECRET: "k".repeat(40),
};

describe("the API's configuration", () => {
  it("needs its own public-link key in production, never the development one", () => {
    expect(() => readEnv(production)).toThrow(/PUBLIC_LINK_SECRET: is required when NODE_ENV=production/);
    expect(() => readEnv({ ...production, PUBLIC_LINK_SECRET: DEV_PUBLIC_LINK_SECRET })).toThrow(
      /PUBLIC_LINK_SECRET/,
    );
    expect(() => readEnv({ ...production, PUBLIC_LINK_SECRET: "short" })).toThrow(/at least 32/);
    expect(readEnv({ ...production, PUBLIC_LINK_SECRET: "p".repeat(40) }).PUBLIC_LINK_SECRET).toBe(
      "p".repeat(40),
    );
    expect(readEnv({}).PUBLIC_LINK_SECRET).toBe(DEV_PUBLIC_LINK_SECRET);
  });

  it("sends public links to PUBLIC_SHOP_URL, else to the shop staff use", () => {
    expect(readEnv({ SHOP_URL: "http://10.0.0.5:3000" }).PUBLIC_SHOP_URL).toBe("http://10.0.0.5:3000");
    expect(
      readEnv({ SHOP_URL: "http://10.0.0.5:3000", PUBLIC_SHOP_URL: "https://shop.example.cn" })
        .PUBLIC_SHOP_URL,
    ).toBe("https://shop.example.cn");
  });

  it("names every Aliyun setting that is missing, and reads the template codes as JSON", () => {
    expect(() => readEnv({ SMS_PROVIDER: "aliyun" })).toThrow(
      /SMS_ALIYUN_ACCESS_KEY_ID[\s\S]*SMS_ALIYUN_ACCESS_KEY_SECRET[\s\S]*SMS_SIGN_NAME/,
    );
    const env = readEnv({
      SMS_PROVIDER: "aliyun",
      SMS_ALIYUN_ACCESS_KEY_ID: "id",
      SMS_ALIYUN_ACCESS_KEY_SECRET: "secret",
      SMS_SIGN_NAME: "供销社",
      SMS_TEMPLATE_CODES: '{"lot_received":"SMS_1"}',
    });
    expect(env.SMS_TEMPLATE_CODES).toEqual({ lot_received: "SMS_1" });
    expect(() => readEnv({ SMS_TEMPLATE_CODES: "[1]" })).toThrow(/SMS_TEMPLATE_CODES: must be a JSON object/);
    expect(() => readEnv({ SMS_TEMPLATE_CODES: "{" })).toThrow(/SMS_TEMPLATE_CODES/);
  });
});
