import { bestBeforeProblem, LOT_GRADES, MAX_LOT_QUANTITY } from "@coop/shared";
import { type FormEvent, useState } from "react";
import { localized } from "../../i18n";
import { chinaToday } from "../../lib/dates";
import type { CachedProduct, IntakePayload } from "../../lib/offline/db";
import { MAX_PHOTO_BYTES, PHOTO_TYPES } from "../../lib/photos";
import { fromBaseQuantity, inputUnitsFor, isInputUnit, toBaseQuantity } from "../../lib/quantity";
import { useStaffTranslation } from "../../staff-i18n";
import { Money } from "../Money";
import { FieldError } from "../staff/FormBits";
import { QuantityField } from "../staff/QuantityField";

const GRADES = LOT_GRADES;
type Field = "quantity" | "bestBefore" | "qcReason" | "photo";
type Problem = "required" | "quantity" | "invalid" | "dateInPast" | "photoType" | "photoTooLarge";

export type IntakeEntry = Pick<IntakePayload, "quantity" | "grade" | "bestBefore" | "qc">;

/** Which product the villager brought: produce on sale, from the phone's copy of the catalog. */
export function ProductPicker({
  products,
  villagerName,
  onPick,
}: {
  products: CachedProduct[];
  villagerName: string;
  onPick: (product: CachedProduct) => void;
}) {
  const { t, i18n } = useStaffTranslation();
  return (
    <section aria-labelledby="picker-title">
      <h2 id="picker-title">{t("intake.pickProduct", { name: villagerName })}</h2>
      {products.length === 0 ? <p className="notice">{t("offline.intake.noProducts")}</p> : null}
      <ul className="card-list product-picker">
        {products.map((product) => (
          <li key={product.id}>
            <button type="button" className="card-link offline-card-button" onClick={() => onPick(product)}>
              <span className="card-title">{localized(product.name, i18n.language)}</span>
              <span className="muted">
                {t("intake.soldBy", { unitName: t(`quantity.soldBy.${product.unit}`) })} ·{" "}
                <Money fen={product.priceFen} per={product.unit} />
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * Quantity (the big keypad), grade, best-before, quality check, photos. Checked here as the API would check
 * it, so an entry saved offline is not refused days later for a typo.
 */
export function IntakeForm({
  product,
  villagerName,
  onSave,
  onChangeProduct,
  initial,
  submitLabel,
  pledged = false,
}: {
  product: CachedProduct;
  villagerName: string;
  /** The lot delivers on the villager's harvest-campaign pledge (said on the screen). */
  pledged?: boolean;
  onSave: (entry: IntakeEntry, photos: Blob[]) => Promise<void>;
  /** Absent when correcting a refused entry: its product stays. */
  onChangeProduct?: () => void;
  /** A refused entry being corrected. */
  initial?: IntakeEntry;
  submitLabel?: string;
}) {
  const { t, i18n } = useStaffTranslation();
  const [fields, setFields] = useState<Partial<Record<Field, Problem>>>({});
  const [failed, setFailed] = useState(initial ? !initial.qc.passed : false);
  const firstUnit = inputUnitsFor(product.unit)[0] ?? product.unit;
  const initialQuantity = initial ? fromBaseQuantity(initial.quantity, firstUnit) : "";
  const [saving, setSaving] = useState(false);
  const today = chinaToday();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const problems: Partial<Record<Field, Problem>> = {};
    const inputUnit = form.get("inputUnit");
    const typedQuantity = String(form.get("quantity") ?? "").trim();
    const quantity = isInputUnit(inputUnit, product.unit) ? toBaseQuantity(typedQuantity, inputUnit) : null;
    if (quantity === null || quantity <= 0 || quantity > MAX_LOT_QUANTITY) {
      problems.quantity = typedQuantity ? "quantity" : "required";
    }
    const grade = String(form.get("grade") ?? "");
    const bestBefore = String(form.get("bestBefore") ?? "");
    const passed = form.get("qc") !== "fail";
    // The API's own rule (@coop/shared intake-rules.ts): required for perishables that pass the check.
    const bestBeforeIssue = bestBeforeProblem({
      perishable: product.perishable,
      qcPassed: passed,
      bestBefore,
      today,
    });
    if (bestBeforeIssue) problems.bestBefore = bestBeforeIssue;
    const reason = String(form.get("qcReason") ?? "")
      .trim()
      .slice(0, 200);
    if (!passed && !reason) problems.qcReason = "required";
    const photos = form
      .getAll("photo")
      .filter((value): value is File => value instanceof File && value.size > 0);
    if (photos.some((photo) => !PHOTO_TYPES.includes(photo.type))) problems.photo = "photoType";
    else if (photos.some((photo) => photo.size > MAX_PHOTO_BYTES)) problems.photo = "photoTooLarge";
    setFields(problems);
    if (Object.keys(problems).length > 0 || quantity === null) return;

    setSaving(true);
    try {
      await onSave(
        {
          quantity,
          grade: (GRADES as readonly string[]).includes(grade) ? (grade as IntakeEntry["grade"]) : undefined,
          bestBefore: bestBefore || undefined,
          qc: passed ? { passed: true } : { passed: false, reason },
        },
        photos,
      );
    } finally {
      setSaving(false);
    }
  }

  return (
    <section aria-labelledby="intake-form-title">
      <h2 id="intake-form-title" className="offline-hidden">
        {t("intake.title")}
      </h2>
      <dl className="facts">
        <div className="fact">
          <dt>{t("intake.villager")}</dt>
          <dd className="fact-strong">{villagerName}</dd>
        </div>
        <div className="fact">
          <dt>{t("intake.product")}</dt>
          <dd className="fact-strong">
            {localized(product.name, i18n.language)}{" "}
            {onChangeProduct ? (
              <button type="button" className="inline-link button-link" onClick={onChangeProduct}>
                {t("intake.changeProduct")}
              </button>
            ) : null}
          </dd>
        </div>
      </dl>
      {pledged ? (
        <p className="notice notice-info" data-testid="intake-pledge">
          {t("intake.pledged")}
        </p>
      ) : null}
      <form className="form intake-form" onSubmit={submit} noValidate>
        <QuantityField
          unit={product.unit}
          defaultValue={initialQuantity}
          error={Boolean(fields.quantity)}
          errorId="quantity-error"
        />
        <FieldError id="quantity-error" problem={fields.quantity} />

        <fieldset className="field">
          <legend className="field-label">{t("intake.grade")}</legend>
          <div className="segmented segmented-grid">
            {["", ...GRADES].map((grade) => (
              <label key={grade || "none"} className="segment">
                <input
                  type="radio"
                  name="grade"
                  value={grade}
                  defaultChecked={(initial?.grade ?? "") === grade}
                />
                <span>{grade ? t("intake.gradeN", { grade }) : t("intake.gradeNone")}</span>
              </label>
            ))}
          </div>
          <p className="field-hint">{t("intake.gradeHint")}</p>
        </fieldset>

        {product.perishable ? (
          <div className="field">
            <label htmlFor="bestBefore" className="field-label">
              {t("intake.bestBefore")}
            </label>
            <input
              id="bestBefore"
              name="bestBefore"
              type="date"
              min={today}
              defaultValue={initial?.bestBefore ?? ""}
              aria-invalid={fields.bestBefore ? true : undefined}
              aria-describedby="bestBefore-hint bestBefore-error"
            />
            <p className="field-hint" id="bestBefore-hint">
              {t("intake.bestBeforeHint")}
            </p>
            <FieldError id="bestBefore-error" problem={fields.bestBefore} />
          </div>
        ) : null}

        <fieldset className="field qc">
          <legend className="field-label">{t("intake.qc")}</legend>
          <div className="segmented">
            <label className="segment segment-ok">
              <input
                type="radio"
                name="qc"
                value="pass"
                defaultChecked={!failed}
                onChange={() => setFailed(false)}
              />
              <span>{t("intake.qcPass")}</span>
            </label>
            <label className="segment segment-bad">
              <input
                type="radio"
                name="qc"
                value="fail"
                defaultChecked={failed}
                onChange={() => setFailed(true)}
              />
              <span>{t("intake.qcFail")}</span>
            </label>
          </div>
          {failed ? (
            <div className="offline-qc-reason">
              <label htmlFor="qcReason" className="field-label">
                {t("intake.qcReason")}
              </label>
              <input
                id="qcReason"
                name="qcReason"
                type="text"
                maxLength={200}
                placeholder={t("intake.qcReasonPlaceholder")}
                defaultValue={initial && !initial.qc.passed ? initial.qc.reason : ""}
                aria-invalid={fields.qcReason ? true : undefined}
                aria-describedby="qcReason-error"
              />
              <FieldError id="qcReason-error" problem={fields.qcReason} />
              <p className="field-hint">{t("intake.qcFailHint")}</p>
            </div>
          ) : null}
        </fieldset>

        {/* A correction keeps the photos already waiting; new ones come with a new entry. */}
        {initial ? null : (
          <div className="field">
            <label htmlFor="photo" className="field-label">
              {t("intake.photo")}
            </label>
            <input
              id="photo"
              name="photo"
              type="file"
              accept="image/jpeg,image/png,image/webp"
              capture="environment"
              aria-describedby="photo-hint photo-error"
            />
            <p className="field-hint" id="photo-hint">
              {t("offline.intake.photoHint")}
            </p>
            <FieldError id="photo-error" problem={fields.photo} />
          </div>
        )}

        <button type="submit" className="button button-primary button-block button-big" disabled={saving}>
          {saving ? t("staffCommon.saving") : (submitLabel ?? t("intake.submit"))}
        </button>
      </form>
    </section>
  );
}
