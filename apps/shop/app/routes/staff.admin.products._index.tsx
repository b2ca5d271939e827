import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Money } from "../components/Money";
import { BackLink } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";
import { requireRole, staffFailure } from "../lib/staff.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, ["admin"]);
  const cursor = new URL(request.url).searchParams.get("cursor") ?? undefined;
  const [t, page] = await Promise.all([
    getT(request),
    getApi(context, request).listProducts({ cursor, limit: 50 }).catch(staffFailure(request)),
  ]);
  return { title: t("adminProducts.title"), page, cursor: cursor ?? null };
}

export default function AdminProducts() {
  const { page, cursor } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{t("adminProducts.title")}</h1>
      <p>
        <Link to="/staff/admin/products/new" className="button button-primary button-block">
          {t("adminProducts.add")}
        </Link>
      </p>
      <ul className="card-list">
        {page.items.map((product) => (
          <li key={product.id}>
            <Link to={`/staff/admin/products/${encodeURIComponent(product.id)}`} className="card-link">
              <span className="card-title">{localized(product.name, i18n.language)}</span>
              <span>
                <Money fen={product.priceFen} per={product.unit} />
              </span>
              <span className="muted">
                {t(`kinds.${product.kind}`)} · {product.sku}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <div className="pager">
        {page.nextCursor ? (
          <Link
            to={`?cursor=${encodeURIComponent(page.nextCursor)}`}
            className="button button-secondary button-block"
          >
            {t("products.more")}
          </Link>
        ) : null}
        {cursor ? (
          <Link to="." className="button button-quiet button-block">
            {t("products.firstPage")}
          </Link>
        ) : null}
      </div>
    </>
  );
}
