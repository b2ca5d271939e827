import { PRODUCT_PHOTO_EXTENSIONS, type ProductPhotoFormat } from "@coop/shared";
import type { ProductPhoto as Photo } from "@coop/shared/contract";
import { useTranslation } from "react-i18next";
import { localized } from "../i18n";

/** A variant's address on the shop's own origin (routes/product-photos.$id.$file.tsx proxies the API). */
export function productPhotoUrl(id: string, width: number, format: ProductPhotoFormat) {
  return `/product-photos/${encodeURIComponent(id)}/${width}.${PRODUCT_PHOTO_EXTENSIONS[format]}`;
}

function srcSet(photo: Photo, format: ProductPhotoFormat) {
  return photo.widths.map((w) => `${productPhotoUrl(photo.id, w, format)} ${w}w`).join(", ");
}

/**
 * A product photo with no script of its own: <picture> offers AVIF, then WebP, then JPEG, each at every
 * width the API made, and the browser picks by `sizes` and the screen's density. width/height give the box
 * its shape before the image arrives, so nothing below it moves. Lazy unless `priority` (the product page's
 * main image: eager, fetched first). No photo: a plain box of the same shape saying so.
 */
export function ProductPhoto({
  photo,
  name,
  sizes,
  priority = false,
  className = "product-photo",
}: {
  photo: Photo | null | undefined;
  /** The product's names: the alt text when the photo has none of its own. */
  name: { zh: string; en: string };
  sizes: string;
  priority?: boolean;
  className?: string;
}) {
  const { t, i18n } = useTranslation();
  if (!photo) {
    return (
      <span className={`${className} product-photo-none`} role="img" aria-label={t("photo.none")}>
        <span aria-hidden="true">{t("photo.none")}</span>
      </span>
    );
  }
  // The fallback <img src>: the JPEG nearest 640 px wide without going over, else the smallest.
  const fallback = [...photo.widths].reverse().find((w) => w <= 640) ?? photo.widths[0] ?? photo.width;
  return (
    <picture className={className}>
      <source type="image/avif" srcSet={srcSet(photo, "avif")} sizes={sizes} />
      <source type="image/webp" srcSet={srcSet(photo, "webp")} sizes={sizes} />
      <img
        src={productPhotoUrl(photo.id, fallback, "jpeg")}
        srcSet={srcSet(photo, "jpeg")}
        sizes={sizes}
        width={photo.width}
        height={photo.height}
        alt={localized(photo.alt ?? name, i18n.language)}
        loading={priority ? "eager" : "lazy"}
        decoding={priority ? "auto" : "async"}
        // React 18 does not know fetchPriority yet: lower-case passes through to the HTML as it is.
        {...(priority ? { fetchpriority: "high" } : {})}
      />
    </picture>
  );
}

/** The villagers who agreed to be named, whose produce is on sale now ("who made this"). */
export function Producers({ producers }: { producers: Array<{ name: string; village: string | null }> }) {
  const { t } = useTranslation();
  if (producers.length === 0) return null;
  return (
    <section aria-labelledby="producers-title" className="producers">
      <h2 id="producers-title">{t("photo.producers")}</h2>
      <ul className="producer-list">
        {producers.map((p) => (
          <li key={`${p.name}-${p.village ?? ""}`}>
            {p.village ? t("photo.producerFrom", { name: p.name, village: p.village }) : p.name}
          </li>
        ))}
      </ul>
    </section>
  );
}
