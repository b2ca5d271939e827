import {
  data,
  type HeadersFunction,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PublicLotView } from "../components/receipt/PublicLotView";
import styles from "../components/receipt/public-lot.css?url";
import { getT } from "../i18next.server";
import { apiFailure, getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";

/**
 * The villager's own page of one lot, opened from the receipt's QR code or the intake SMS: no login, large
 * type, what was taken in, where it is now, what sold and what they earned from it. The signed token is the
 * only key; a wrong one is a plain 404. One person's page: never cached by others, never indexed.
 */
const PRIVATE_HEADERS = { "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow" };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const headers: HeadersFunction = () => PRIVATE_HEADERS;
export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  ...pageMeta(matches, data?.title),
  { name: "robots", content: "noindex, nofollow" },
  { name: "referrer", content: "no-referrer" },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const [t, lot] = await Promise.all([
    getT(request),
    getApi(context, request)
      .publicLot(params.token ?? "")
      .catch(apiFailure),
  ]);
  if (!lot) throw data(null, { status: 404, headers: PRIVATE_HEADERS });
  return data({ title: t("publicLot.title", { lotNo: lot.lotNo }), lot }, { headers: PRIVATE_HEADERS });
}

export default function PublicLotPage() {
  const { lot } = useLoaderData<typeof loader>();
  return <PublicLotView lot={lot} />;
}

/** A wrong, altered or old link: say so plainly, in large type, and nothing else. */
export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <section className="public-lot error-page" aria-labelledby="public-lot-error">
      <h1 id="public-lot-error">{t(notFound ? "publicLot.notFoundTitle" : "errors.generic.title")}</h1>
      <p className="lead">{t(notFound ? "publicLot.notFoundText" : "errors.generic.text")}</p>
    </section>
  );
}
