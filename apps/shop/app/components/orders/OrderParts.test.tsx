import { Trans } from "react-i18next";
import { describe, expect, it } from "vitest";
import { renderIn, textOf } from "../../test/i18n";
import { Money } from "../Money";
import { Quantity } from "../Quantity";
import { OrderLines, OrderTotals } from "./OrderLines";
import { OrderStatus } from "./OrderStatus";
import { PickupCode } from "./PickupCode";

const lines = [
  {
    id: "a",
    name: { zh: "土鸡蛋", en: "Free-range eggs" },
    unit: "piece" as const,
    quantity: 6,
    unitPriceFen: 200,
    lineTotalFen: 1200,
  },
  {
    id: "b",
    name: { zh: "坛子菜·萝卜干", en: "Pickled radish" },
    unit: "gram" as const,
    quantity: 500,
    unitPriceFen: 3,
    lineTotalFen: 1500,
  },
];

// textOf drops the tags, so neighbouring cells read run together ("土鸡蛋¥12.00").
describe("order lines and totals", () => {
  it("show each line's quantity, its price per 斤 for weighed goods, and its amount", () => {
    const zh = textOf(renderIn("zh-CN", <OrderLines lines={lines} />));
    expect(zh).toContain("土鸡蛋¥12.006 个 × ¥2.00 /个");
    expect(zh).toContain("坛子菜·萝卜干¥15.001 斤 (500 克) × ¥15.00 /500克");
    const en = textOf(renderIn("en", <OrderLines lines={lines} />));
    expect(en).toContain("Pickled radish¥15.001 jin (500 g) × ¥15.00 / 500 g");
  });

  it("show the delivery fee only for delivery, and the total always", () => {
    const labels = { subtotal: "合计", deliveryFee: "运费", total: "一共" };
    expect(
      textOf(
        renderIn(
          "zh-CN",
          <OrderTotals subtotalFen={2700} deliveryFeeFen={null} totalFen={2700} labels={labels} />,
        ),
      ),
    ).toBe("一共¥27.00");
    expect(
      textOf(
        renderIn(
          "zh-CN",
          <OrderTotals subtotalFen={2700} deliveryFeeFen={1000} totalFen={3700} labels={labels} />,
        ),
      ),
    ).toBe("合计¥27.00运费¥10.00一共¥37.00");
  });

  it("put money and quantities inside sentences through the Money and Quantity components", () => {
    const fee = renderIn(
      "zh-CN",
      <Trans i18nKey="checkout.deliveryFee" components={{ money: <Money fen={1000} /> }} />,
    );
    expect(textOf(fee)).toBe("运费 ¥10.00");
    expect(fee).toContain('data-fen="1000"');
    const free = renderIn(
      "en",
      <Trans i18nKey="checkout.freeOver" components={{ money: <Money fen={9900} /> }} />,
    );
    expect(textOf(free)).toBe("Free from ¥99.00");
    const short = renderIn(
      "zh-CN",
      <Trans i18nKey="cart.short" components={{ qty: <Quantity quantity={750} unit="gram" /> }} />,
    );
    expect(textOf(short)).toBe("现在只有 1.5 斤 (750 克)，请少买一些。");
  });
});

describe("the pickup code and the status", () => {
  it("shows the code in two halves with the place to collect", () => {
    const html = renderIn("zh-CN", <PickupCode code="012345" where="竹山村商务服务点" />);
    expect(html).toContain('data-code="012345"');
    expect(textOf(html)).toContain("取货码012 345");
    expect(textOf(html)).toContain("到这里取货竹山村商务服务点");
  });

  it("names every status in plain words", () => {
    expect(textOf(renderIn("zh-CN", <OrderStatus status="ready_for_pickup" />))).toBe("可以取货了");
    expect(textOf(renderIn("en", <OrderStatus status="picked_up" />))).toBe("Collected");
  });
});
