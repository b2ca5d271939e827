import { createHash } from "node:crypto";
import { PRODUCT_PHOTO_EXTENSIONS, type ProductPhotoFormat } from "@coop/shared";
import { AdminProductPhoto, ProductPhotoList, ProductPhotoOrder } from "@coop/shared/contract";
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  addProductPhoto,
  listProductPhotos,
  readProductPhotoVariant,
  removeProductPhoto,
  reorderProductPhotos,
} from "../domain/catalog/product-photos";
import type { AppEnv } from "../lib/context";
import { ApiError } from "../lib/errors";
import { idempotentRequest, runOnce } from "../lib/idempotency";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";
import { requireStaff } from "../middleware/authenticate";

const tags = ["Catalog"];
const security = [{ bearerAuth: [] }];
const ProductParam = z.object({ id: z.string().max(64) });
const PhotoParam = z.object({ id: z.string().max(64), photoId: z.string().max(64) });

/** `{width}.{ext}` of a variant's address, e.g. 320.webp; jpg for JPEG. */
const FORMAT_OF_EXTENSION = Object.fromEntries(
  Object.entries(PRODUCT_PHOTO_EXTENSIONS).map(([format, ext]) => [ext, format as ProductPhotoFormat]),
);
const VARIANT_FILE = /^([1-9][0-9]{0,4})\.(avif|webp|jpg)$/;

/** A year: variants never change (a new upload is a new photo id), so caches may keep them for good. */
const IMMUTABLE = "public, max-age=31536000, immutable";

const uploadDef = createRoute({
  method: "post",
  path: "/products/{id}/photos",
  tags,
  security,
  summary: "Add a product photo (admin): JPEG, PNG or WebP of at most 5 MB, from a phone camera or a file",
  description:
    "Multipart: `photo` (the file), optionally `altZh` and `altEn` (both or neither: what it shows). The API decodes it, turns it upright by its EXIF orientation, strips its metadata and stores resized variants (widths 160, 320, 640, 1080 that the photo covers; AVIF, WebP and JPEG). It goes last in the order; the first photo is the main one. At most 8 live photos (409). Send an Idempotency-Key to retry safely: a retry of the same file and text is answered from the first upload.",
  middleware: [requireStaff("admin")] as const,
  request: {
    params: ProductParam,
    body: {
      required: true,
      content: {
        "multipart/form-data": {
          schema: z.object({
            photo: z.any().meta({ type: "string", format: "binary" }),
            altZh: z.string().trim().max(200).optional(),
            altEn: z.string().trim().max(300).optional(),
          }),
        },
      },
    },
  },
  responses: {
    201: jsonContent(AdminProductPhoto, "Stored, with every variant"),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415),
  },
});

const listDef = createRoute({
  method: "get",
  path: "/products/{id}/photos",
  tags,
  security,
  summary: "A product's photos in their order, the main one first (admin)",
  middleware: [requireStaff("admin")] as const,
  request: { params: ProductParam },
  responses: { 200: jsonContent(ProductPhotoList, "The live photos"), ...errorResponses(401, 403, 404) },
});

