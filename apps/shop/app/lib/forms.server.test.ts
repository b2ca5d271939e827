import { describe, expect, it } from "vitest";
import { text } from "./forms.server";

describe("text(form, name, max)", () => {
  it("cuts a name of 39 letters and an emoji at 40 without leaving half the emoji", () => {
    const form = new FormData();
    form.set("name", ` ${"张".repeat(39)}😀 `);
    const cut = text(form, "name", 40);
    expect(cut).toBe("张".repeat(39));
    // Half an emoji is a lone surrogate, which the API refuses with 400 (it used to fail the order with 500).
    expect(/[\uD800-\uDFFF]/.test(cut)).toBe(false);
  });
  it("keeps a whole emoji that fits, and gives '' for a missing field", () => {
    const form = new FormData();
    form.set("name", `${"张".repeat(38)}😀`);
    expect(text(form, "name", 40)).toBe(`${"张".repeat(38)}😀`);
    expect(text(form, "missing", 40)).toBe("");
  });
});
