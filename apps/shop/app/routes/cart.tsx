import type { BaseUnit } from "@coop/shared";
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
import { Trans, useTranslation } from "react-i18next";
import { Money } from "../components/Money";
import { SaleUnitsQuantity } from "../components/orders/SaleUnitsQuantity";
import { PlaceChooser } from "../components/PlaceChooser";
import { Quantity } from "../components/Quantity";
import { UnitPrice } from "../components/UnitPrice";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { parseUnits, removeFromCart, setCartUnits, stepUnits, unitsFit, withoutLines } from "../lib/cart";
import { readCart, saveCart } from "../lib/cart.server";
import { pricedCart } from "../lib/checkout.server";
import { apiFailure, getApi } from "../lib/context.server";
import { text } from "../lib/forms.server";
import { pageMeta } from "../lib/meta";
import { type PlaceView, returnPath } from "../lib/place";
import { countedForPlace } from "../lib/places.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const api = getApi(context, request);
  const [t, cart] = await Promise.all([getT(request), readCart(request)]);
  // Checked again where the buyer collects, before they fill in the checkout form.
  const place = await countedForPlace(api, request, (servicePointId) =>
    pricedCart(api, cart, servicePointId),
  ).catch(apiFailure);
  const priced = place.value;
  // An old cookie's lines are converted once (and those that cannot be are dropped, with a note); lines whose
  // product or unit the co-op no longer sells leave the cart (and the buyer is told).
  const base = priced.converted?.cart ?? cart;
  const headers =
    priced.converted || priced.gone.length
      ? { "Set-Cookie": await saveCart(withoutLines(base, priced.gone)) }
      : undefined;
  return data(
    {
      title: t("cart.title"),
      lines: priced.lines,
      subtotalFen: priced.subtotalFen,
      gone: priced.gone.length,
      converted: Boolean(priced.converted),
      dropped: priced.converted?.dropped.length ?? 0,
      place: place.view,
      points: place.points,
    },
    { headers },
  );
}

/** Where the cart's forms may send the buyer back to (the checkout's "take only N" buttons). */
function backTo(form: FormData): string {
  return text(form, "redirectTo", 40) === "/checkout" ? "/checkout" : "/cart";
}

/**
 * Changes the count of a line (typed, or − / + by the unit's step from its minimum) or takes it out. Prices
 * are not in the cookie, so nothing to trust; the unit's minimum and step come from the API.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const cart = await readCart(request);
  const productId = text(form, "productId", 64);
  const saleUnitId = text(form, "saleUnitId", 64);
  const intent = text(form, "intent", 10);
  const line = cart.lines.find((l) => l.productId === productId && l.saleUnitId === saleUnitId);
  if (!line) return redirect(backTo(form));
  if (intent === "remove") {
    return redirect(`${backTo(form)}?removed=1`, {
      headers: { "Set-Cookie": await saveCart(removeFromCart(cart, productId, saleUnitId)) },
    });
  }
  if (intent !== "set" && intent !== "less" && intent !== "more") return redirect("/cart");
  const typed = text(form, "units", 20);
  const api = getApi(context, request);
  const product = await api.getProduct(productId).catch(apiFailure);
  const unit = product?.saleUnits?.find((u) => u.id === saleUnitId);
  // No longer sold as this unit: the cart page takes the line out and says so.
  if (!unit) return redirect("/cart");
  const units =
    intent === "set"
      ? parseUnits(typed)
      : stepUnits(unit, parseUnits(typed) ?? line.units, intent === "more" ? 1 : -1);
  if (units === null || !unitsFit(unit, units)) {
    return data({ problem: "units" as const, productId, saleUnitId, typed }, { status: 400 });
  }
  return redirect(`${backTo(form)}?changed=1`, {
    headers: { "Set-Cookie": await saveCart(setCartUnits(cart, productId, saleUnitId, units)) },
  });
}

/** "竹山村服务点只能取到 8 个，少了 2 个。": a short line, for the place the cart was checked for. */
function ShortText({
  line,
  place,
}: {
  /** quantity: base units of all the cart's lines of this product. */
  line: { quantity: number; available: number; unit: BaseUnit };
  place: PlaceView;
}) {
  const { t, i18n } = useTranslation();
  if (!place) {
    // No place chosen: the catalog's count is what the warehouse can deliver.
    return line.available > 0 ? (
      <Trans
        i18nKey="cart.short"
        components={{ qty: <Quantity quantity={line.available} unit={line.unit} /> }}
      />
    ) : (
      t("cart.soldOut")
    );
  }
  const name = place.type === "pickup" ? localized(place.name, i18n.language) : "";
  if (line.available <= 0)
    return t(place.type === "pickup" ? "place.noneAt" : "place.noneDelivery", { name });
  return (
    <Trans
      i18nKey={place.type === "pickup" ? "place.shortAt" : "place.shortDelivery"}
      values={{ name }}
      components={{
        qty: <Quantity quantity={line.available} unit={line.unit} />,
        missing: <Quantity quantity={line.quantity - line.available} unit={line.unit} />,
      }}
    />
  );
}

