import { ID_PREFIXES, type IdKind } from "@coop/shared";

/**
 * Deterministic TypeIDs for generated rows: the same shape as `newId` (prefix + UUIDv7 in Crockford base32),
 * with the UUID's time part set to the row's created_at and its random part taken from the row's index, so
 * the same seed gives the same ids on every machine and no id needs to be kept in memory.
 */
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const bytes = new Uint8Array(16);

function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Each kind gets its own salt, so two kinds with the same index never share the random bits. */
const SALTS = new Map<IdKind, number>(Object.keys(ID_PREFIXES).map((k, i) => [k as IdKind, i + 1]));

export function makeId(kind: IdKind, index: number, timeMs: number, seed: number): string {
  const salt = SALTS.get(kind)!;
  const ms = Math.max(0, Math.floor(timeMs));
  const hi = Math.floor(ms / 2 ** 32);
  const lo = ms >>> 0;
  bytes[0] = (hi >>> 8) & 0xff;
  bytes[1] = hi & 0xff;
  bytes[2] = (lo >>> 24) & 0xff;
  bytes[3] = (lo >>> 16) & 0xff;
  bytes[4] = (lo >>> 8) & 0xff;
  bytes[5] = lo & 0xff;
  const r = mix32(index ^ mix32(salt * 0x9e3779b9 + seed));
  bytes[6] = 0x70 | ((r >>> 8) & 0x0f);
  bytes[7] = r & 0xff;
  bytes[8] = 0x80 | (salt & 0x3f);
  bytes[9] = (r >>> 16) & 0xff;
  bytes[10] = (r >>> 24) & 0xff;
  bytes[11] = mix32(r) & 0xff;
  // The index itself (32 bits) makes ids of one kind unique by construction.
  bytes[12] = (index >>> 24) & 0xff;
  bytes[13] = (index >>> 16) & 0xff;
  bytes[14] = (index >>> 8) & 0xff;
  bytes[15] = index & 0xff;
  let out = `${ID_PREFIXES[kind]}_`;
  // 26 groups of 5 bits over 130 bits whose first two are zero (the TypeID encoding).
  for (let k = 0; k < 26; k++) {
    const bit = k * 5 - 2;
    let v = 0;
    for (let b = 0; b < 5; b++) {
      const pos = bit + b;
      const set = pos >= 0 ? (bytes[pos >>> 3]! >>> (7 - (pos & 7))) & 1 : 0;
      v = (v << 1) | set;
    }
    out += ALPHABET[v];
  }
  return out;
}
