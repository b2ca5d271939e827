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
import { formatDate, formatDateTime } from "../lib/dates";
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

/** The campaign's own refusals (campaign.problems.*) or those every order shares (checkout.problems.*). */
type OwnProblem = keyof Catalog["campaign"]["problems"];
type CampaignProblem = OwnProblem | PlacementProblem;
type Fields = SalePageFields;
const problem = salePageProblem<CampaignProblem>;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const api = getApi(context, request);
  const [t, campaign, place, options] = await Promise.all([
    getT(request),
    api.getCampaign(params.id ?? ""),
    buyerPlace(api, request),
    api.checkoutOptions(),
  ]).catch(apiFailure);
  return {
    title: `${t("campaign.badge")} · ${localized(campaign.title, "zh")}`,
    campaign,
    ...salePagePoints(place),
    // What a buyer may use (never a villager's earnings): in full online now, or cash when collected.
    methods: options.paymentMethods,
    idempotencyKey: newFormKey(),
  };
}

/** One step: the campaign's one item, collected at a point, with the form's Idempotency-Key. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const typed = readSalePageForm(form);
  const api = getApi(context, request);
  let campaign: Awaited<ReturnType<typeof api.getCampaign>>;
  try {
    campaign = await api.getCampaign(params.id ?? "");
  } catch (error) {
    if (error instanceof ApiUnavailableError) return problem("unavailable", 503, typed);
    throw error;
  }
  const order = salePageOrder(
    typed,
    { productId: campaign.product.id, saleUnitId: campaign.saleUnit.id },
    { campaignId: campaign.id },
  );
  if (!order.ok) return problem("checkFields", 400, typed, order.fields);
  try {
    const placed = await api.createOrder(order.body, formKey(form));
    return afterOrderPlaced(request, placed, order.body.fulfilment);
  } catch (error) {
    if (error instanceof ApiError) {
      const d = (error.details ?? {}) as { limit?: number; already?: number };
      if (error.code === "OUT_OF_STOCK") return problem("full", 409, typed);
      if (error.code === "CAMPAIGN_NOT_OPEN") return problem("notOpen", 409, typed);
      if (error.code === "CAMPAIGN_ORDER_LIMIT")
        return problem("orderLimit", 409, typed, { quantity: "items" }, d);
      if (error.code === "CAMPAIGN_BUYER_LIMIT")
        return problem("buyerLimit", 409, typed, { quantity: "items" }, d);
    }
    const common = placementProblem(error);
    if (common) return problem(common.problem, common.status, typed, common.fields);
    throw error;
  }
}

const OWN_PROBLEMS: Record<OwnProblem, true> = {
  notOpen: true,
  orderLimit: true,
  buyerLimit: true,
  full: true,
};

/**
 * A harvest campaign (订单农业): what is pre-ordered, at what price, how much is left of what villagers
 * pledged, when the harvest is expected, how it is paid and what happens if the harvest falls short — all
 * before the buyer pays — and a one-step pre-order for pickup.
 */
