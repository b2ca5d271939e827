import { data } from "@remix-run/node";

/** Any address no route knows: the root error boundary shows "page not found" in the reader's language. */
export function loader() {
  throw data(null, { status: 404 });
}

export default function NotFound() {
  return null;
}
