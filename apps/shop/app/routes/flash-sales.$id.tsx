import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { Countdown } from "../components/buyer/Countdown";
import {
  ContactFields,
  OrderFieldProblemText,
  PaymentChoices,
  PointChoices,
} from "../components/buyer/OrderFormFields";
import { Money } from "../components/Money";
import { ProductPhoto } from "../components/ProductPhoto";
import { FormKey } from "../components/staff/FormBits";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { ApiError, ApiUnavailableError } from "../lib/api.server";
import { afterOrderPlaced, type PlacementProblem, placementProblem } from "../lib/checkout.server";
import { apiFailure, getApi } from "../lib/context.server";
import { formKey, newFormKey } from "../lib/forms.server";
import { pageMeta } from "../lib/meta";
import { buyerPlace } from "../lib/places.server";
import {
  readSalePageForm,
  type SalePageFields,
  salePageOrder,
  salePagePoints,
  salePageProblem,
} from "../lib/sale-page-order.server";
import type { CommonCatalog as Catalog } from "../locales/common.zh-CN";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);

/** The sale's own refusals (flashSale.problems.*) or those every order shares (checkout.problems.*). */
type SaleProblem = keyof Catalog["flashSale"]["problems"] | PlacementProblem;
type Fields = SalePageFields;
const problem = salePageProblem<SaleProblem>;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const api = getApi(context, request);
  const [t, sale, place, options] = await Promise.all([
    getT(request),
    api.getFlashSale(params.id ?? ""),
    buyerPlace(api, request),
    api.checkoutOptions(),
  ]).catch(apiFailure);
  return {
    title: `${t("flashSale.badge")} · ${localized(sale.title, "zh")}`,
    sale,
    ...salePagePoints(place),
    methods: options.paymentMethods,
    idempotencyKey: newFormKey(),
  };
}

