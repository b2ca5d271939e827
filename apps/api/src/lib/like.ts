/** Escapes LIKE's wildcards in text a person typed, so "50%" searches for "50%" and not "50" + anything. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** `%text%` for ILIKE: the typed text anywhere in the column. */
export const containsPattern = (text: string) => `%${escapeLike(text)}%`;
