import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { getApi } from "../lib/context.server";
import { receiptWidthOf } from "../lib/receipt-api.server";
import { requireStaff } from "../lib/session.server";
import { staffFailure } from "../lib/staff.server";

/** The lot's PDF receipt (?width=58|80) from the API, passed through with the staff member's token. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { token } = await requireStaff(request, context);
  const id = params.id ?? "";
  const pdf = await getApi(context, request)
    .lotReceiptPdfFor(token, id, receiptWidthOf(new URL(request.url)))
    .catch(staffFailure(request));
  if (!pdf?.body) throw data(null, { status: 404 });
  return new Response(pdf.body, {
    headers: {
      "Content-Type": pdf.headers.get("content-type") ?? "application/pdf",
      "Content-Disposition": `inline; filename="receipt-${id.replace(/[^\w-]/g, "")}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
