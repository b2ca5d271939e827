import { newId } from "@coop/shared";
import { describe, expect, it } from "vitest";
import { publicLinks } from "./public-link";

const links = publicLinks("a-test-secret-of-at-least-32-characters!", "https://shop.example/");

describe("public lot links", () => {
  it("turns a lot's token back into its id, and into a short link", () => {
    const lotId = newId("lot");
    const token = links.lotToken(lotId);
    expect(token.length).toBe(26 + 1 + 16);
    expect(links.lotIdOf(token)).toBe(lotId);
    expect(links.lotUrl(lotId)).toBe(`https://shop.example/l/${token}`);
  });

  it("refuses an altered, truncated or foreign token", () => {
    const lotId = newId("lot");
    const token = links.lotToken(lotId);
    const [suffix, sig] = token.split(".") as [string, string];
    const otherLot = newId("lot").slice(4);
    const flipped = sig.slice(0, -1) + (sig.endsWith("A") ? "B" : "A");
    for (const bad of [
      `${otherLot}.${sig}`,
      `${suffix}.${flipped}`,
      `${suffix}.${sig.slice(1)}`,
      suffix,
      `${token}.x`,
      "",
    ]) {
      expect(links.lotIdOf(bad), bad).toBeNull();
    }
    const otherKey = publicLinks("another-secret-of-at-least-32-characters", "https://shop.example");
    expect(otherKey.lotIdOf(token)).toBeNull();
  });
});
