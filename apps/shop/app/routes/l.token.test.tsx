import { readFileSync } from "node:fs";
import type { PublicLot } from "@coop/shared/receipt";
import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { PublicLotView } from "../components/receipt/PublicLotView";
import type { ApiClient } from "../lib/api.server";
import { renderIn, textOf } from "../test/i18n";
import { loader } from "./l.$token";

const lot: PublicLot = {
  lotNo: "HS01-20261123-0007",
  villager: "张*",
  product: { zh: "土鸡蛋", en: "Free-range eggs" },
  unit: "piece",
  quantityReceived: 30,
  grade: "A",
  bestBefore: "2026-12-20",
  qcPassed: true,
  qcReason: null,
  takenInAt: "2026-11-23T06:05:00.000Z",
  servicePoint: { zh: "竹山村商务服务点", en: "Zhushan village service point" },
  place: "at_warehouse",
  onHand: 18,
  soldQuantity: 12,
  returnedQuantity: 0,
  sales: [{ at: "2026-11-25T02:00:00.000Z", quantity: 12 }],
  earnings: [
    {
      at: "2026-11-25T02:00:00.000Z",
      kind: "sale_credit",
      amountFen: 2160,
      grossFen: 2400,
      commissionFen: 240,
      quantity: 12,
    },
  ],
  earnedFen: 2160,
};

const contextWith = (publicLot: ApiClient["publicLot"]): AppLoadContext => ({
  api: { publicLot } as ApiClient,
});
const args = (token: string, context: AppLoadContext) => ({
  request: new Request(`http://shop.test/l/${token}`),
  context,
  params: { token },
});

describe("the villager's public lot page (/l/<token>)", () => {
  it("is a 404 for a bad or altered token, private and not indexed", async () => {
    const seen: string[] = [];
    const thrown = await loader(
      args(
        "bad.token",
        contextWith(async (token) => {
          seen.push(token);
          return null;
        }),
      ),
    ).then(
      () => null,
      (error: unknown) => error as { init: ResponseInit | null },
    );
    expect(seen).toEqual(["bad.token"]);
    expect(thrown?.init?.status).toBe(404);
    expect(new Headers(thrown?.init?.headers).get("cache-control")).toBe("private, no-store");
    expect(new Headers(thrown?.init?.headers).get("x-robots-tag")).toContain("noindex");
  });

  it("answers the lot for a good token, titled with its number", async () => {
    const result = (await loader(
      args(
        "good.token",
        contextWith(async () => lot),
      ),
    )) as unknown as {
      data: { title: string; lot: PublicLot };
      init: ResponseInit | null;
    };
    expect(result.data.title).toBe("我的代销货 HS01-20261123-0007");
    expect(new Headers(result.init?.headers).get("cache-control")).toBe("private, no-store");
  });

  it("shows the lot number in large type, where the goods are, what sold and what the villager earned", () => {
    const html = renderIn("zh-CN", <PublicLotView lot={lot} />);
    expect(html).toContain('<p class="public-lot-no" data-testid="lot-no">HS01-20261123-0007</p>');
    const css = readFileSync(new URL("../components/receipt/public-lot.css", import.meta.url), "utf8");
    const size = /\.public-lot-no \{[^}]*font-size: clamp\(([\d.]+)rem, [^,]+, ([\d.]+)rem\)/.exec(css);
    // At least 1.3rem (26 px at the shop's 20 px base, the body is 23 px) on the narrowest phone, up to 38 px.
    expect(Number(size?.[1])).toBeGreaterThanOrEqual(1.3);
    expect(Number(size?.[2])).toBeGreaterThanOrEqual(1.9);
    const text = textOf(html);
    expect(text).toContain("货在合作社仓库");
    expect(text).toContain("张*");
    expect(text).toContain("已卖出 12 个，还剩 18 个。");
    expect(text).toContain("¥21.60");
    expect(text).toContain("售价 ¥24.00 佣金 ¥2.40");
  });

  it("says a failed-QC lot went back, with nothing about settlement, and reads in English too", () => {
    const rejected = { ...lot, place: "rejected" as const, qcPassed: false, qcReason: "蛋壳破损", onHand: 0 };
    const text = textOf(renderIn("zh-CN", <PublicLotView lot={{ ...rejected, sales: [], earnings: [] }} />));
    expect(text).toContain("质检没通过，货已当场退还给您");
    expect(text).toContain("不合格：蛋壳破损");
    expect(text).not.toContain("您从这批货挣了");
    expect(textOf(renderIn("en", <PublicLotView lot={lot} />))).toContain("At the co-op warehouse");
  });
});
