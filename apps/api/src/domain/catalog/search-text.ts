import type { Executor } from "@coop/db";
import { sql } from "drizzle-orm";
import { pinyin } from "pinyin-pro";
import { containsPattern } from "../../lib/like";

/** A search may hold this many words; each must match (more would only slow the query). */
export const MAX_SEARCH_WORDS = 6;

const HAN = /\p{Script=Han}/u;

/**
 * What catalog search matches for one product, in lower case: both names, the SKU, and for every run of
 * Chinese characters in the Chinese name its full pinyin without tones (土鸡蛋 → "tujidan") and its
 * initials ("tjd"), so a buyer typing on a phone keyboard finds it by "tujidan", "tu ji dan", "jidan" or
 * "tjd". ü is written "v", as pinyin keyboards type it. Pure: the same names always give the same text.
 */
export function productSearchText(product: { nameZh: string; nameEn: string; sku: string }): string {
  const chars = [...product.nameZh];
  const syllables = pinyin(product.nameZh, { toneType: "none", type: "array", v: true, nonZh: "spaced" });
  const full: string[] = [];
  const initials: string[] = [];
  let word = "";
  let firsts = "";
  const endWord = () => {
    if (word) full.push(word);
    if (firsts.length > 1) initials.push(firsts);
    word = "";
    firsts = "";
  };
  // pinyin-pro gives one entry per character when non-Chinese characters are "spaced" out.
  chars.forEach((char, i) => {
    const syllable = syllables[i]?.trim().toLowerCase() ?? "";
    if (HAN.test(char) && /^[a-z]+$/.test(syllable)) {
      word += syllable;
      firsts += syllable[0];
    } else endWord();
  });
  endWord();
  return [product.nameZh, product.nameEn, product.sku, ...full, ...initials]
    .join(" ")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The words of what a buyer typed, each an ILIKE pattern that must occur in the search text. Apostrophes
 * some people put between syllables (xi'an) and the ü of pinyin are taken as a keyboard types them.
 */
export function searchPatterns(q: string | undefined): string[] {
  if (!q) return [];
  const words = q
    .toLowerCase()
    .replace(/[’']/g, "")
    .replace(/ü/g, "v")
    .split(/[\s,，、]+/u)
    .filter((w) => w !== "");
  return [...new Set(words)].slice(0, MAX_SEARCH_WORDS).map(containsPattern);
}

/**
 * Writes the search text of every product that has none: rows the API did not write (the demo seed, a
 * bulk import, a rename made outside the API, which the database resets to NULL). Run by the API at
 * start-up; cheap when there is nothing to do (one indexed-free scan of the catalog). Returns how many.
 */
export async function reindexProductSearch(db: Executor, batchSize = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const result = (await db.execute(sql`
      SELECT id, name_zh AS "nameZh", name_en AS "nameEn", sku FROM products
      WHERE search_text IS NULL ORDER BY id LIMIT ${batchSize}`)) as unknown as
      | { rows: Array<{ id: string; nameZh: string; nameEn: string; sku: string }> }
      | Array<{ id: string; nameZh: string; nameEn: string; sku: string }>;
    const rows = Array.isArray(result) ? result : result.rows;
    if (rows.length === 0) return total;
    const texts = rows.map((r) => ({ ...r, text: productSearchText(r) }));
    // Only rows still named as read: a rename meanwhile wrote (or reset) its own text.
    await db.execute(sql`
      UPDATE products p SET search_text = v.text
      FROM jsonb_to_recordset(${JSON.stringify(texts)}::jsonb)
        AS v(id text, "nameZh" text, "nameEn" text, sku text, text text)
      WHERE p.id = v.id AND p.search_text IS NULL
        AND p.name_zh = v."nameZh" AND p.name_en = v."nameEn" AND p.sku = v.sku`);
    total += rows.length;
    if (rows.length < batchSize) return total;
  }
}
