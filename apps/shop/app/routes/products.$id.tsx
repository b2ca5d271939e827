import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Availability } from "../components/Availability";
import { Money } from "../components/Money";
import { localized } from "../i18n";
import { getLanguage } from "../i18next.server";
import { apiFailure, getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = params.id ?? "";
  const [language, product] = await Promise.all([
    getLanguage(request),
    getApi(context).getProduct(id).catch(apiFailure),
  ]);
  // The product is the page: without it there is nothing to show.
  if (!product) throw data(null, { status: 404 });
  return { title: localized(product.name, language), product };
}

export default function ProductPage() {
  const { product } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const description = localized(product.description, i18n.language);
  return (
    <article className="product" aria-labelledby="product-name">
      <p>
        <Link to="/products" className="back-link">
          ← {t("nav.backToProducts")}
        </Link>
      </p>
      <p className="product-kind">{t(`kinds.${product.kind}`)}</p>
      <h1 id="product-name">{localized(product.name, i18n.language)}</h1>

      <dl className="facts">
        <div className="fact">
          <dt>{t("product.price")}</dt>
          <dd className="fact-price">
            <Money fen={product.priceFen} per={product.unit} />
          </dd>
        </div>
        <div className="fact">
          <dt>{t("product.stock")}</dt>
          <dd>
            <Availability available={product.available} unit={product.unit} />
          </dd>
        </div>
      </dl>

      {product.perishable ? <p className="notice">{t("product.perishable")}</p> : null}

      {description ? (
        <section aria-labelledby="description-title">
          <h2 id="description-title">{t("product.description")}</h2>
          <p className="lead">{description}</p>
        </section>
      ) : null}

      <p className="notice notice-info">{t("product.howToBuy")}</p>
      <p className="muted">{t("product.sku", { sku: product.sku })}</p>
    </article>
  );
}
