import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Await, Link, useLoaderData } from "@remix-run/react";
import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Money } from "../components/Money";
import { ProductCard } from "../components/ProductCard";
import { localized } from "../i18n";
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
  // What is on now: open harvest campaigns and flash sales, as links; nothing is shown when none (or the API
  // does not answer: the home page does not depend on them).
  const api = getApi(context, request);
  const happening: Promise<Happening[]> = Promise.all([
    api
      .listCampaigns()
      .then((l) =>
        l.items
          .filter((c) => c.state === "open" || c.state === "upcoming")
          .map((c) => ({ kind: "campaign" as const, id: c.id, title: c.title, priceFen: c.priceFen })),
      ),
    api
      .listFlashSales()
      .then((l) =>
        l.items.map((f) => ({ kind: "flash" as const, id: f.id, title: f.title, priceFen: f.priceFen })),
      ),
  ])
    .then(([campaigns, sales]) => [...sales, ...campaigns].slice(0, 6))
    .catch(() => []);
  return { featured, happening };
}

interface Happening {
  kind: "campaign" | "flash";
  id: string;
  title: { zh: string; en: string };
  priceFen: number;
}

export default function Home() {
  const { featured, happening } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
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

      <Suspense fallback={null}>
        <Await resolve={happening}>
          {(items) =>
            items.length === 0 ? null : (
              <section aria-labelledby="happening-title">
                <h2 id="happening-title">{t("home.happeningTitle")}</h2>
                <ul className="happening-list">
                  {items.map((item) => (
                    <li key={item.id}>
                      <Link
                        to={item.kind === "flash" ? `/flash-sales/${item.id}` : `/campaigns/${item.id}`}
                        className="happening-link"
                      >
                        <span className={item.kind === "flash" ? "flash-badge" : "campaign-badge"}>
                          {item.kind === "flash" ? t("flashSale.badge") : t("campaign.badge")}
                        </span>{" "}
                        {localized(item.title, i18n.language)} · <Money fen={item.priceFen} />
                      </Link>
                    </li>
                  ))}
                </ul>
              </section>
            )
          }
        </Await>
      </Suspense>

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
