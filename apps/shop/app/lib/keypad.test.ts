import { describe, expect, it } from "vitest";
import { type KeypadKey, pressCodeKey, pressMoneyKey } from "./keypad";

const type = (press: (current: string, key: KeypadKey) => string, keys: string) =>
  [...keys].reduce((value, key) => press(value, (key === "<" ? "back" : key) as KeypadKey), "");

describe("the pickup-code keypad", () => {
  it("keeps leading zeros and stops at six digits", () => {
    expect(type(pressCodeKey, "012345")).toBe("012345");
    expect(type(pressCodeKey, "1234567")).toBe("123456");
  });

  it("has no decimal point, deletes and clears", () => {
    expect(type(pressCodeKey, "12.3")).toBe("123");
    expect(type(pressCodeKey, "123<")).toBe("12");
    expect(pressCodeKey("123", "clear")).toBe("");
  });
});

describe("the cash keypad", () => {
  it("types yuan with at most two decimals and no leading zeros", () => {
    expect(type(pressMoneyKey, "100")).toBe("100");
    expect(type(pressMoneyKey, "50.5")).toBe("50.5");
    expect(type(pressMoneyKey, "12.345")).toBe("12.34");
    expect(type(pressMoneyKey, "007")).toBe("7");
    expect(type(pressMoneyKey, ".5")).toBe("0.5");
    expect(type(pressMoneyKey, "1..2")).toBe("1.2");
    expect(type(pressMoneyKey, "123456789")).toBe("1234567");
  });
});