export default function CampaignPage() {
  const { campaign, points, pointId, methods, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const refresh = useCallback(() => revalidator.revalidate(), [revalidator]);
  const typed = result?.typed;
  const fields: Fields = result?.fields ?? {};
  const submitting = navigation.state === "submitting";
  const full = campaign.left === 0;
  const canOrder = campaign.state === "open" && !full;
  const method = typed?.paymentMethod ?? (methods.includes("cash_on_pickup") ? "cash_on_pickup" : methods[0]);
  const most = Math.min(campaign.perOrderLimit, Math.max(campaign.left, 1), 10);
  const reachable = Math.min(campaign.capUnits, campaign.pledgedUnits);
  const unit = localized(campaign.saleUnit.label, lang);

  return (
    <div className="flash-sale campaign">
      <p className="campaign-badge">{t("campaign.badge")}</p>
      <h1>{localized(campaign.title, lang)}</h1>
      <ProductPhoto
        photo={campaign.product.photo}
        name={campaign.product.name}
        sizes="(max-width: 640px) 100vw, 640px"
        priority
      />
      <p className="flash-product">
        {localized(campaign.product.name, lang)} · {unit}
      </p>
      <p className="flash-price">
        <span className="campaign-price" data-testid="campaign-price">
          <Money fen={campaign.priceFen} />
        </span>{" "}
        <span className="flash-price-was">{t("campaign.perUnit", { unit })}</span>
      </p>
      <dl className="campaign-facts">
        <dt>{t("campaign.harvest")}</dt>
        <dd data-testid="campaign-harvest">
          {t("campaign.harvestWindow", {
            from: formatDate(campaign.harvestFrom, lang),
            to: formatDate(campaign.harvestTo, lang),
          })}
        </dd>
        <dt>{t("campaign.orderBy")}</dt>
        <dd>{formatDateTime(campaign.closesAt, lang)}</dd>
        <dt>{t("campaign.leftTitle")}</dt>
        <dd className="flash-left" data-testid="campaign-left">
          {full ? t("campaign.full") : t("campaign.left", { left: campaign.left, pledged: reachable, unit })}
        </dd>
      </dl>
      <meter
        className="flash-meter"
        min={0}
        max={Math.max(reachable, 1)}
        value={campaign.reservedUnits}
        aria-hidden="true"
      />
      <p className="flash-clock" aria-live="polite">
        {campaign.state === "upcoming" ? (
          <>
            {t("campaign.opensIn")}{" "}
            <Countdown to={campaign.opensAt} serverTime={campaign.serverTime} onZero={refresh} />
          </>
        ) : campaign.state === "open" ? (
          <>
            {t("campaign.closesIn")}{" "}
            <Countdown to={campaign.closesAt} serverTime={campaign.serverTime} onZero={refresh} />
          </>
        ) : (
          t(`campaign.state.${campaign.state}`)
        )}
      </p>

      <section className="campaign-terms" aria-labelledby="campaign-terms-title">
        <h2 id="campaign-terms-title" className="section-title">
          {t("campaign.termsTitle")}
        </h2>
        <ul>
          <li>{t("campaign.termsPay")}</li>
          <li>{t("campaign.termsOrder")}</li>
          <li data-testid="campaign-shortfall">{t("campaign.termsShort")}</li>
          <li>
            {t("campaign.limits", {
              perOrder: campaign.perOrderLimit,
              perBuyer: campaign.perBuyerLimit,
              unit,
            })}
          </li>
        </ul>
      </section>

      {result?.problem ? (
        <p className="alert" role="alert" id="campaign-problem">
          {result.problem in OWN_PROBLEMS
            ? t(`campaign.problems.${result.problem as OwnProblem}`, { ...result.detail, unit })
            : t(`checkout.problems.${result.problem as PlacementProblem}`)}
        </p>
      ) : null}

      {campaign.state === "upcoming" || campaign.state === "open" ? (
        <Form
          method="post"
          className="form"
          key={result?.idempotencyKey ?? "first"}
          aria-describedby={result?.problem ? "campaign-problem" : undefined}
        >
          <FormKey value={result?.idempotencyKey ?? idempotencyKey} />
          <h2 className="section-title">{t("campaign.orderTitle")}</h2>
          <div className="field">
            <label htmlFor="quantity" className="field-label">
              {t("campaign.quantity", { unit })}
            </label>
            <select
              id="quantity"
              name="quantity"
              defaultValue={typed?.quantity ?? "1"}
              aria-describedby="quantity-error"
            >
              {Array.from({ length: most }, (_, i) => i + 1).map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
            <OrderFieldProblemText id="quantity-error" problem={fields.quantity} />
          </div>
          <ContactFields typed={typed} fields={fields} />
          <PointChoices
            points={points}
            chosen={typed?.servicePointId ?? pointId}
            problem={fields.servicePointId}
          />
          <PaymentChoices
            methods={methods}
            chosen={method}
            problem={fields.paymentMethod}
            hintOf={(m) => (m === "cash_on_pickup" ? t("campaign.payCash") : t("campaign.payOnline"))}
          />
          <button
            type="submit"
            className="button button-primary button-block button-big"
            disabled={!canOrder || submitting}
          >
            {submitting
              ? t("campaign.ordering")
              : canOrder
                ? t("campaign.order")
                : full
                  ? t("campaign.full")
                  : t("campaign.notYet")}
          </button>
        </Form>
      ) : null}
    </div>
  );
}
