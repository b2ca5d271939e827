import { describe, expect, it } from "vitest";
import { countdownText } from "./Countdown";

describe("countdown text", () => {
  it("shows minutes and seconds, hours when there are any, and never counts below zero", () => {
    expect(countdownText(65_000)).toBe("01:05");
    expect(countdownText(3_725_000)).toBe("1:02:05");
    expect(countdownText(400)).toBe("00:01");
    expect(countdownText(-5_000)).toBe("00:00");
  });
});
