import { truncateText } from "@coop/shared";
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { getApi } from "../lib/context.server";

/**
 * The search box's suggestions (components/SearchBox.tsx): names only, never a failed page — when the API
 * cannot answer, the box simply suggests nothing and the plain search still works.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const q = truncateText(new URL(request.url).searchParams.get("q")?.trim() ?? "", 100);
  const headers = { "Cache-Control": "private, max-age=30" };
  const none: Array<{ id: string; name: { zh: string; en: string } }> = [];
  if (!q) return data({ q, items: none }, { headers });
  const answer = await getApi(context, request)
    .suggestProducts(q)
    .catch(() => ({ items: none }));
  return data({ q, items: answer.items }, { headers });
}
