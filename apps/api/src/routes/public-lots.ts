import { PublicLot } from "@coop/shared/receipt";
import { createRoute, z } from "@hono/zod-openapi";
import { publicLinks } from "../domain/lots/public-link";
import { publicLotView } from "../domain/lots/public-lot";
import { ApiError } from "../lib/errors";
import { createRouter } from "../lib/router";
import { errorResponses, jsonContent } from "../lib/schemas";

const publicLotRoute = createRoute({
  method: "get",
  path: "/public/lots/{token}",
  tags: ["Public lot page (the villager's receipt link)"],
  summary: "One lot as its villager sees it: what was taken in, where it is, what sold, what they earned",
  description:
    "No login: the signed token from the receipt's QR code or the intake SMS is the key to this one lot. A malformed, altered or foreign token answers 404 without a database query. Nothing about other lots or people.",
  request: { params: z.object({ token: z.string().max(200) }) },
  responses: { 200: jsonContent(PublicLot, "The lot"), ...errorResponses(400, 404) },
});

const notFound = () =>
  new ApiError("NOT_FOUND", "This link is not valid. Check it against the QR code on your receipt.");

export function publicLotRoutes() {
  return createRouter().openapi(publicLotRoute, async (c) => {
    const { env, db } = c.var.deps;
    const lotId = publicLinks(env.PUBLIC_LINK_SECRET, env.PUBLIC_SHOP_URL).lotIdOf(
      c.req.valid("param").token,
    );
    if (!lotId) throw notFound();
    const view = await publicLotView(db, lotId);
    if (!view) throw notFound();
    // The page is one person's; shared caches must not keep it, and search engines must not list it.
    c.header("Cache-Control", "private, no-store");
    c.header("X-Robots-Tag", "noindex");
    return c.json(view, 200);
  });
}
