import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "../lib/session.server";

/** Unknown addresses in the staff area: login first, then "page not found". */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireStaff(request, context);
  throw data(null, { status: 404 });
}

export default function StaffNotFound() {
  return null;
}
