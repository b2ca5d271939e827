import { format } from "node:util";
import { afterEach, beforeEach, expect, vi } from "vitest";

/** An unexpected console.error fails the test that caused it (React warnings included). */
let errors: string[] = [];

beforeEach(() => {
  errors = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    errors.push(format(...args));
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  expect(errors, "unexpected console.error").toEqual([]);
});
