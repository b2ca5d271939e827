import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { getApi } from "../lib/context.server";
import { receiptWidthOf } from "../lib/receipt-api.server";
import { requireStaff } from "../lib/session.server";
import { staffFailure } from "../lib/staff.server";

/**
 * The receipt's ESC/POS bytes from the API (?width=58|80), for the phone to send to the thermal printer.
 * Each fetch is one printed copy in the lot's print log (a second one says 补打).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { token } = await requireStaff(request, context);
  const id = params.id ?? "";
  const bytes = await getApi(context, request)
    .lotReceiptEscpos(token, id, receiptWidthOf(new URL(request.url)))
    .catch(staffFailure(request));
  if (!bytes?.body) throw data(null, { status: 404 });
  return new Response(bytes.body, {
    headers: { "Content-Type": "application/octet-stream", "Cache-Control": "private, no-store" },
  });
}
