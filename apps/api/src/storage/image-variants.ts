import {
  MAX_PRODUCT_PHOTO_PIXELS,
  PRODUCT_PHOTO_FORMATS,
  type ProductPhotoFormat,
  productPhotoWidths,
} from "@coop/shared";
import sharp, { type Metadata, type Sharp } from "sharp";
import { ApiError } from "../lib/errors";

export interface ImageVariant {
  width: number;
  height: number;
  format: ProductPhotoFormat;
  bytes: Uint8Array;
}

export interface ResizedImage {
  /** The upright image's size (after EXIF rotation). */
  width: number;
  height: number;
  widths: number[];
  variants: ImageVariant[];
}

/**
 * Encoder settings: quality a phone screen cannot tell from the original at a fraction of the bytes. AVIF's
 * effort 4 (of 9) is its default; more roughly doubles the time of an upload for a few per cent fewer bytes.
 */
const ENCODE: Record<ProductPhotoFormat, (image: Sharp) => Sharp> = {
  avif: (image) => image.avif({ quality: 50, effort: 4 }),
  webp: (image) => image.webp({ quality: 75 }),
  // JPEG has no transparency: a PNG's transparent parts become white, not black.
  jpeg: (image) => image.flatten({ background: "#ffffff" }).jpeg({ quality: 78, mozjpeg: true }),
};

const notAnImage = () =>
  new ApiError(
    "UNSUPPORTED_MEDIA_TYPE",
    "This file could not be read as a photo. Send a JPEG, PNG or WebP image.",
  );

/**
 * Decodes an upload and makes every variant of it: upright by its EXIF orientation, resized to each width of
 * the ladder it covers (never enlarged), encoded as AVIF, WebP and JPEG. sharp writes no metadata unless told
 * to, so the phone's EXIF (GPS position, camera, time) never reaches a buyer. Runs outside any transaction:
 * encoding takes a second or two, and no database connection waits for it.
 */
export async function makeImageVariants(bytes: Uint8Array): Promise<ResizedImage> {
  const input = () =>
    sharp(bytes, { failOn: "error", limitInputPixels: MAX_PRODUCT_PHOTO_PIXELS, sequentialRead: true });
  let meta: Metadata;
  try {
    meta = await input().metadata();
  } catch {
    throw notAnImage();
  }
  if (!meta.width || !meta.height) throw notAnImage();
  if (meta.width * meta.height > MAX_PRODUCT_PHOTO_PIXELS) {
    throw new ApiError(
      "PAYLOAD_TOO_LARGE",
      `The photo has more than ${MAX_PRODUCT_PHOTO_PIXELS / 1_000_000} megapixels. Take it again at a lower size.`,
    );
  }
  // Orientations 5–8 turn the image a quarter: its upright width is the stored height.
  const turned = (meta.orientation ?? 1) >= 5;
  const width = turned ? meta.height : meta.width;
  const height = turned ? meta.width : meta.height;
  const widths = productPhotoWidths(width);
  try {
    // Decoded, turned upright and shrunk to the largest width once (JPEG decodes at a fraction of its size);
    // every variant is made from those pixels, so a 48-megapixel upload is held in memory once, briefly.
    const upright = await input()
      .rotate()
      .resize({ width: widths.at(-1) ?? width, withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw = { width: upright.info.width, height: upright.info.height, channels: upright.info.channels };
    const variants = await Promise.all(
      widths.flatMap((w) =>
        PRODUCT_PHOTO_FORMATS.map(async (format) => {
          const out = await ENCODE[format](sharp(upright.data, { raw }).resize({ width: w })).toBuffer({
            resolveWithObject: true,
          });
          return {
            width: out.info.width,
            height: out.info.height,
            format,
            bytes: new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength),
          };
        }),
      ),
    );
    return { width, height, widths, variants };
  } catch {
    throw notAnImage();
  }
}
