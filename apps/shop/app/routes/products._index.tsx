import { truncateText } from "@coop/shared";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PlaceChooser } from "../components/PlaceChooser";
import { ProductCard } from "../components/ProductCard";
import { SearchBox } from "../components/SearchBox";
import { getT } from "../i18next.server";
import { apiFailure, getApi } from "../lib/context.server";
import { isProductKind, PRODUCT_KINDS, type ProductKind } from "../lib/domain";
import { pageMeta } from "../lib/meta";
import { returnPath } from "../lib/place";
import { countedForPlace } from "../lib/places.server";

export const PAGE_SIZE = 12;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const q = truncateText(url.searchParams.get("q")?.trim() ?? "", 100);
  const kindParam = url.searchParams.get("kind");
  const kind = isProductKind(kindParam) ? kindParam : null;
  const cursor = url.searchParams.get("cursor") || null;

  const api = getApi(context, request);
  const [t, counted] = await Promise.all([
    getT(request),
    countedForPlace(api, request, (servicePointId) =>
      api.listProducts({
        q: q || undefined,
        kind: kind ?? undefined,
        cursor: cursor ?? undefined,
        limit: PAGE_SIZE,
        servicePointId,
      }),
    ).catch(apiFailure),
  ]);
  return {
    title: t("products.title"),
    q,
    kind,
    cursor,
    page: counted.value,
    place: counted.view,
    points: counted.points,
  };
}

/** The list's address with some parameters changed; the language stays in the cookie, not the URL. */
function listHref(
  current: { q: string; kind: ProductKind | null },
  change: { kind?: ProductKind | null; cursor?: string },
) {
  const params = new URLSearchParams();
  if (current.q) params.set("q", current.q);
  const kind = change.kind === undefined ? current.kind : change.kind;
  if (kind) params.set("kind", kind);
  if (change.cursor) params.set("cursor", change.cursor);
  const search = params.toString();
  return search ? `/products?${search}` : "/products";
}

export default function Products() {
  const { q, kind, cursor, page, place, points } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const location = useLocation();
  const [searchParams] = useSearchParams();
  const filters: Array<ProductKind | null> = [null, ...PRODUCT_KINDS];

  return (
    <>
      <h1>{t("products.title")}</h1>
      {searchParams.get("placeSaved") ? (
        <p className="notice notice-info" role="status">
          {t("place.saved")}
        </p>
      ) : null}
      <PlaceChooser view={place} points={points} redirectTo={returnPath(location)} />
      {place ? null : <p className="field-hint">{t("place.chooseToSee")}</p>}

      <SearchBox q={q} hidden={kind ? { kind } : {}} />

      <nav className="kind-filter" aria-label={t("products.kindLabel")}>
        {filters.map((option) => (
          <Link
            key={option ?? "all"}
            to={listHref({ q, kind }, { kind: option })}
            className={option === kind ? "chip chip-active" : "chip"}
            aria-current={option === kind ? "true" : undefined}
          >
            {t(`kinds.${option ?? "all"}`)}
          </Link>
        ))}
      </nav>

      {q ? <p className="muted">{t("products.resultsFor", { q })}</p> : null}

      {page.items.length === 0 ? (
        <p className="notice">{t("products.empty")}</p>
      ) : (
        <ul className="product-list">
          {page.items.map((product) => (
            <ProductCard key={product.id} product={product} place={place} />
          ))}
        </ul>
      )}

      <div className="pager">
        {page.nextCursor ? (
          <Link
            to={listHref({ q, kind }, { cursor: page.nextCursor })}
            className="button button-secondary button-block"
          >
            {t("products.more")}
          </Link>
        ) : null}
        {cursor ? (
          <Link to={listHref({ q, kind }, {})} className="button button-quiet button-block">
            {t("products.firstPage")}
          </Link>
        ) : null}
      </div>
    </>
  );
}
