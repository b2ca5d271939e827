import type { AdminProductPhoto } from "@coop/shared/contract";
import { Form, useNavigation } from "@remix-run/react";
import type { PhotoProblem } from "../../lib/product-photos.server";
import { useStaffTranslation } from "../../staff-i18n";
import { ProductPhoto } from "../ProductPhoto";
import { FormKey } from "./FormBits";

/**
 * The admin's photos of one product: each in its order (the first is the main photo) with "make main" and
 * "remove", and an upload form that offers a phone's camera or its photos (no `capture`: the phone asks).
 * Plain forms, no script: they work on any phone and on a slow line.
 */
export function ProductPhotosEditor({
  photos,
  name,
  uploadKey,
  problem,
  saved,
}: {
  photos: AdminProductPhoto[];
  name: { zh: string; en: string };
  uploadKey: string;
  problem: PhotoProblem | null;
  saved: boolean;
}) {
  const { t } = useStaffTranslation();
  const submitting = useNavigation().state === "submitting";
  const order = photos.map((p) => p.id).join(",");
  return (
    <section aria-labelledby="photos-title" className="admin-photos">
      <h2 id="photos-title">{t("productPhotos.title")}</h2>
      <p className="field-hint">{t("productPhotos.hint")}</p>
      {problem ? (
        <p className="alert" role="alert">
          {t(`productPhotos.problems.${problem}`)}
        </p>
      ) : saved ? (
        <p className="notice notice-info" role="status">
          {t("productPhotos.saved")}
        </p>
      ) : null}
      {photos.length === 0 ? <p className="muted">{t("productPhotos.empty")}</p> : null}
      <ol className="admin-photo-list">
        {photos.map((photo, i) => (
          <li key={photo.id} className="card admin-photo" data-testid="admin-photo">
            <ProductPhoto photo={photo} name={name} sizes="8rem" className="admin-photo-image" />
            <span className="card-title">
              {t("productPhotos.number", { n: i + 1 })}
              {i === 0 ? <span className="badge"> {t("productPhotos.main")}</span> : null}
            </span>
            <Form method="post" className="button-stack">
              <input type="hidden" name="photoId" value={photo.id} />
              <input type="hidden" name="photoOrder" value={order} />
              {i > 0 ? (
                <button
                  type="submit"
                  name="intent"
                  value="photoMain"
                  className="button button-secondary"
                  disabled={submitting}
                >
                  {t("productPhotos.makeMain")}
                </button>
              ) : null}
              <button
                type="submit"
                name="intent"
                value="photoRemove"
                className="button button-quiet"
                disabled={submitting}
              >
                {t("productPhotos.remove")}
              </button>
            </Form>
          </li>
        ))}
      </ol>
      <Form method="post" encType="multipart/form-data" className="form">
        <FormKey value={uploadKey} />
        <div className="field">
          <label htmlFor="photo" className="field-label">
            {t("productPhotos.file")}
          </label>
          <input id="photo" name="photo" type="file" required accept="image/jpeg,image/png,image/webp" />
        </div>
        <div className="field">
          <label htmlFor="altZh" className="field-label">
            {t("productPhotos.altZh")}
          </label>
          <input id="altZh" name="altZh" type="text" maxLength={200} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="altEn" className="field-label">
            {t("productPhotos.altEn")}
          </label>
          <input id="altEn" name="altEn" type="text" maxLength={300} autoComplete="off" />
        </div>
        <button
          type="submit"
          name="intent"
          value="photoUpload"
          className="button button-primary button-block"
          disabled={submitting}
        >
          {t("productPhotos.upload")}
        </button>
      </Form>
    </section>
  );
}
