import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { text } from "../lib/forms.server";
import { placeFromForm } from "../lib/place";
import { savePlace } from "../lib/places.server";

/** Only pages of this shop: a path, never another site ("//evil.example"). */
function safeReturn(path: string): string {
  return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\") ? path : "/products";
}

/** The place chooser's form: remembers the buyer's place and goes back to the page it was sent from. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const back = safeReturn(text(form, "redirectTo", 300));
  const place = placeFromForm(text(form, "place", 64));
  if (!place) return redirect(back);
  const url = new URL(back, "http://shop");
  url.searchParams.set("placeSaved", "1");
  return redirect(`${url.pathname}${url.search}`, { headers: { "Set-Cookie": await savePlace(place) } });
}

export const loader = () => redirect("/products");
