import { BASE_UNITS, type BaseUnit, fenToYuanString, parseYuan } from "@coop/shared";
import { ProductChanges } from "@coop/shared/contract";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Money } from "../components/Money";
import { BackLink, FieldError, FormAlert } from "../components/staff/FormBits";
import { ProductPhotosEditor } from "../components/staff/ProductPhotosEditor";
import { type SaleUnitProblem, SaleUnitsEditor } from "../components/staff/SaleUnitsEditor";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { UnitPrice } from "../components/UnitPrice";
import { localized } from "../i18n";
import { ApiError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { formatDate } from "../lib/dates";
import { bpsToPercent, percentToBps, pricePerBaseUnit } from "../lib/format";
import { formKey, newFormKey } from "../lib/forms.server";
import { pageMeta } from "../lib/meta";
import { isPhotoUpload, PHOTO_INTENTS, photoAction, uploadPhotoAction } from "../lib/product-photos.server";
import {
  apiProblem,
  type FieldProblem,
  formProblem,
  requireRole,
  staffFailure,
  text,
} from "../lib/staff.server";
import { PRICE_QUANTITY, unitLabel } from "../lib/units";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

type Field = "nameZh" | "nameEn" | "descriptionZh" | "descriptionEn" | "unit" | "price" | "commission";

/** The API's field paths (ProductChanges) as this form's fields. */
const FIELD_OF: Record<string, Field> = {
  "name.zh": "nameZh",
  "name.en": "nameEn",
  "description.zh": "descriptionZh",
  "description.en": "descriptionEn",
  unit: "unit",
  priceFen: "price",
  commissionBps: "commission",
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const api = getApi(context, request);
  const [product, photos] = await Promise.all([
    api.adminProduct(token, params.id ?? ""),
    api.productPhotos(token, params.id ?? ""),
  ]).catch(staffFailure(request));
  return {
    title: product.name.zh,
    product,
    photos: photos.items,
    unitKey: newFormKey(),
    photoKey: newFormKey(),
  };
}

/** The sale-unit forms (SaleUnitsEditor): add one, or change one's price, sale, default. */
async function saleUnitAction(
  api: ReturnType<typeof getApi>,
  token: string,
  productId: string,
  form: FormData,
) {
  // Shaped like the product form's answer (no problem, no fields of its own) so the page reads one type.
  const unitProblem = (problem: SaleUnitProblem, status = 400) =>
    data(
      { ok: false as const, problem: null, fields: {}, unitProblem: problem, unitSaved: false },
      { status },
    );
  const price = parseYuan(text(form, "unitPrice", 20));
  try {
    if (text(form, "intent", 20) === "addUnit") {
      const labelZh = text(form, "unitLabelZh", 20);
      const labelEn = text(form, "unitLabelEn", 40);
      const sizeText = text(form, "unitSize", 10);
      const size = /^\d{1,6}$/.test(sizeText) ? Number(sizeText) : 0;
      if (!labelZh || !labelEn || size < 1 || price === null) return unitProblem("problem");
      await api.addSaleUnit(
        token,
        productId,
        { label: { zh: labelZh, en: labelEn }, size, priceFen: price },
        formKey(form) ?? undefined,
      );
    } else {
      if (price === null) return unitProblem("problem");
      await api.editSaleUnit(token, productId, text(form, "saleUnitId", 64), {
        priceFen: price,
        active: text(form, "unitActive", 5) !== "off",
        ...(form.get("unitDefault") === "yes" ? { isDefault: true as const } : {}),
      });
    }
  } catch (error) {
    if (error instanceof ApiError && error.code === "ALREADY_EXISTS") return unitProblem("taken", 409);
    if (error instanceof ApiError && error.code === "INVALID_STATE") return unitProblem("defaultStays", 409);
    if (error instanceof ApiError && error.status === 400) return unitProblem("problem");
    throw error;
  }
  return data({ ok: false as const, problem: null, fields: {}, unitProblem: null, unitSaved: true });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const api = getApi(context, request);
  const product = await api.adminProduct(token, params.id ?? "").catch(staffFailure(request));
  if (isPhotoUpload(request)) return uploadPhotoAction(api, token, product.id, request);
  const form = await request.formData();
  const intent = text(form, "intent", 20);
  if (intent === "addUnit" || intent === "editUnit") return saleUnitAction(api, token, product.id, form);
  if ((PHOTO_INTENTS as readonly string[]).includes(intent)) return photoAction(api, token, product.id, form);
  const typed = {
    nameZh: text(form, "nameZh", 80),
    nameEn: text(form, "nameEn", 120),
    descriptionZh: text(form, "descriptionZh", 2000),
    descriptionEn: text(form, "descriptionEn", 2000),
    unit: text(form, "unit", 10),
    price: text(form, "price", 20),
    commission: text(form, "commission", 10),
  };
  const fields: Partial<Record<Field, FieldProblem>> = {};
  const unit = (BASE_UNITS as readonly string[]).includes(typed.unit)
    ? (typed.unit as BaseUnit)
    : product.unit;
  // The price is the default sale unit's (¥13.80 for 1 斤: any amount in fen). Without sale units (an older
  // API): typed per 500 g / ml for goods sold by weight or volume, per piece or bag otherwise.
  const defaultUnit = product.saleUnits?.find((u) => u.isDefault);
  const priceFen = defaultUnit
    ? parseYuan(typed.price)
    : pricePerBaseUnit(parseYuan(typed.price), PRICE_QUANTITY[unit]);
  if (priceFen === null) fields.price = parseYuan(typed.price) === null ? "money" : "priceDivides";
  // Commission: empty keeps it; the box goes back to the co-op's rate; a change is a new history row.
  const useDefault = form.get("commissionDefault") === "yes";
  const commissionBps = useDefault ? null : typed.commission ? percentToBps(typed.commission) : undefined;
  if (commissionBps === null && !useDefault) fields.commission = "percent";
  const activeChoice = text(form, "active", 10);

  const body = ProductChanges.safeParse({
    name: { zh: typed.nameZh, en: typed.nameEn },
    description: { zh: typed.descriptionZh, en: typed.descriptionEn },
    ...(unit !== product.unit ? { unit } : {}),
    priceFen: priceFen ?? undefined,
    commissionBps,
    active: activeChoice === "off" ? false : activeChoice === "on" ? true : undefined,
  });
  if (!body.success) {
    for (const issue of body.error.issues) {
      const field = FIELD_OF[issue.path.join(".")];
      if (field) fields[field] ??= typed[field] ? "invalid" : "required";
    }
  }
  if (!body.success || Object.keys(fields).length > 0)
    return formProblem("checkFields", 400, fields, { typed });
  try {
    await api.editProduct(token, product.id, body.data);
  } catch (error) {
    if (
      error instanceof ApiError &&
      error.code === "INVALID_STATE" &&
      error.fields.some((f) => f.path === "unit")
    ) {
      return formProblem("checkFields", 409, {}, { typed, unitLocked: true });
    }
    const problem = apiProblem<Field>(error, (path) => FIELD_OF[path] ?? null);
    return data({ ...problem.data, typed }, problem.init ?? undefined);
  }
  return data({ ok: true as const, problem: null, fields, idempotencyKey: "" });
}

export default function EditProduct() {
  const { product, photos, unitKey, photoKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useStaffTranslation();
  const fields: Partial<Record<Field, FieldProblem>> = result?.fields ?? {};
  const typed = result && "typed" in result ? result.typed : null;
  const unitLockedNow = Boolean(result && "unitLocked" in result && result.unitLocked);
  const defaultUnit = product.saleUnits?.find((u) => u.isDefault);
  // With sale units the price field is the default unit's price; without (an older API), per 500 g / ml.
  const per = defaultUnit ? 1 : PRICE_QUANTITY[product.unit];
  const perText = defaultUnit
    ? localized(defaultUnit.label, i18n.language)
    : per === 1
      ? unitLabel(product.unit, i18n.language)
      : `${per} ${unitLabel(product.unit, i18n.language, per)}`;
  const unitResult = result && "unitProblem" in result ? result : null;
  const photoResult = result && "photoProblem" in result ? result : null;
  const rate = (bps: number | null) =>
    bps === null ? t("adminProducts.usesDefault") : `${bpsToPercent(bps)}%`;
  const textField = (field: Field, max: number, multiline = false) => (
    <div className="field">
      <label htmlFor={field} className="field-label">
        {field === "nameZh" || field === "nameEn"
          ? t(`adminProducts.fields.${field}`)
          : t(`adminProducts.${field as "descriptionZh" | "descriptionEn"}`)}
      </label>
      {multiline ? (
        <textarea
          id={field}
          name={field}
          rows={3}
          maxLength={max}
          defaultValue={typed?.[field] ?? product.description[field === "descriptionZh" ? "zh" : "en"]}
          aria-describedby={`${field}-error`}
        />
      ) : (
        <input
          id={field}
          name={field}
          type="text"
          required
          maxLength={max}
          autoComplete="off"
          defaultValue={typed?.[field] ?? product.name[field === "nameZh" ? "zh" : "en"]}
          aria-invalid={fields[field] ? true : undefined}
          aria-describedby={`${field}-error`}
        />
      )}
      <FieldError id={`${field}-error`} problem={fields[field]} />
    </div>
  );
  return (
    <>
      <BackLink to="/staff/admin/products">{t("adminProducts.title")}</BackLink>
      <h1>{localized(product.name, i18n.language)}</h1>
      <p className="lead">
        {t("adminProducts.current")}{" "}
        {defaultUnit ? (
          <UnitPrice unit={defaultUnit} base={product.unit} />
        ) : (
          <Money fen={product.priceFen} per={product.unit} />
        )}
        {product.active ? null : (
          <>
            {" "}
            <span className="badge badge-warn">{t("adminProducts.offSale")}</span>
          </>
        )}
      </p>
      <p className="muted">{product.sku}</p>
      <FormAlert problem={result?.problem} />
      {result?.ok ? (
        <p className="notice notice-info" role="status">
          {t("staffCommon.saved")}
        </p>
      ) : null}
      <Form method="post" className="form">
        {textField("nameZh", 80)}
        {textField("nameEn", 120)}
        {textField("descriptionZh", 2000, true)}
        {textField("descriptionEn", 2000, true)}
        <div className="field">
          <label htmlFor="unit" className="field-label">
            {t("adminProducts.fields.unit")}
          </label>
          <select
            id="unit"
            name="unit"
            defaultValue={typed?.unit || product.unit}
            disabled={product.unitLocked}
            aria-describedby="unit-hint unit-error"
          >
            {BASE_UNITS.map((unit) => (
              <option key={unit} value={unit}>
                {t(`quantity.soldBy.${unit}`)}
              </option>
            ))}
          </select>
          {product.unitLocked ? <input type="hidden" name="unit" value={product.unit} /> : null}
          {product.unitLocked || unitLockedNow ? (
            <p className={unitLockedNow ? "field-error" : "field-hint"} id="unit-hint">
              {t("adminProducts.unitLocked")}
            </p>
          ) : null}
          <FieldError id="unit-error" problem={fields.unit} />
        </div>
        <div className="field">
          <label htmlFor="price" className="field-label">
            {t("adminProducts.price", { per: perText })}
          </label>
          <input
            id="price"
            name="price"
            type="text"
            inputMode="decimal"
            required
            autoComplete="off"
            defaultValue={typed?.price ?? fenToYuanString(product.priceFen * per)}
            aria-invalid={fields.price ? true : undefined}
            aria-describedby="price-hint price-error"
          />
          <p className="field-hint" id="price-hint">
            {t("adminProducts.priceHint")}
          </p>
          <FieldError id="price-error" problem={fields.price} />
        </div>
        <div className="field">
          <label htmlFor="commission" className="field-label">
            {t("adminProducts.commission")}
          </label>
          <p className="field-hint">
            {t("adminProducts.commissionNow")} {rate(product.commissionBps)}
          </p>
          <input
            id="commission"
            name="commission"
            type="text"
            inputMode="decimal"
            autoComplete="off"
            defaultValue={typed?.commission ?? ""}
            aria-invalid={fields.commission ? true : undefined}
            aria-describedby="commission-hint commission-error"
          />
          <p className="field-hint" id="commission-hint">
            {t("adminProducts.commissionHint")} {t("adminProducts.historyHint")}
          </p>
          <label className="check">
            <input type="checkbox" name="commissionDefault" value="yes" />
            <span>{t("adminProducts.commissionDefault")}</span>
          </label>
          <FieldError id="commission-error" problem={fields.commission} />
        </div>
        <div className="field">
          <label htmlFor="active" className="field-label">
            {t("adminProducts.active")}
          </label>
          <select id="active" name="active" defaultValue={product.active ? "on" : "off"}>
            <option value="on">{t("adminProducts.activeOn")}</option>
            <option value="off">{t("adminProducts.activeOff")}</option>
          </select>
        </div>
        <button
          type="submit"
          className="button button-primary button-block"
          disabled={navigation.state === "submitting"}
        >
          {t("staffCommon.save")}
        </button>
      </Form>

      {product.saleUnits ? (
        <SaleUnitsEditor
          units={product.saleUnits}
          base={product.unit}
          addKey={unitKey}
          problem={unitResult?.unitProblem ?? null}
          saved={Boolean(unitResult?.unitSaved)}
        />
      ) : null}

      <ProductPhotosEditor
        photos={photos}
        name={product.name}
        uploadKey={photoKey}
        problem={photoResult?.photoProblem ?? null}
        saved={Boolean(photoResult?.photoSaved)}
      />

      <section aria-labelledby="history-title">
        <h2 id="history-title">{t("adminProducts.history")}</h2>
        <ul className="card-list">
          {product.commissionHistory.map((row, i) => (
            <li key={`${row.from}-${i}`} className="card">
              <span className="card-title">{rate(row.commissionBps)}</span>
              <span className="muted">
                {t("adminProducts.historyLine", { date: formatDate(row.from, i18n.language) })}
                {row.setBy ? ` · ${t("adminProducts.historyBy", { who: row.setBy })}` : ""}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