export default function CartPage() {
  const { lines, subtotalFen, gone, converted, dropped, place, points } = useLoaderData<typeof loader>();
  const location = useLocation();
  const shortCount = lines.filter((line) => line.short).length;
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useTranslation();
  const busy = navigation.state !== "idle";

  return (
    <>
      <h1>{t("cart.title")}</h1>
      {gone > 0 ? <p className="notice">{t("cart.gone", { count: gone })}</p> : null}
      {dropped > 0 ? (
        <p className="notice" data-testid="cart-dropped">
          {t("cart.dropped", { count: dropped })}
        </p>
      ) : converted ? (
        <p className="notice notice-info" data-testid="cart-converted">
          {t("cart.converted")}
        </p>
      ) : null}
      {searchParams.get("placeSaved") ? (
        <p className="notice notice-info" role="status">
          {t("place.saved")}
        </p>
      ) : null}
      {lines.length > 0 ? (
        <PlaceChooser view={place} points={points} redirectTo={returnPath(location)} />
      ) : null}
      {searchParams.get("changed") && !result ? (
        <p className="notice notice-info" role="status">
          {t("cart.changed")}
        </p>
      ) : null}
      {searchParams.get("removed") ? (
        <p className="notice notice-info" role="status">
          {t("cart.removed")}
        </p>
      ) : null}

      {lines.length === 0 ? (
        <>
          <p className="lead">{t("cart.empty")}</p>
          <Link to="/products" className="button button-primary button-block button-big">
            {t("cart.browse")}
          </Link>
        </>
      ) : (
        <>
          <ul className="cart-lines">
            {lines.map((line) => {
              const label = localized(line.saleUnit.label, i18n.language);
              const problem = result?.productId === line.productId && result.saleUnitId === line.saleUnitId;
              const fieldId = `units-${line.productId}-${line.saleUnitId}`;
              // Every line of the product counts against what can be had (个 and 盒 of one egg).
              const wanted = lines
                .filter((other) => other.productId === line.productId)
                .reduce((sum, other) => sum + other.quantity, 0);
              const steps = { label, min: line.saleUnit.minUnits, step: line.saleUnit.stepUnits };
              return (
                <li
                  key={`${line.productId}:${line.saleUnitId}`}
                  className="cart-line"
                  data-product-id={line.productId}
                  data-sale-unit-id={line.saleUnitId}
                >
                  <Link to={`/products/${encodeURIComponent(line.productId)}`} className="cart-line-name">
                    {localized(line.name, i18n.language)}
                  </Link>
                  <dl className="cart-line-facts">
                    <div>
                      <dt>{t("cart.unitPrice")}</dt>
                      <dd>
                        <UnitPrice unit={line.saleUnit} base={line.unit} />
                      </dd>
                    </div>
                    <div>
                      <dt>{t("cart.quantity")}</dt>
                      <dd className="cart-line-quantity">
                        <SaleUnitsQuantity
                          quantity={line.quantity}
                          unit={line.unit}
                          saleUnit={line.saleUnit}
                          units={line.units}
                        />
                      </dd>
                    </div>
                    <div>
                      <dt>{t("cart.lineTotal")}</dt>
                      <dd className="cart-line-total">
                        <Money fen={line.lineTotalFen} />
                      </dd>
                    </div>
                  </dl>
                  {line.unfit ? (
                    <p className="field-error" data-testid="cart-unfit">
                      {t("cart.unfit", steps)}
                    </p>
                  ) : null}
                  {line.short ? (
                    <p className="field-error" data-testid="cart-short">
                      <ShortText line={{ ...line, quantity: wanted }} place={place} />
                    </p>
                  ) : null}
                  <Form method="post" className="cart-line-form">
                    {/* The form's default button: Enter in the field changes the count, not − . */}
                    <button
                      type="submit"
                      name="intent"
                      value="set"
                      className="visually-hidden"
                      tabIndex={-1}
                      aria-hidden="true"
                    >
                      {t("cart.change")}
                    </button>
                    <input type="hidden" name="productId" value={line.productId} />
                    <input type="hidden" name="saleUnitId" value={line.saleUnitId} />
                    <label htmlFor={fieldId} className="field-label">
                      {t("cart.newUnits", { label })}
                    </label>
                    <div className="cart-line-row stepper">
                      <button
                        type="submit"
                        name="intent"
                        value="less"
                        formNoValidate
                        className="button button-secondary stepper-button"
                        aria-label={t("buyBox.less", { step: line.saleUnit.stepUnits, label })}
                        disabled={busy}
                      >
                        −
                      </button>
                      <input
                        id={fieldId}
                        name="units"
                        type="text"
                        inputMode="numeric"
                        pattern="[0-9]+"
                        autoComplete="off"
                        required
                        defaultValue={problem ? result.typed : String(line.units)}
                        aria-invalid={problem ? true : undefined}
                        aria-describedby={problem ? `${fieldId}-error` : undefined}
                      />
                      <button
                        type="submit"
                        name="intent"
                        value="more"
                        formNoValidate
                        className="button button-secondary stepper-button"
                        aria-label={t("buyBox.more", { step: line.saleUnit.stepUnits, label })}
                        disabled={busy}
                      >
                        +
                      </button>
                      <button
                        type="submit"
                        name="intent"
                        value="set"
                        className="button button-secondary cart-change"
                        disabled={busy}
                      >
                        {t("cart.change")}
                      </button>
                    </div>
                    {problem ? (
                      <p className="field-error" id={`${fieldId}-error`} role="alert">
                        {t("cart.unitsProblem", steps)}
                      </p>
                    ) : null}
                    <button
                      type="submit"
                      name="intent"
                      value="remove"
                      formNoValidate
                      className="button button-quiet cart-remove"
                      disabled={busy}
                    >
                      {t("cart.remove")}
                    </button>
                  </Form>
                </li>
              );
            })}
          </ul>

          <p className="subtotal" data-testid="cart-subtotal">
            <span>{t("cart.subtotal")}</span> <Money fen={subtotalFen} />
          </p>
          {shortCount > 0 ? (
            <p className="alert" role="alert" data-testid="cart-short-summary">
              {t("place.shortTitle", { count: shortCount })}
            </p>
          ) : null}
          <p className="muted">{t("cart.nextStepHint")}</p>
          <Link to="/checkout" className="button button-primary button-block button-big">
            {t("cart.checkout")}
          </Link>
        </>
      )}
    </>
  );
}
