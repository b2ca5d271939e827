import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { localized } from "../i18n";
import type { CatalogItem } from "../lib/api.server";
import type { PlaceView } from "../lib/place";
import { Availability } from "./Availability";
import { Money } from "./Money";
import { ProductPhoto } from "./ProductPhoto";
import { UnitPrice } from "./UnitPrice";

/** One product in a list: the whole card is the link (a big target for a thumb). */
export function ProductCard({
  product,
  showKind = true,
  place,
}: {
  product: CatalogItem;
  showKind?: boolean;
  /** The buyer's place, when the list was counted for it. */
  place?: PlaceView | undefined;
}) {
  const { t, i18n } = useTranslation();
  return (
    <li className="product-card">
      <Link to={`/products/${encodeURIComponent(product.id)}`} className="product-card-link">
        <ProductPhoto
          photo={product.photo}
          name={product.name}
          sizes="5.5rem"
          className="product-card-photo"
        />
        {showKind ? <span className="product-card-kind">{t(`kinds.${product.kind}`)}</span> : null}
        <span className="product-card-name">{localized(product.name, i18n.language)}</span>
        <span className="product-card-price">
          {product.saleUnits?.[0] ? (
            <UnitPrice unit={product.saleUnits[0]} base={product.unit} />
          ) : (
            <Money fen={product.priceFen} per={product.unit} />
          )}
        </span>
        <Availability available={product.available} unit={product.unit} place={place} />
      </Link>
    </li>
  );
}
