import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { readCart, saveCart } from "../lib/cart.server";
import { crossSiteRefusal, isCrossSiteAction } from "../lib/cross-site.server";
import { formKey } from "../lib/forms.server";
import { reorderIntoCart, reorderItems } from "../lib/my-orders-reorder";

/**
 * 再买一次: the order's goods go into the cart and the cart opens, where they are priced and checked against
 * what can be had now (the form carries product ids and quantities only, never prices).
 */
export async function action({ request }: ActionFunctionArgs) {
  // An action-only route: Remix checks the Origin of pages' form posts, not of these, so this does.
  if (isCrossSiteAction(request)) return crossSiteRefusal(request);
  const form = await request.formData();
  const items = reorderItems(form.getAll("item"));
  const cart = await readCart(request);
  const result = reorderIntoCart(cart, items, formKey(form));
  return redirect("/cart", { headers: { "Set-Cookie": await saveCart(result.cart) } });
}

export function loader() {
  return redirect("/cart");
}
