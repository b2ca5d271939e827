import { type BaseUnit, formatFen } from "@coop/shared";
import { useTranslation } from "react-i18next";
import { localized } from "../../i18n";
import { Money } from "../Money";
import { SaleUnitsQuantity } from "./SaleUnitsQuantity";

export interface LineView {
  id: string;
  name: { zh: string; en: string };
  unit: BaseUnit;
  quantity: number;
  /** Price of one sale unit when saleUnit is given, else of one base unit. */
  unitPriceFen: number;
  lineTotalFen: number;
  /** The sale unit bought (null: an order from before sale units, priced per base unit). */
  saleUnit?: { label: { zh: string; en: string } } | null;
  units?: number;
}

/** The goods of an order or a cart: name, how much, the unit price and the line's amount. */
export function OrderLines({
  lines,
  note,
}: {
  lines: readonly LineView[];
  note?: (line: LineView) => string;
}) {
  const { t, i18n } = useTranslation();
  return (
    <ul className="order-lines">
      {lines.map((line) => (
        <li key={line.id} className="order-line" data-product-id={line.id}>
          <div className="order-line-head">
            <span className="order-line-name">{localized(line.name, i18n.language)}</span>
            <span className="order-line-total">
              <Money fen={line.lineTotalFen} />
            </span>
          </div>
          <div className="order-line-detail">
            <SaleUnitsQuantity
              quantity={line.quantity}
              unit={line.unit}
              saleUnit={line.saleUnit}
              units={line.units}
            />
            <span className="muted">
              {" × "}
              {line.saleUnit ? (
                <span className="money" data-fen={line.unitPriceFen}>
                  {formatFen(line.unitPriceFen)}
                  {t("price.perUnit", { unitName: localized(line.saleUnit.label, i18n.language) })}
                </span>
              ) : (
                <Money fen={line.unitPriceFen} per={line.unit} />
              )}
            </span>
          </div>
          {note ? <p className="order-line-note muted">{note(line)}</p> : null}
        </li>
      ))}
    </ul>
  );
}

/** Goods total, delivery fee and the total, the total large. */
export function OrderTotals({
  subtotalFen,
  deliveryFeeFen,
  totalFen,
  labels,
}: {
  subtotalFen: number;
  deliveryFeeFen: number | null;
  totalFen: number;
  labels: { subtotal: string; deliveryFee: string; total: string };
}) {
  return (
    <dl className="totals">
      {deliveryFeeFen !== null ? (
        <>
          <div className="totals-row">
            <dt>{labels.subtotal}</dt>
            <dd>
              <Money fen={subtotalFen} />
            </dd>
          </div>
          <div className="totals-row">
            <dt>{labels.deliveryFee}</dt>
            <dd>
              <Money fen={deliveryFeeFen} />
            </dd>
          </div>
        </>
      ) : null}
      <div className="totals-row totals-grand">
        <dt>{labels.total}</dt>
        <dd data-testid="order-total">
          <Money fen={totalFen} />
        </dd>
      </div>
    </dl>
  );
}
