import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Money } from "../components/Money";
import { AdminFilters } from "../components/staff/AdminFilters";
import { BackLink } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { readFilters, setOnly } from "../lib/admin-filters";
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";
import { requireRole, staffFailure } from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const filters = readFilters(request, { kind: ["produce", "supply"] });
  const cursor = new URL(request.url).searchParams.get("cursor") ?? undefined;
  const [t, page] = await Promise.all([
    getT(request, "staff"),
    getApi(context, request)
      .adminProducts(token, { ...setOnly(filters), ...(cursor ? { cursor } : {}) })
      .catch(staffFailure(request)),
  ]);
  return { title: t("adminProducts.title"), page, cursor: cursor ?? null, filters };
}

export default function AdminProducts() {
  const { page, cursor, filters } = useLoaderData<typeof loader>();
  const { t, i18n } = useStaffTranslation();
  const keep = new URLSearchParams(setOnly(filters));
  const pageLink = (next: string) => `?${new URLSearchParams({ ...Object.fromEntries(keep), cursor: next })}`;
  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{t("adminProducts.title")}</h1>
      <p>
        <Link to="/staff/admin/products/new" className="button button-primary button-block">
          {t("adminProducts.add")}
        </Link>
      </p>
      <AdminFilters
        q={filters.q}
        searchLabel={t("adminProducts.searchLabel")}
        searchButton={t("villagers.searchButton")}
        selects={[
          {
            name: "kind",
            label: t("adminProducts.fields.kind"),
            value: filters.kind,
            options: [
              { value: "", label: t("adminProducts.kindAll") },
              { value: "produce", label: t("kinds.produce") },
              { value: "supply", label: t("kinds.supply") },
            ],
          },
          {
            name: "active",
            label: t("adminProducts.active"),
            value: filters.active,
            options: [
              { value: "", label: t("adminProducts.stateAll") },
              { value: "true", label: t("adminProducts.stateOn") },
              { value: "false", label: t("adminProducts.stateOff") },
            ],
          },
        ]}
      />
      {page.items.length === 0 ? <p className="notice">{t("adminProducts.none")}</p> : null}
      <ul className="card-list">
        {page.items.map((product) => (
          <li key={product.id} className={product.active ? undefined : "card-off"}>
            <Link to={`/staff/admin/products/${encodeURIComponent(product.id)}`} className="card-link">
              <span className="card-title">{localized(product.name, i18n.language)}</span>
              <span>
                <Money fen={product.priceFen} per={product.unit} />
                {product.active ? null : (
                  <>
                    {" "}
                    <span className="badge badge-warn">{t("adminProducts.offSale")}</span>
                  </>
                )}
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
          <Link to={pageLink(page.nextCursor)} className="button button-secondary button-block">
            {t("products.more")}
          </Link>
        ) : null}
        {cursor ? (
          <Link to={`?${keep}`} className="button button-quiet button-block">
            {t("products.firstPage")}
          </Link>
        ) : null}
      </div>
    </>
  );
}
