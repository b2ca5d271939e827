/**
 * Product photos (decision 0032): each upload is stored as resized variants made once, at upload, so serving
 * one is a read. The ladder of widths and the formats are fixed here, for the API (which makes them) and the
 * shop (which lists them in srcset) alike.
 */

/** Widths in CSS pixels × density a phone list, a product page and a wide screen ask for. */
export const PRODUCT_PHOTO_WIDTHS = [160, 320, 640, 1080] as const;

/** Formats of every variant: AVIF and WebP for today's browsers, JPEG for old phones' browsers. */
export const PRODUCT_PHOTO_FORMATS = ["avif", "webp", "jpeg"] as const;
export type ProductPhotoFormat = (typeof PRODUCT_PHOTO_FORMATS)[number];

export const PRODUCT_PHOTO_CONTENT_TYPES: Record<ProductPhotoFormat, string> = {
  avif: "image/avif",
  webp: "image/webp",
  jpeg: "image/jpeg",
};

/** The file extension of a variant's address (`/v1/product-photos/{id}/{width}.{ext}`). */
export const PRODUCT_PHOTO_EXTENSIONS: Record<ProductPhotoFormat, string> = {
  avif: "avif",
  webp: "webp",
  jpeg: "jpg",
};

/** Live photos one product may have; more is refused (409). */
export const MAX_PRODUCT_PHOTOS = 8;

/** Decoded size refused above this: a small file can hold a huge image (a "decompression bomb"). */
export const MAX_PRODUCT_PHOTO_PIXELS = 64_000_000;

/**
 * The widths made for an image `width` pixels wide (after auto-rotation): the ladder's widths it covers,
 * never enlarged; an image narrower than the smallest width gets one variant at its own width.
 */
export function productPhotoWidths(width: number): number[] {
  const widths: number[] = PRODUCT_PHOTO_WIDTHS.filter((w) => w <= width);
  return widths.length > 0 ? widths : [width];
}
