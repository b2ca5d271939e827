import { CreateOrder } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { ContactFields, OrderFieldProblemText, PointChoices } from "../components/buyer/OrderFormFields";
import { Money } from "../components/Money";
import { OrderLines } from "../components/orders/OrderLines";
import { SaleUnitsQuantity } from "../components/orders/SaleUnitsQuantity";
import { Quantity } from "../components/Quantity";
import { FormKey } from "../components/staff/FormBits";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { ApiError, ApiUnavailableError } from "../lib/api.server";
import { emptyCart } from "../lib/cart";
import { readCart, saveCart } from "../lib/cart.server";
import {
  type CheckoutField,
  checkoutFieldOf,
  checkoutTotals,
  deliveryPossible,
  isOnlineMethod,
  normalizePhone,
  type ShortLine,
  shortLines,
} from "../lib/checkout";
import {
  afterOrderPlaced,
  cartProducts,
  outOfStockLines,
  placementProblem,
  pricedCart,
} from "../lib/checkout.server";
import { apiFailure, getApi } from "../lib/context.server";
import { formKey, newFormKey, text } from "../lib/forms.server";
import { pageMeta } from "../lib/meta";
import { catalogPlace } from "../lib/place";
import { buyerPlace } from "../lib/places.server";
import type { CommonCatalog as Catalog } from "../locales/common.zh-CN";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);

type CheckoutProblem = keyof Catalog["checkout"]["problems"];
type FieldProblem = keyof Catalog["checkout"]["fields"];
type Fields = Partial<Record<CheckoutField, FieldProblem>>;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [t, cart] = await Promise.all([getT(request), readCart(request)]);
  if (cart.lines.length === 0) throw redirect("/cart");
  const api = getApi(context, request);
  const [place, options] = await Promise.all([buyerPlace(api, request), api.checkoutOptions()]).catch(
    apiFailure,
  );
  const priced = await pricedCart(api, cart, catalogPlace(place.place)).catch(apiFailure);
  const points = place.points;
  // Something left the catalog: the cart page says what and takes it out. A line short where the buyer
  // collects: the cart says by how much, before they fill in this form.
  if (priced.gone.length > 0) throw redirect("/cart");
  // An old cookie's lines: the cart page converts them once and says what changed.
  if (priced.converted) throw redirect("/cart");
  if (place.place && priced.lines.some((line) => line.short)) throw redirect("/cart");
  // A count off its unit's steps (the co-op changed them): the cart asks for one that fits.
  if (priced.lines.some((line) => line.unfit)) throw redirect("/cart");
  return {
    title: t("checkout.title"),
    lines: priced.lines,
    subtotalFen: priced.subtotalFen,
    totals: checkoutTotals(priced.subtotalFen, options),
    freeDeliveryOverFen: options.freeDeliveryOverFen,
    methods: options.paymentMethods,
    delivery: deliveryPossible(options.paymentMethods),
    points: points.map((point) => ({
      id: point.id,
      name: point.name,
      village: point.village,
      address: point.address,
      openingHours: point.openingHours,
    })),
    /** The remembered place: what the form starts with. */
    remembered: place.place,
    idempotencyKey: newFormKey(),
  };
}

interface Typed {
  name: string;
  phone: string;
  fulfilment: "pickup" | "delivery";
  servicePointId: string;
  address: string;
  paymentMethod: string;
}

function problem(
  reason: CheckoutProblem,
  status: number,
  typed: Typed,
  fields: Fields = {},
  short: ShortLine[] = [],
) {
  // A new key: the API keeps its answer under the old one, and the corrected order is a new request.
  return data({ problem: reason, fields, short, typed, idempotencyKey: newFormKey() }, { status });
}