/** One step: the sale's one item, picked up at a point, with the form's Idempotency-Key. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const typed = readSalePageForm(form);
  const api = getApi(context, request);
  let sale: Awaited<ReturnType<typeof api.getFlashSale>>;
  try {
    sale = await api.getFlashSale(params.id ?? "");
  } catch (error) {
    if (error instanceof ApiUnavailableError) return problem("unavailable", 503, typed);
    throw error;
  }
  const order = salePageOrder(
    typed,
    { productId: sale.product.id, saleUnitId: sale.saleUnit.id },
    { flashSaleId: sale.id },
  );
  if (!order.ok) return problem("checkFields", 400, typed, order.fields);
  try {
    const placed = await api.createOrder(order.body, formKey(form));
    return afterOrderPlaced(request, placed, order.body.fulfilment);
  } catch (error) {
    if (error instanceof ApiError && error.code === "OUT_OF_STOCK") return problem("soldOut", 409, typed);
    if (error instanceof ApiError && error.code === "FLASH_SALE_NOT_LIVE")
      return problem("notLive", 409, typed);
    if (error instanceof ApiError && error.code === "FLASH_SALE_LIMIT") {
      const d = (error.details ?? {}) as { limit?: number; already?: number };
      return problem("limit", 409, typed, { quantity: "items" }, d);
    }
    const common = placementProblem(error);
    if (common) return problem(common.problem, common.status, typed, common.fields);
    throw error;
  }
}

type OwnProblem = keyof Catalog["flashSale"]["problems"];
const OWN_PROBLEMS: Record<OwnProblem, true> = { notLive: true, limit: true, soldOut: true };

/** A live-stream flash sale: countdown, price, what is left, and a one-step order for pickup. */
export default function FlashSalePage() {
  const { sale, points, pointId, methods, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const { t, i18n } = useTranslation();
  // At the countdown's end the page asks for the sale again: it is live (or over) now.
  const refresh = useCallback(() => revalidator.revalidate(), [revalidator]);
  const typed = result?.typed;
  const fields: Fields = result?.fields ?? {};
  const submitting = navigation.state === "submitting";
  const soldOut = sale.left === 0;
  const canBuy = sale.state === "live" && !soldOut;
  const method = typed?.paymentMethod ?? (methods.includes("cash_on_pickup") ? "cash_on_pickup" : methods[0]);
  const choosePoint = typed?.servicePointId ?? pointId;

  return (
    <div className="flash-sale">
      <p className="flash-badge">{t("flashSale.badge")}</p>
      <h1>{localized(sale.title, i18n.language)}</h1>
      <ProductPhoto
        photo={sale.product.photo}
        name={sale.product.name}
        sizes="(max-width: 640px) 100vw, 640px"
        priority
      />
      <p className="flash-product">
        {localized(sale.product.name, i18n.language)} · {localized(sale.saleUnit.label, i18n.language)}
      </p>
      <p className="flash-price">
        <span className="flash-price-now" data-testid="flash-price">
          <Money fen={sale.priceFen} />
        </span>{" "}
        <span className="flash-price-was">
          {t("flashSale.regularPrice")}{" "}
          <s>
            <Money fen={sale.regularPriceFen} />
          </s>
        </span>
      </p>
      <p className="flash-clock" aria-live="polite">
        {sale.state === "upcoming" ? (
          <>
            {t("flashSale.startsIn")}{" "}
            <Countdown to={sale.startsAt} serverTime={sale.serverTime} onZero={refresh} />
          </>
        ) : sale.state === "live" ? (
          <>
            {t("flashSale.endsIn")}{" "}
            <Countdown to={sale.endsAt} serverTime={sale.serverTime} onZero={refresh} />
          </>
        ) : (
          t("flashSale.ended")
        )}
      </p>
      <p className="flash-left" data-testid="flash-left">
        {soldOut ? t("flashSale.soldOut") : t("flashSale.left", { left: sale.left, quantity: sale.quantity })}
      </p>
      <meter className="flash-meter" min={0} max={sale.quantity} value={sale.left} aria-hidden="true" />
      <p className="field-hint">{t("flashSale.limit", { limit: sale.perBuyerLimit })}</p>
      <p className="field-hint">{t("flashSale.terms")}</p>

      {result?.problem ? (
        <p className="alert" role="alert" id="sale-problem">
          {result.problem in OWN_PROBLEMS
            ? t(`flashSale.problems.${result.problem as OwnProblem}`, result.detail)
            : t(`checkout.problems.${result.problem as PlacementProblem}`)}
        </p>
      ) : null}

      {sale.state === "ended" ? null : (
        <Form
          method="post"
          className="form"
          key={result?.idempotencyKey ?? "first"}
          aria-describedby={result?.problem ? "sale-problem" : undefined}
        >
          <FormKey value={result?.idempotencyKey ?? idempotencyKey} />
          <h2 className="section-title">{t("flashSale.buyTitle")}</h2>
          <div className="field">
            <label htmlFor="quantity" className="field-label">
              {t("flashSale.quantity")}
            </label>
            <select
              id="quantity"
              name="quantity"
              defaultValue={typed?.quantity ?? "1"}
              aria-describedby="quantity-error"
            >
              {Array.from({ length: Math.min(sale.perBuyerLimit, 10) }, (_, i) => i + 1).map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
            <OrderFieldProblemText id="quantity-error" problem={fields.quantity} />
          </div>
          <ContactFields typed={typed} fields={fields} />
          <PointChoices points={points} chosen={choosePoint} problem={fields.servicePointId} />
          <PaymentChoices methods={methods} chosen={method} problem={fields.paymentMethod} />
          <button
            type="submit"
            className="button button-primary button-block button-big"
            disabled={!canBuy || submitting}
          >
            {submitting
              ? t("flashSale.buying")
              : canBuy
                ? t("flashSale.buy")
                : soldOut
                  ? t("flashSale.soldOut")
                  : t("flashSale.notYet")}
          </button>
        </Form>
      )}
    </div>
  );
}
