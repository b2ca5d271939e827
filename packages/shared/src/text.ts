/**
 * Text PostgreSQL can store. A NUL character (U+0000) is refused by its text type, and a lone UTF-16
 * surrogate (half of an emoji, e.g. from a string cut at the wrong place) cannot be encoded as UTF-8:
 * either one reaching a query fails it. Every input is checked against this once, at the API's edge.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSTORABLE_TEXT_MESSAGE = "contains a character that cannot be stored (NUL or a broken emoji)";

export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && !LONE_SURROGATE.test(value);
}

/**
 * Shortens text to at most `maxLength` UTF-16 code units (what zod's max() and JavaScript's length count)
 * without cutting a character in two: an emoji that does not fit whole is dropped, never halved.
 */
export function truncateText(value: string, maxLength: number): string {
  if (value.length <= maxLength) return value;
  let end = 0;
  for (const char of value) {
    if (end + char.length > maxLength) break;
    end += char.length;
  }
  return value.slice(0, end);
}
