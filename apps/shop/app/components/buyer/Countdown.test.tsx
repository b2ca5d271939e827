import { describe, expect, it } from "vitest";
import { countdownText } from "./Countdown";

describe("countdown text", () => {
  it("shows minutes and seconds, hours when there are any, and never counts below zero", () => {
    expect(countdownText(65_000)).toBe("01:05");
    expect(countdownText(3_725_000)).toBe("1:02:05");
    expect(countdownText(400)).toBe("00:01");
    expect(countdownText(-5_000)).toBe("00:00");
  });

  it("counts a day or more in days first, when given the word for them", () => {
    const days = (n: number) => `${n} 天`;
    expect(countdownText(7 * 86_400_000, days)).toBe("7 天 00:00:00");
    expect(countdownText(86_400_000 + 3_725_000, days)).toBe("1 天 01:02:05");
    expect(countdownText(86_399_000, days)).toBe("23:59:59");
    // Without the word, hours as before.
    expect(countdownText(2 * 86_400_000)).toBe("48:00:00");
  });
});
