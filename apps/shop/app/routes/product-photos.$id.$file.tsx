import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { apiFailure, getApi } from "../lib/context.server";

const VARIANT_FILE = /^[1-9][0-9]{0,4}\.(avif|webp|jpg)$/;
const TYPES = new Set(["image/avif", "image/webp", "image/jpeg"]);

/**
 * A product photo variant from the API (`/product-photos/pph_…/320.webp`), so pages load it from the shop's
 * own origin (decision 0006) with the API's caching: a year, immutable, with its ETag (304 for a current copy).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const file = params.file ?? "";
  if (!VARIANT_FILE.test(file)) throw data(null, { status: 404 });
  const photo = await getApi(context, request)
    .productPhotoVariant(params.id ?? "", file, request.headers.get("if-none-match"))
    .catch(apiFailure);
  if (!photo) throw data(null, { status: 404 });
  const headers = new Headers({ "X-Content-Type-Options": "nosniff" });
  for (const name of ["cache-control", "etag"]) {
    const value = photo.headers.get(name);
    if (value) headers.set(name, value);
  }
  if (photo.status === 304) return new Response(null, { status: 304, headers });
  const type = photo.headers.get("content-type") ?? "";
  // Only the three image types pass: never let anything else be served from the shop's origin.
  if (!TYPES.has(type)) {
    await photo.body?.cancel();
    throw data(null, { status: 404 });
  }
  headers.set("Content-Type", type);
  return new Response(photo.body, { headers });
}
