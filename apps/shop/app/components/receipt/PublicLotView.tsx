import type { PublicLot } from "@coop/shared/receipt";
import { useTranslation } from "react-i18next";
import { localized } from "../../i18n";
import { formatDate, formatDateTime } from "../../lib/dates";
import { quantityLine } from "../../lib/quantity-text";
import { Money } from "../Money";

function Facts({ lot }: { lot: PublicLot }) {
  const { t, i18n } = useTranslation();
  const rows: Array<[string, string]> = [
    [t("publicLot.villager"), lot.villager],
    [t("publicLot.product"), localized(lot.product, i18n.language)],
    [t("publicLot.quantity"), quantityLine(lot.quantityReceived, lot.unit, t)],
    [
      t("publicLot.grade"),
      lot.grade ? t("publicLot.gradeN", { grade: lot.grade }) : t("publicLot.gradeNone"),
    ],
    [
      t("publicLot.qc"),
      lot.qcPassed ? t("publicLot.qcPassed") : t("publicLot.qcFailed", { reason: lot.qcReason ?? "—" }),
    ],
    [t("publicLot.takenInAt"), formatDateTime(lot.takenInAt, i18n.language)],
    [t("publicLot.servicePoint"), localized(lot.servicePoint, i18n.language)],
  ];
  if (lot.bestBefore)
    rows.splice(4, 0, [t("publicLot.bestBefore"), formatDate(lot.bestBefore, i18n.language)]);
  return (
    <dl className="public-lot-facts">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The villager's page of one lot, in large type: the lot number first, then where the goods are. */
export function PublicLotView({ lot }: { lot: PublicLot }) {
  const { t, i18n } = useTranslation();
  const rejected = lot.place === "rejected";
  return (
    <article className="public-lot" aria-labelledby="public-lot-title">
      <h1 id="public-lot-title">{t("publicLot.heading")}</h1>
      <p className="public-lot-no-label">{t("publicLot.lotNo")}</p>
      <p className="public-lot-no" data-testid="lot-no">
        {lot.lotNo}
      </p>
      <p className="public-lot-place" data-place={lot.place} data-testid="lot-place">
        {t(`publicLot.place.${lot.place}`)}
      </p>
      <Facts lot={lot} />

      {rejected ? (
        <p className="notice">{t("publicLot.rejectedNote")}</p>
      ) : (
        <>
          <section aria-labelledby="sold-title">
            <h2 id="sold-title">{t("publicLot.soldTitle")}</h2>
            <p>
              {t("publicLot.soldSummary", {
                sold: quantityLine(lot.soldQuantity, lot.unit, t),
                left: quantityLine(lot.onHand, lot.unit, t),
              })}
            </p>
            {lot.returnedQuantity > 0 ? (
              <p>{t("publicLot.returned", { quantity: quantityLine(lot.returnedQuantity, lot.unit, t) })}</p>
            ) : null}
            {lot.sales.length > 0 ? (
              <ul className="public-lot-lines">
                {lot.sales.map((sale, index) => (
                  <li key={`${sale.at}-${index}`}>
                    {t("publicLot.saleLine", {
                      date: formatDate(sale.at, i18n.language),
                      quantity: quantityLine(sale.quantity, lot.unit, t),
                    })}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">{t("publicLot.nothingSold")}</p>
            )}
          </section>

          <section aria-labelledby="earned-title">
            <h2 id="earned-title">{t("publicLot.earnedTitle")}</h2>
            <p className="public-lot-earned" data-testid="earned">
              <Money fen={lot.earnedFen} />
            </p>
            <p className="muted">{t("publicLot.earnedHint")}</p>
            {lot.earnings.length > 0 ? (
              <ul className="public-lot-lines">
                {lot.earnings.map((line, index) => (
                  <li key={`${line.at}-${index}`}>
                    <span>{formatDate(line.at, i18n.language)} </span>
                    <span>{t(`publicLot.earningKind.${line.kind}`)} </span>
                    <strong>
                      <Money fen={line.amountFen} />
                    </strong>
                    {line.grossFen !== null && line.commissionFen !== null ? (
                      <span className="muted">
                        {" "}
                        {t("publicLot.gross")} <Money fen={line.grossFen} /> {t("publicLot.commission")}{" "}
                        <Money fen={line.commissionFen} />
                      </span>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : null}
          </section>
        </>
      )}
      <p className="muted">{t("publicLot.privacy")}</p>
    </article>
  );
}