/**
 * Places the order (POST /v1/orders) with the form's Idempotency-Key. On success the cart is emptied and
 * the order's access token remembered on this phone; online payments go on to the payment step.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const cart = await readCart(request);
  if (cart.lines.length === 0) return redirect("/cart");
  const api = getApi(context, request);
  const typed: Typed = {
    name: text(form, "name", 40),
    phone: text(form, "phone", 20),
    fulfilment: text(form, "fulfilment", 10) === "delivery" ? "delivery" : "pickup",
    servicePointId: text(form, "servicePointId", 64),
    address: text(form, "address", 300),
    paymentMethod: text(form, "paymentMethod", 20),
  };

  let methods: readonly string[];
  try {
    methods = (await api.checkoutOptions()).paymentMethods;
  } catch (error) {
    if (error instanceof ApiUnavailableError) return problem("unavailable", 503, typed);
    throw error;
  }

  const fields: Fields = {};
  const phone = normalizePhone(typed.phone);
  if (!typed.name) fields.name = "name";
  if (!phone) fields.phone = "phone";
  if (typed.fulfilment === "pickup" && !typed.servicePointId) fields.servicePointId = "servicePointId";
  if (typed.fulfilment === "delivery" && typed.address.length < 5) fields.address = "address";
  if (!methods.includes(typed.paymentMethod)) fields.paymentMethod = "paymentMethod";
  else if (typed.fulfilment === "delivery" && !isOnlineMethod(typed.paymentMethod))
    fields.paymentMethod = "cashNeedsPickup";
  if (Object.keys(fields).length > 0) return problem("checkFields", 400, typed, fields);

  // Checked again as the cart page did; when the products cannot be read now the API decides alone.
  const priced = await pricedCart(
    api,
    cart,
    typed.fulfilment === "pickup" ? typed.servicePointId : undefined,
  ).catch(() => null);
  if (priced?.lines.some((l) => l.unfit) || priced?.converted || cart.old.length > 0)
    return redirect("/cart");
  const body = CreateOrder.safeParse({
    // Each line in the sale unit the buyer chose: `quantity` counts that unit (30 个, or 1 盒(30个)).
    items: cart.lines.map((line) => ({
      productId: line.productId,
      saleUnitId: line.saleUnitId,
      quantity: line.units,
    })),
    fulfilment:
      typed.fulfilment === "pickup"
        ? { type: "pickup", servicePointId: typed.servicePointId }
        : { type: "delivery", address: typed.address },
    payment: { method: typed.paymentMethod },
    contact: { name: typed.name, phone },
  });
  if (!body.success) {
    for (const issue of body.error.issues) {
      const field = checkoutFieldOf(issue.path.join("."));
      if (field) fields[field] = field;
    }
    return problem("checkFields", 400, typed, fields);
  }

  try {
    const order = await api.createOrder(body.data, formKey(form));
    return afterOrderPlaced(request, order, body.data.fulfilment, [await saveCart(emptyCart())]);
  } catch (error) {
    if (error instanceof ApiError && error.code === "OUT_OF_STOCK") {
      const lines = outOfStockLines(error.details);
      const products = await cartProducts(
        api,
        lines.map((line) => line.productId),
        typed.fulfilment === "pickup" ? typed.servicePointId : undefined,
      ).catch(() => new Map());
      return problem("outOfStock", 409, typed, {}, shortLines(lines, products));
    }
    const common = placementProblem(error);
    if (common) return problem(common.problem, common.status, typed, common.fields);
    throw error;
  }
}

/** A count of a short line: "2 盒(30个)（60 个）", "30 个"; base units when the unit is not known. */
function ShortCount({ line, units }: { line: ShortLine; units: number }) {
  if (!line.unit) return null;
  if (!line.saleUnit) return <Quantity quantity={units} unit={line.unit} />;
  return (
    <SaleUnitsQuantity
      quantity={units * line.saleUnit.size}
      unit={line.unit}
      saleUnit={line.saleUnit}
      units={units}
    />
  );
}

