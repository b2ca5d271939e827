/** The API's limit for one lot photo (POST /v1/lots/:id/photos), and the kinds it takes. */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const PHOTO_TYPES: readonly string[] = ["image/jpeg", "image/png", "image/webp"];
