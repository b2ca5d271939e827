import { deflateSync } from "node:zlib";
import type { TestApp } from "./helpers";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * A real, decodable RGB PNG of noisy pixels (seeded, so reproducible). Noise barely compresses, so the file
 * is about width × height × 3 bytes and holds every byte value: a fair test of binary storage.
 */
export function makePng(width: number, height: number, seed: number): Uint8Array {
  let state = seed >>> 0 || 1;
  const rows = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3);
    rows[row] = 0; // filter: none
    for (let i = 1; i <= width * 3; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      rows[row + i] = state & 0xff;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", header),
      chunk("IDAT", deflateSync(rows)),
      chunk("IEND", new Uint8Array()),
    ]),
  );
}

/** POST /v1/lots/:id/photos as the staff app sends it (multipart, field "photo"). */
export function uploadPhoto(t: TestApp, token: string, lotId: string, bytes: Uint8Array) {
  const form = new FormData();
  form.set("photo", new File([bytes], "photo.png", { type: "image/png" }));
  return t.app.request(`/v1/lots/${lotId}/photos`, {
    method: "POST",
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
}

export async function downloadPhoto(t: TestApp, token: string, lotId: string, photoId: string) {
  const res = await t.app.request(`/v1/lots/${lotId}/photos/${photoId}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    status: res.status,
    contentType: res.headers.get("content-type"),
    bytes: new Uint8Array(await res.arrayBuffer()),
  };
}

/** A lot of 30 eggs taken in at service point A by agent A (the lot photos belong to). */
export async function intakeLot(
  t: TestApp,
  token: string,
  w: { egg: { id: string }; pointA: { id: string } },
  consignorId: string,
) {
  const bestBefore = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
  const res = await t.request("POST", "/v1/lots", {
    token,
    body: {
      consignorId,
      productId: w.egg.id,
      servicePointId: w.pointA.id,
      quantity: 30,
      grade: "A",
      bestBefore,
      qc: { passed: true },
    },
  });
  if (res.status !== 201) throw new Error(`intake failed: ${res.status} ${res.text}`);
  return res.json.id as string;
}
