import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { getApi } from "../lib/context.server";
import { requireStaff } from "../lib/session.server";
import { staffFailure } from "../lib/staff.server";

/** A lot's photo from the API, passed through with the staff member's token (img tags cannot send one). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { token } = await requireStaff(request, context);
  const photo = await getApi(context, request)
    .lotPhoto(token, params.id ?? "", params.photoId ?? "")
    .catch(staffFailure(request));
  if (!photo?.body) throw data(null, { status: 404 });
  const type = photo.headers.get("content-type") ?? "";
  // Only images pass: never let an upload be served back as HTML from the shop's origin.
  if (!/^image\/(jpeg|png|webp)$/.test(type)) throw data(null, { status: 404 });
  return new Response(photo.body, {
    headers: {
      "Content-Type": type,
      "Cache-Control": "private, max-age=86400, immutable",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