/** What the API could not fill, in plain words, with a one-tap way to take less or drop it. */
function ShortLines({ short }: { short: ShortLine[] }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="short-box" aria-labelledby="short-title" data-testid="short-lines">
      <h2 id="short-title">{t("checkout.short.title")}</h2>
      <ul className="short-lines">
        {short.map((line) => (
          <li
            key={`${line.productId}:${line.saleUnit?.id ?? ""}`}
            className="short-line"
            data-product-id={line.productId}
          >
            <p className="short-name">{line.name ? localized(line.name, i18n.language) : line.productId}</p>
            {line.unit ? (
              <p>
                <Trans
                  i18nKey="checkout.short.wanted"
                  components={{ qty: <ShortCount line={line} units={line.requested} /> }}
                />
                {" · "}
                {line.canHave === null ? (
                  t("checkout.short.notHere")
                ) : line.canHave === 0 ? (
                  <strong>{t("checkout.short.none")}</strong>
                ) : (
                  <strong>
                    <Trans
                      i18nKey="checkout.short.canHave"
                      components={{ qty: <ShortCount line={line} units={line.canHave} /> }}
                    />
                  </strong>
                )}
              </p>
            ) : (
              <p>{t("checkout.short.none")}</p>
            )}
            <div className="short-actions">
              {line.saleUnit && line.canHave ? (
                <Form method="post" action="/cart">
                  <input type="hidden" name="productId" value={line.productId} />
                  <input type="hidden" name="saleUnitId" value={line.saleUnit.id} />
                  <input type="hidden" name="units" value={line.canHave} />
                  <input type="hidden" name="redirectTo" value="/checkout" />
                  <button
                    type="submit"
                    name="intent"
                    value="set"
                    className="button button-primary button-block"
                  >
                    <Trans
                      i18nKey="checkout.short.setTo"
                      components={{ qty: <ShortCount line={line} units={line.canHave} /> }}
                    />
                  </button>
                </Form>
              ) : null}
              <Form method="post" action="/cart">
                <input type="hidden" name="productId" value={line.productId} />
                <input type="hidden" name="saleUnitId" value={line.saleUnit?.id ?? ""} />
                <input type="hidden" name="redirectTo" value="/checkout" />
                <button
                  type="submit"
                  name="intent"
                  value="remove"
                  className="button button-secondary button-block"
                >
                  {t("checkout.short.remove")}
                </button>
              </Form>
              <Link to="/cart" className="button button-quiet button-block">
                {t("checkout.short.other")}
              </Link>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function Checkout() {
  const {
    lines,
    subtotalFen,
    totals,
    freeDeliveryOverFen,
    methods,
    delivery,
    points,
    remembered,
    idempotencyKey,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const typed = result?.typed;
  const fields: Fields = result?.fields ?? {};
  const submitting = navigation.state === "submitting" && navigation.formAction === "/checkout";
  const fulfilment =
    typed?.fulfilment ?? (remembered?.type === "delivery" && delivery ? "delivery" : "pickup");
  const pointId = typed
    ? typed.servicePointId
    : remembered?.type === "pickup"
      ? remembered.servicePointId
      : "";
  const method = typed?.paymentMethod ?? (methods.length === 1 ? methods[0] : "cash_on_pickup");
  // Re-mount the fields with what was typed when the action answers.
  const formVersion = result?.idempotencyKey ?? "first";
  const invalid = (field: CheckoutField) => (fields[field] ? true : undefined);

  return (
    <div className="checkout">
      <h1>{t("checkout.title")}</h1>
      {result?.problem ? (
        <p className="alert" role="alert" id="checkout-problem">
          {t(`checkout.problems.${result.problem}`)}
        </p>
      ) : null}
      {result?.short.length ? <ShortLines short={result.short} /> : null}

      <section aria-labelledby="summary-title" className="summary">
        <h2 id="summary-title">{t("checkout.summaryTitle")}</h2>
        <OrderLines lines={lines.map((line) => ({ ...line, id: `${line.productId}:${line.saleUnitId}` }))} />
        <p className="subtotal">
          <span>{t("checkout.subtotal")}</span> <Money fen={subtotalFen} />
        </p>
        <Link to="/cart" className="inline-link">
          {t("checkout.editCart")}
        </Link>
      </section>

      <Form
        method="post"
        className="form checkout-form"
        key={formVersion}
        aria-describedby={result?.problem ? "checkout-problem" : undefined}
      >
        <FormKey value={result?.idempotencyKey ?? idempotencyKey} />

        <fieldset className="form-section">
          <legend className="section-title">{t("checkout.contactTitle")}</legend>
          <ContactFields typed={typed} fields={fields} />
        </fieldset>

        <fieldset className="form-section">
          <legend className="section-title">{t("checkout.fulfilmentTitle")}</legend>
          <div className="choice-list">
            <label className="choice">
              <input type="radio" name="fulfilment" value="pickup" defaultChecked={fulfilment === "pickup"} />
              <span className="choice-body">
                <span className="choice-title">{t("checkout.pickup")}</span>
                <span className="choice-hint">{t("checkout.pickupHint")}</span>
              </span>
            </label>
            {delivery ? (
              <label className="choice">
                <input
                  type="radio"
                  name="fulfilment"
                  value="delivery"
                  defaultChecked={fulfilment === "delivery"}
                />
                <span className="choice-body">
                  <span className="choice-title">{t("checkout.delivery")}</span>
                  <span className="choice-hint">
                    {totals.delivery.feeFen === 0 ? (
                      t("checkout.free")
                    ) : (
                      <Trans
                        i18nKey="checkout.deliveryFee"
                        components={{ money: <Money fen={totals.delivery.feeFen} /> }}
                      />
                    )}
                    {freeDeliveryOverFen !== null ? (
                      <>
                        {" · "}
                        <Trans
                          i18nKey="checkout.freeOver"
                          components={{ money: <Money fen={freeDeliveryOverFen} /> }}
                        />
                      </>
                    ) : null}
                  </span>
                </span>
              </label>
            ) : null}
          </div>
          {delivery ? null : <p className="field-hint">{t("checkout.deliveryOffline")}</p>}

          <PointChoices
            points={points}
            chosen={pointId}
            problem={fields.servicePointId}
            className="field for-pickup"
          />

          {delivery ? (
            <div className="field for-delivery">
              <label htmlFor="address" className="field-label">
                {t("checkout.address")}
              </label>
              <textarea
                id="address"
                name="address"
                rows={3}
                maxLength={300}
                autoComplete="street-address"
                defaultValue={typed?.address ?? ""}
                aria-invalid={invalid("address")}
                aria-describedby="address-hint address-error"
              />
              <p className="field-hint" id="address-hint">
                {t("checkout.addressHint")}
              </p>
              <OrderFieldProblemText id="address-error" problem={fields.address} />
            </div>
          ) : null}
        </fieldset>

        <fieldset className="form-section">
          <legend className="section-title">{t("checkout.paymentTitle")}</legend>
          <div className="choice-list">
            {methods.map((option) => (
              <label key={option} className="choice">
                <input type="radio" name="paymentMethod" value={option} defaultChecked={method === option} />
                <span className="choice-body">
                  <span className="choice-title">{t(`paymentMethod.${option}`)}</span>
                  {option === "cash_on_pickup" ? (
                    <span className="choice-hint">{t("checkout.cashOnlyPickup")}</span>
                  ) : null}
                </span>
              </label>
            ))}
          </div>
          {delivery ? <p className="field-hint">{t("checkout.onlineNext")}</p> : null}
          <OrderFieldProblemText id="paymentMethod-error" problem={fields.paymentMethod} />
          <OrderFieldProblemText id="items-error" problem={fields.items} />
        </fieldset>

        <dl className="totals">
          <div className="totals-row totals-grand for-pickup">
            <dt>{t("checkout.total")}</dt>
            <dd data-testid="checkout-total">
              <Money fen={totals.pickup.totalFen} />
            </dd>
          </div>
          {delivery ? (
            <>
              <div className="totals-row for-delivery">
                <dt>{t("checkout.deliveryFeeLabel")}</dt>
                <dd>
                  {totals.delivery.feeFen === 0 ? t("checkout.free") : <Money fen={totals.delivery.feeFen} />}
                </dd>
              </div>
              <div className="totals-row totals-grand for-delivery">
                <dt>{t("checkout.totalDelivery")}</dt>
                <dd>
                  <Money fen={totals.delivery.totalFen} />
                </dd>
              </div>
            </>
          ) : null}
        </dl>

        <button type="submit" className="button button-primary button-block button-big" disabled={submitting}>
          {submitting ? t("checkout.submitting") : t("checkout.submit")}
        </button>
      </Form>
    </div>
  );
}
