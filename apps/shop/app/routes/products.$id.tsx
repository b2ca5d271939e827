import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import {
  Link,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Availability, WhenItComes } from "../components/Availability";
import { BuyBox, type BuyProblem } from "../components/buyer/BuyBox";
import { Money } from "../components/Money";
import { PlaceChooser } from "../components/PlaceChooser";
import { Producers, ProductPhoto } from "../components/ProductPhoto";
import { UnitPrice } from "../components/UnitPrice";
import { localized } from "../i18n";
import { getLanguage } from "../i18next.server";
import { addToCart, maxUnits, parseUnits, stepUnits, unitsFit } from "../lib/cart";
import { readCart, saveCart } from "../lib/cart.server";
import { apiFailure, getApi } from "../lib/context.server";
import { formKey, newFormKey, text } from "../lib/forms.server";
import { pageMeta } from "../lib/meta";
import { returnPath } from "../lib/place";
import { countedForPlace } from "../lib/places.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = params.id ?? "";
  const api = getApi(context, request);
  const [language, counted] = await Promise.all([
    getLanguage(request),
    countedForPlace(api, request, (servicePointId) => api.getProduct(id, servicePointId)).catch(apiFailure),
  ]);
  const product = counted.value;
  // The product is the page: without it there is nothing to show.
  if (!product) throw data(null, { status: 404 });
  return {
    title: localized(product.name, language),
    product,
    place: counted.view,
    points: counted.points,
    idempotencyKey: newFormKey(),
  };
}

/**
 * The buy box's form: adds `units` of the chosen sale unit to the cart (a cookie), checked against what can
 * be had where the buyer collects (every line of the product counted as units × size). Without JavaScript the
 * − / + buttons post here too (intent less / more) and the page comes back with the count moved by a step.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = params.id ?? "";
  const form = await request.formData();
  // Checked against what can be had where the buyer collects.
  const api = getApi(context, request);
  const { value: product } = await countedForPlace(api, request, (servicePointId) =>
    api.getProduct(id, servicePointId),
  ).catch(apiFailure);
  if (!product) throw data(null, { status: 404 });

  const saleUnitId = text(form, "saleUnitId", 64);
  const typed = text(form, "units", 20);
  const intent = text(form, "intent", 10);
  const answer = (problem: BuyProblem | null, status: number, count = typed, key = newFormKey()) =>
    data({ problem, saleUnitId, typed: count, idempotencyKey: key }, { status });
  const unit = product.saleUnits?.find((u) => u.id === saleUnitId);
  if (!unit) return answer("unit", 400);
  const units = parseUnits(typed);
  if (intent === "less" || intent === "more") {
    // The stepper without JavaScript: nothing is added, the form's key stays for the add that follows.
    const next = stepUnits(unit, units ?? unit.minUnits - 1, intent === "more" ? 1 : -1);
    return answer(null, 200, String(next), formKey(form));
  }
  if (units === null) return answer("quantity", 400);
  if (!unitsFit(unit, units)) return answer("step", 400);

  const cart = await readCart(request);
  const key = formKey(form);
  const sizeOf = (saleUnit: string) => product.saleUnits?.find((u) => u.id === saleUnit)?.size ?? 0;
  const inCart =
    cart.lines
      .filter((line) => line.productId === product.id)
      .reduce((sum, line) => sum + line.units * sizeOf(line.saleUnitId), 0) +
    (cart.old.find((line) => line.productId === product.id)?.quantity ?? 0);
  // A resent form (same key) was already added: nothing to check, nothing to add.
  if (key !== cart.lastKey && inCart + units * unit.size > product.available) return answer("notEnough", 400);
  if (key !== cart.lastKey && units > maxUnits(unit)) return answer("tooMuch", 400);

  const { cart: next, outcome } = addToCart(cart, { productId: product.id, saleUnitId: unit.id, units }, key);
  if (outcome === "full" || outcome === "tooMuch") return answer(outcome, 400);
  return redirect(`/products/${encodeURIComponent(product.id)}?added=1`, {
    headers: { "Set-Cookie": await saveCart(next) },
  });
}

export default function ProductPage() {
  const { product, place, points, idempotencyKey } = useLoaderData<typeof loader>();
  const location = useLocation();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useTranslation();
  const description = localized(product.description, i18n.language);
  const added = searchParams.get("added") === "1" && !result;

  return (
    <article className="product" aria-labelledby="product-name">
      <p>
        <Link to="/products" className="back-link">
          ← {t("nav.backToProducts")}
        </Link>
      </p>
      <p className="product-kind">{t(`kinds.${product.kind}`)}</p>
      <h1 id="product-name">{localized(product.name, i18n.language)}</h1>
      <ProductPhoto
        photo={product.photos?.[0] ?? product.photo}
        name={product.name}
        sizes="(min-width: 42rem) 40rem, 100vw"
        priority
      />

      <dl className="facts">
        <div className="fact">
          <dt>{t("product.price")}</dt>
          <dd className="fact-price">
            {product.saleUnits?.length ? (
              <ul className="sale-units" aria-label={t("price.soldAs")}>
                {product.saleUnits.map((u) => (
                  <li key={u.id} className="sale-unit">
                    <UnitPrice unit={u} base={product.unit} />
                  </li>
                ))}
              </ul>
            ) : (
              <Money fen={product.priceFen} per={product.unit} />
            )}
          </dd>
        </div>
        <div className="fact">
          <dt>{t("product.stock")}</dt>
          <dd data-testid="product-available">
            <Availability available={product.available} unit={product.unit} place={place} />
          </dd>
        </div>
      </dl>
      <WhenItComes place={place} />
      {searchParams.get("placeSaved") ? (
        <p className="notice notice-info" role="status">
          {t("place.saved")}
        </p>
      ) : null}
      <PlaceChooser view={place} points={points} redirectTo={returnPath(location)} />

      {added ? (
        <div className="added-box" role="status">
          <p className="added-title">✓ {t("addToCart.added")}</p>
          <div className="button-stack">
            <Link to="/cart" className="button button-primary button-block button-big">
              {t("addToCart.goToCart")}
            </Link>
            <Link to="/products" className="button button-secondary button-block">
              {t("addToCart.keepShopping")}
            </Link>
          </div>
        </div>
      ) : null}

      {product.available > 0 && product.saleUnits?.length ? (
        <BuyBox
          key={`${result?.saleUnitId ?? ""}:${result?.typed ?? ""}:${result?.idempotencyKey ?? idempotencyKey}`}
          saleUnits={product.saleUnits}
          base={product.unit}
          selected={result?.saleUnitId}
          typed={result?.typed}
          idempotencyKey={result?.idempotencyKey ?? idempotencyKey}
          problem={result?.problem ?? null}
          submitting={navigation.state === "submitting"}
        />
      ) : (
        <p className="notice">{t("addToCart.outOfStock")}</p>
      )}

      {product.perishable ? <p className="notice">{t("product.perishable")}</p> : null}

      {description ? (
        <section aria-labelledby="description-title">
          <h2 id="description-title">{t("product.description")}</h2>
          <p className="lead">{description}</p>
        </section>
      ) : null}

      <Producers producers={product.producers} />

      <p className="notice notice-info">{t("product.howToBuy")}</p>
      <p className="muted">{t("product.sku", { sku: product.sku })}</p>
    </article>
  );
}