const orderDef = createRoute({
  method: "put",
  path: "/products/{id}/photos/order",
  tags,
  security,
  summary: "Put a product's photos in order; the first becomes the main photo (admin)",
  description:
    "List every live photo once (409 when the list is not the product's photos: reload them). Idempotent by nature: the same list again changes nothing. Audited.",
  middleware: [requireStaff("admin")] as const,
  request: {
    params: ProductParam,
    body: { required: true, content: { "application/json": { schema: ProductPhotoOrder } } },
  },
  responses: {
    200: jsonContent(ProductPhotoList, "The photos in their new order"),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const removeDef = createRoute({
  method: "delete",
  path: "/products/{id}/photos/{photoId}",
  tags,
  security,
  summary: "Remove a product photo (admin): it leaves the catalog and its files answer 404 at once",
  description:
    "The photos after it move up. Removing it again answers 204 too (safe to retry). The record stays, naming who removed it. Audited.",
  middleware: [requireStaff("admin")] as const,
  request: { params: PhotoParam },
  responses: { 204: { description: "Removed" }, ...errorResponses(401, 403, 404) },
});

const variantDef = createRoute({
  method: "get",
  path: "/product-photos/{id}/{file}",
  tags,
  summary: "A product photo at one width and format (public): `{width}.{avif|webp|jpg}`",
  description:
    "Widths are the photo's `widths`. Cached for a year as immutable, with an ETag (If-None-Match → 304). Removed photos answer 404.",
  request: {
    params: z.object({
      id: z.string().max(64),
      file: z.string().max(16).meta({ example: "320.webp" }),
    }),
  },
  responses: {
    200: {
      description: "The image",
      content: {
        "image/avif": { schema: z.any().meta({ type: "string", format: "binary" }) },
        "image/webp": { schema: z.any().meta({ type: "string", format: "binary" }) },
        "image/jpeg": { schema: z.any().meta({ type: "string", format: "binary" }) },
      },
    },
    304: { description: "The copy the client has is current" },
    ...errorResponses(404),
  },
});

const noSuchPhoto = () => new ApiError("NOT_FOUND", "There is no such photo.");

export function productPhotoRoutes() {
  return createRouter()
    .openapi(uploadDef, async (c) => {
      const staff = c.var.staff!;
      const form = c.req.valid("form") as { photo?: unknown; altZh?: string; altEn?: string };
      if (!(form.photo instanceof File)) {
        throw new ApiError(
          "VALIDATION_FAILED",
          'Send the photo as multipart/form-data in the field "photo".',
          { fields: [{ path: "photo", message: "missing" }] },
        );
      }
      const altZh = form.altZh || undefined;
      const altEn = form.altEn || undefined;
      if (Boolean(altZh) !== Boolean(altEn)) {
        throw new ApiError("VALIDATION_FAILED", "Describe the photo in both languages, or in neither.", {
          fields: [{ path: altZh ? "altEn" : "altZh", message: "required with the other language" }],
        });
      }
      const bytes = new Uint8Array(await form.photo.arrayBuffer());
      const { db, storage } = c.var.deps;
      const upload = () =>
        addProductPhoto(db, storage, {
          coopId: staff.coopId,
          productId: c.req.valid("param").id,
          bytes,
          alt: altZh && altEn ? { zh: altZh, en: altEn } : null,
          actorUserId: staff.id,
          requestId: c.var.requestId,
        });
      // The key identifies the file and the text, not the multipart body: a browser retrying the same form
      // sends a new boundary, and the shop re-encodes the form it forwards.
      const req = idempotentRequest(c as unknown as Context<AppEnv>, () =>
        [createHash("sha256").update(bytes).digest("hex"), altZh ?? "", altEn ?? ""].join("\n"),
      );
      if (!req) return c.json(await upload(), 201);
      const outcome = await runOnce(db, req, "POST", async () => ({ status: 201, body: await upload() }));
      if (outcome.replayed) c.header("Idempotent-Replayed", "true");
      return c.json(outcome.stored!.body as AdminProductPhoto, 201);
    })
    .openapi(listDef, async (c) => {
      const items = await listProductPhotos(c.var.deps.db, c.var.staff!.coopId, c.req.valid("param").id);
      return c.json({ items }, 200);
    })
    .openapi(orderDef, async (c) => {
      const staff = c.var.staff!;
      const items = await reorderProductPhotos(c.var.deps.db, {
        coopId: staff.coopId,
        productId: c.req.valid("param").id,
        photoIds: c.req.valid("json").photoIds,
        actorUserId: staff.id,
        requestId: c.var.requestId,
      });
      return c.json({ items }, 200);
    })
    .openapi(removeDef, async (c) => {
      const staff = c.var.staff!;
      const { id, photoId } = c.req.valid("param");
      await removeProductPhoto(c.var.deps.db, {
        coopId: staff.coopId,
        productId: id,
        photoId,
        actorUserId: staff.id,
        requestId: c.var.requestId,
      });
      return c.body(null, 204);
    })
    .openapi(variantDef, async (c) => {
      const { id, file } = c.req.valid("param");
      const match = VARIANT_FILE.exec(file);
      const format = match ? FORMAT_OF_EXTENSION[match[2]!] : undefined;
      if (!match || !format) throw noSuchPhoto();
      const variant = await readProductPhotoVariant(c.var.deps.db, c.var.deps.storage, {
        photoId: id,
        width: Number(match[1]),
        format,
      });
      if (!variant) throw noSuchPhoto();
      c.header("Cache-Control", IMMUTABLE);
      c.header("ETag", variant.etag);
      // Served across origins as an <img> (the shop proxies it, but a CDN may not).
      c.header("Cross-Origin-Resource-Policy", "cross-origin");
      const seen = c.req.header("if-none-match");
      if (seen?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === variant.etag)) {
        return c.body(null, 304) as never;
      }
      return c.body(Buffer.from(variant.bytes), 200, {
        "Content-Type": `image/${format}`,
      }) as never;
    });
}
