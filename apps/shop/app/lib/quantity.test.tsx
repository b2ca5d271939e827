import { describe, expect, it } from "vitest";
import { Quantity } from "../components/Quantity";
import { renderIn, textOf } from "../test/i18n";
import {
  describeQuantity,
  fromBaseQuantity,
  groupDigits,
  inputUnitsFor,
  type KeypadKey,
  pressKey,
  toBaseQuantity,
} from "./quantity";

/** Presses keys in turn, as an agent's thumb would. */
const press = (keys: string, decimals = true, start = "") =>
  [...keys].reduce(
    (value, key) => pressKey(value, (key === "<" ? "back" : key) as KeypadKey, decimals),
    start,
  );

describe("the keypad", () => {
  it("types digits and at most one decimal point", () => {
    expect(press("30")).toBe("30");
    expect(press("2.5")).toBe("2.5");
    expect(press("2..5")).toBe("2.5");
    expect(press(".5")).toBe("0.5");
  });

  it("allows no decimal point where the unit has no decimals (pieces)", () => {
    expect(press("2.5", false)).toBe("25");
  });

  it("drops leading zeros, stops at three decimals and at eight digits", () => {
    expect(press("007")).toBe("7");
    expect(press("1.23456")).toBe("1.234");
    expect(press("1234567890")).toBe("12345678");
  });

  it("deletes the last character and clears", () => {
    expect(press("125<")).toBe("12");
    expect(press("<<")).toBe("");
    expect(pressKey("125", "clear", true)).toBe("");
  });
});

describe("what the agent typed, in base units", () => {
  it("converts 斤, 公斤 and 克 to whole grams exactly", () => {
    expect(toBaseQuantity("2.5", "jin")).toBe(1250);
    expect(toBaseQuantity("0.3", "kg")).toBe(300);
    expect(toBaseQuantity("1.001", "jin")).toBeNull(); // 500.5 g is not a whole gram
    expect(toBaseQuantity("250", "gram")).toBe(250);
    expect(toBaseQuantity("0.1", "jin")).toBe(50);
  });

  it("takes whole pieces only, above zero", () => {
    expect(toBaseQuantity("30", "piece")).toBe(30);
    expect(toBaseQuantity(" 30 ", "piece")).toBe(30);
    expect(toBaseQuantity("2.5", "piece")).toBeNull();
    expect(toBaseQuantity("0", "piece")).toBeNull();
    expect(toBaseQuantity("", "piece")).toBeNull();
    expect(toBaseQuantity("abc", "bag")).toBeNull();
  });

  it("offers 斤 first for goods sold by weight, and only the base unit otherwise", () => {
    expect(inputUnitsFor("gram")).toEqual(["jin", "kg", "gram"]);
    expect(inputUnitsFor("piece")).toEqual(["piece"]);
  });

  it("turns base units back into what a field shows", () => {
    expect(fromBaseQuantity(1250, "jin")).toBe("2.5");
    expect(fromBaseQuantity(1001, "jin")).toBe("2.002");
    expect(fromBaseQuantity(30, "piece")).toBe("30");
    expect(fromBaseQuantity(1500, "kg")).toBe("1.5");
  });
});

describe("showing a quantity", () => {
  it("shows grams from 500 up as 斤 with the grams in brackets", () => {
    expect(describeQuantity(1250, "gram")).toEqual({
      negative: false,
      main: { value: "2.5", unit: "jin" },
      exact: { value: "1250", unit: "gram" },
    });
    expect(describeQuantity(250, "gram").main).toEqual({ value: "250", unit: "gram" });
    expect(describeQuantity(-2, "piece")).toEqual({
      negative: true,
      main: { value: "2", unit: "piece" },
      exact: null,
    });
  });

  it("groups thousands by hand", () => {
    expect(groupDigits("1250")).toBe("1,250");
    expect(groupDigits("1234567.5")).toBe("1,234,567.5");
    expect(groupDigits("12")).toBe("12");
  });

  it("renders in both languages, signed for ledger lines", () => {
    expect(textOf(renderIn("zh-CN", <Quantity quantity={1250} unit="gram" />))).toBe("2.5 斤 (1,250 克)");
    expect(textOf(renderIn("en", <Quantity quantity={1250} unit="gram" />))).toBe("2.5 jin (1,250 g)");
    expect(textOf(renderIn("zh-CN", <Quantity quantity={30} unit="piece" />))).toBe("30 个");
    expect(textOf(renderIn("zh-CN", <Quantity quantity={-2} unit="piece" signed />))).toBe("−2 个");
    expect(textOf(renderIn("zh-CN", <Quantity quantity={30} unit="piece" signed />))).toBe("+30 个");
    expect(textOf(renderIn("en", <Quantity quantity={1500} unit="ml" />))).toBe("1.5 L (1,500 ml)");
  });
});
