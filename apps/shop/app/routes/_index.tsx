import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Await, Link, useLoaderData } from "@remix-run/react";
import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { ProductCard } from "../components/ProductCard";
import type { CatalogItem } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";

export const meta: MetaFunction<typeof loader> = ({ matches }) => pageMeta(matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Not critical: the page is sent at once and the featured produce streams in when the API answers.
  const featured: Promise<CatalogItem[] | null> = getApi(context, request)
    .listProducts({ kind: "produce", limit: 4 })
    .then((page) => page.items)
    .catch((error: unknown) => {
      console.warn("home: featured produce unavailable:", error instanceof Error ? error.message : error);
      return null;
    });
  return { featured };
}

export default function Home() {
  const { featured } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <section className="hero" aria-labelledby="home-title">
        <h1 id="home-title">{t("app.name")}</h1>
        <p className="hero-tagline">{t("app.tagline")}</p>
        <p className="lead">{t("home.intro")}</p>
        <Link to="/products" className="button button-primary button-block">
          {t("home.browse")}
        </Link>
      </section>

      <section aria-labelledby="featured-title">
        <h2 id="featured-title">{t("home.featuredTitle")}</h2>
        <Suspense fallback={<p className="muted">{t("app.loading")}</p>}>
          <Await resolve={featured}>
            {(items) =>
              items === null ? (
                <p className="notice">{t("home.featuredUnavailable")}</p>
              ) : items.length === 0 ? (
                <p className="muted">{t("home.featuredEmpty")}</p>
              ) : (
                <ul className="product-list">
                  {items.map((product) => (
                    <ProductCard key={product.id} product={product} showKind={false} />
                  ))}
                </ul>
              )
            }
          </Await>
        </Suspense>
      </section>

      <section className="staff-entry" aria-labelledby="staff-title">
        <h2 id="staff-title">{t("home.staffTitle")}</h2>
        <p>{t("home.staffText")}</p>
        <Link to="/staff/login" className="button button-secondary button-block">
          {t("nav.staffLogin")}
        </Link>
      </section>
    </>
  );
}
