import type { BuyerPaymentMethod } from "@coop/shared";
import type { LocalizedText } from "@coop/shared/contract";
import { useTranslation } from "react-i18next";
import { localized } from "../../i18n";
import type { CommonCatalog as Catalog } from "../../locales/common.zh-CN";

/** What is wrong with one box of an order form (catalog keys checkout.fields.*). */
export type OrderFieldProblem = keyof Catalog["checkout"]["fields"];

/** The note under a box of an order form, when something is wrong with it. */
export function OrderFieldProblemText({
  id,
  problem,
}: {
  id: string;
  problem?: OrderFieldProblem | undefined;
}) {
  const { t } = useTranslation();
  if (!problem) return null;
  return (
    <p className="field-error" id={id}>
      {t(`checkout.fields.${problem}`)}
    </p>
  );
}

/** The buyer's name and phone, as the checkout and the sale page ask for them. */
export function ContactFields({
  typed,
  fields,
}: {
  typed?: { name: string; phone: string } | undefined;
  fields: { name?: OrderFieldProblem | undefined; phone?: OrderFieldProblem | undefined };
}) {
  const { t } = useTranslation();
  return (
    <>
      <div className="field">
        <label htmlFor="name" className="field-label">
          {t("checkout.name")}
        </label>
        <input
          id="name"
          name="name"
          type="text"
          required
          maxLength={40}
          autoComplete="name"
          defaultValue={typed?.name ?? ""}
          aria-invalid={fields.name ? true : undefined}
          aria-describedby="name-error"
        />
        <OrderFieldProblemText id="name-error" problem={fields.name} />
      </div>
      <div className="field">
        <label htmlFor="phone" className="field-label">
          {t("checkout.phone")}
        </label>
        <input
          id="phone"
          name="phone"
          type="tel"
          inputMode="numeric"
          required
          maxLength={20}
          autoComplete="tel-national"
          defaultValue={typed?.phone ?? ""}
          aria-invalid={fields.phone ? true : undefined}
          aria-describedby="phone-hint phone-error"
        />
        <p className="field-hint" id="phone-hint">
          {t("checkout.phoneHint")}
        </p>
        <OrderFieldProblemText id="phone-error" problem={fields.phone} />
      </div>
    </>
  );
}

interface PointChoice {
  id: string;
  name: LocalizedText;
  village: string;
  address?: string | null | undefined;
  openingHours?: string | null | undefined;
}

/** The service points to pick up at, one radio each with its village, address and opening hours. */
export function PointChoices({
  points,
  chosen,
  problem,
  className = "field",
}: {
  points: readonly PointChoice[];
  chosen: string;
  problem?: OrderFieldProblem | undefined;
  className?: string;
}) {
  const { t, i18n } = useTranslation();
  return (
    <fieldset className={className}>
      <legend className="field-label">{t("checkout.servicePoint")}</legend>
      <div className="choice-list" aria-describedby="servicePointId-error">
        {points.map((point) => (
          <label key={point.id} className="choice">
            <input type="radio" name="servicePointId" value={point.id} defaultChecked={chosen === point.id} />
            <span className="choice-body">
              <span className="choice-title">{localized(point.name, i18n.language)}</span>
              <span className="choice-hint">
                {point.address ? `${point.village} · ${point.address}` : point.village}
              </span>
              {point.openingHours ? <span className="choice-hint">{point.openingHours}</span> : null}
            </span>
          </label>
        ))}
      </div>
      <OrderFieldProblemText id="servicePointId-error" problem={problem} />
    </fieldset>
  );
}

/** How the buyer pays, one radio each, with an optional plain-words note under a method. */
export function PaymentChoices({
  methods,
  chosen,
  problem,
  hintOf,
}: {
  methods: readonly BuyerPaymentMethod[];
  chosen: string | undefined;
  problem?: OrderFieldProblem | undefined;
  hintOf?: (method: BuyerPaymentMethod) => string;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="field">
      <legend className="field-label">{t("checkout.paymentTitle")}</legend>
      <div className="choice-list">
        {methods.map((option) => (
          <label key={option} className="choice">
            <input type="radio" name="paymentMethod" value={option} defaultChecked={chosen === option} />
            <span className="choice-body">
              <span className="choice-title">{t(`paymentMethod.${option}`)}</span>
              {hintOf ? <span className="choice-hint">{hintOf(option)}</span> : null}
            </span>
          </label>
        ))}
      </div>
      <OrderFieldProblemText id="paymentMethod-error" problem={problem} />
    </fieldset>
  );
}
