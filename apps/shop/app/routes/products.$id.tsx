import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Availability, WhenItComes } from "../components/Availability";
import { Money } from "../components/Money";
import { PlaceChooser } from "../components/PlaceChooser";
import { Producers, ProductPhoto } from "../components/ProductPhoto";
import { FormKey } from "../components/staff/FormBits";
import { UnitPrice } from "../components/UnitPrice";
import { localized } from "../i18n";
import { getLanguage } from "../i18next.server";
import {
  addToCart,
  buyerInputUnit,
  defaultBuyerQuantity,
  MAX_CART_LINES,
  parseBuyerQuantity,
} from "../lib/cart";
import { readCart, saveCart } from "../lib/cart.server";
import { apiFailure, getApi } from "../lib/context.server";
import { formKey, newFormKey, text } from "../lib/forms.server";
import { pageMeta } from "../lib/meta";
import { returnPath } from "../lib/place";
import { countedForPlace } from "../lib/places.server";
import { chooseSaleUnit, smallestSaleUnit } from "../lib/sale-units";

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

type AddProblem = "quantity" | "notEnough" | "full" | "tooMuch" | "unfit";

/** Adds to the cart (a cookie): the quantity in 斤 for goods sold by weight, else in the product's unit. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const id = params.id ?? "";
  const form = await request.formData();
  // Checked against what can be had where the buyer collects.
  const api = getApi(context, request);
  const { value: product } = await countedForPlace(api, request, (servicePointId) =>
    api.getProduct(id, servicePointId),
  ).catch(apiFailure);
  if (!product) throw data(null, { status: 404 });

  const typed = text(form, "quantity", 20);
  const problem = (reason: AddProblem) =>
    data({ problem: reason, typed, idempotencyKey: newFormKey() }, { status: 400 });
  const quantity = parseBuyerQuantity(typed, product.unit);
  if (quantity === null) return problem("quantity");

  const cart = await readCart(request);
  const inCart = cart.lines.find((line) => line.productId === product.id)?.quantity ?? 0;
  const key = formKey(form);
  // A resent form (same key) was already added: nothing to check, nothing to add.
  if (key !== cart.lastKey && inCart + quantity > product.available) return problem("notEnough");
  // The API sells sale units: the line must come to a whole number of one on sale (no part of a 斤).
  if (product.saleUnits && !chooseSaleUnit(product.saleUnits, inCart + quantity)) return problem("unfit");

  const { cart: next, outcome } = addToCart(cart, product.id, quantity, key);
  if (outcome === "full" || outcome === "tooMuch") return problem(outcome);
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
  const inputUnit = buyerInputUnit(product.unit);
  const unitName = t(`quantity.inputUnits.${inputUnit}`);
  const added = searchParams.get("added") === "1" && !result;
  const smallest = smallestSaleUnit(product.saleUnits);

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

      {product.available > 0 ? (
        <Form method="post" className="form add-form" aria-describedby={result ? "add-problem" : undefined}>
          <FormKey value={result?.idempotencyKey ?? idempotencyKey} />
          <label htmlFor="quantity" className="field-label">
            {t("addToCart.quantityLabel", { unitName })}
          </label>
          <div className="quantity-input-row">
            <input
              id="quantity"
              name="quantity"
              type="text"
              className="quantity-input"
              inputMode={inputUnit === "jin" ? "decimal" : "numeric"}
              pattern={inputUnit === "jin" ? "[0-9]+([.][0-9]{1,3})?" : "[0-9]+"}
              autoComplete="off"
              required
              defaultValue={result?.typed ?? defaultBuyerQuantity(product.unit)}
              key={result?.idempotencyKey ?? idempotencyKey}
              aria-invalid={result ? true : undefined}
              aria-describedby="quantity-hint"
            />
            <span className="quantity-input-unit" aria-hidden="true">
              {unitName}
            </span>
          </div>
          <p className="field-hint" id="quantity-hint">
            {t(`addToCart.hint.${inputUnit}`)}
          </p>
          {result ? (
            <p className="field-error" id="add-problem" role="alert">
              {t(`addToCart.problems.${result.problem}`, {
                max: MAX_CART_LINES,
                unit: smallest ? localized(smallest.label, i18n.language) : "",
              })}
            </p>
          ) : null}
          <button
            type="submit"
            className="button button-primary button-block button-big"
            disabled={navigation.state === "submitting"}
          >
            {t("addToCart.submit")}
          </button>
        </Form>
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
