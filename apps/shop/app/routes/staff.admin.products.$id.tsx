import { getInputProps, getSelectProps } from "@conform-to/react";
import { BASE_UNITS, fenToYuanString, isOneOf, parseYuan } from "@coop/shared";
import { type AdminProductDetail, ProductChanges } from "@coop/shared/contract";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Money } from "../components/Money";
import { BackLink, FormAlert } from "../components/staff/FormBits";
import { ProductPhotosEditor } from "../components/staff/ProductPhotosEditor";
import { type SaleUnitProblem, SaleUnitsEditor } from "../components/staff/SaleUnitsEditor";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import {
  Field,
  SelectField,
  StaffForm,
  SubmitButton,
  TextareaField,
  TextField,
  useStaffForm,
} from "../components/staff/StaffForm";
import { UnitPrice } from "../components/UnitPrice";
import { localized } from "../i18n";
import { ApiError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { formatDate } from "../lib/dates";
import { bpsToPercent, percentToBps, pricePerBaseUnit } from "../lib/format";
import { formKey, newFormKey } from "../lib/forms.server";
import { pageMeta } from "../lib/meta";
import { isPhotoUpload, PHOTO_INTENTS, photoAction, uploadPhotoAction } from "../lib/product-photos.server";
import { requireRole, staffFailure, text } from "../lib/staff.server";
import {
  apiErrorToReply,
  formToContract,
  parseStaffForm,
  staffReply,
  tickedAs,
} from "../lib/staff-form.server";
import { PRICE_QUANTITY, unitLabel } from "../lib/units";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

type FieldName =
  | "nameZh"
  | "nameEn"
  | "descriptionZh"
  | "descriptionEn"
  | "unit"
  | "price"
  | "commission"
  | "active";

/** The API's field paths (ProductChanges) as this form's fields. */
const FIELD_OF: Record<string, FieldName> = {
  "name.zh": "nameZh",
  "name.en": "nameEn",
  "description.zh": "descriptionZh",
  "description.en": "descriptionEn",
  unit: "unit",
  priceFen: "price",
  commissionBps: "commission",
};

/**
 * The product form as the contract's ProductChanges. The price is the default sale unit's (¥13.80 for 1 斤:
 * any amount in fen); without sale units (an older API) it is typed per 500 g / ml for goods sold by weight
 * or volume, per piece or bag otherwise. Commission: empty keeps it; the box goes back to the co-op's rate;
 * a change is a new history row.
 */
function productForm(product: AdminProductDetail) {
  const defaultUnit = product.saleUnits?.find((u) => u.isDefault);
  return formToContract(
    z.object({
      nameZh: z.string(),
      nameEn: z.string(),
      descriptionZh: z.string().default(""),
      descriptionEn: z.string().default(""),
      unit: z.string().optional(),
      price: z.string(),
      commission: z.string().optional(),
      commissionDefault: tickedAs("yes"),
      active: z.enum(["on", "off"]).optional(),
    }),
    (typed, ctx) => {
      const unit = isOneOf(BASE_UNITS, typed.unit) ? typed.unit : product.unit;
      const yuan = parseYuan(typed.price);
      const priceFen = defaultUnit ? yuan : pricePerBaseUnit(yuan, PRICE_QUANTITY[unit]);
      if (priceFen === null)
        ctx.addIssue({ code: "custom", path: ["price"], message: yuan === null ? "money" : "priceDivides" });
      const commissionBps = typed.commissionDefault
        ? null
        : typed.commission === undefined
          ? undefined
          : percentToBps(typed.commission);
      if (commissionBps === null && !typed.commissionDefault)
        ctx.addIssue({ code: "custom", path: ["commission"], message: "percent" });
      return {
        name: { zh: typed.nameZh, en: typed.nameEn },
        description: { zh: typed.descriptionZh.trim(), en: typed.descriptionEn.trim() },
        ...(unit !== product.unit ? { unit } : {}),
        priceFen: priceFen ?? undefined,
        commissionBps,
        active: typed.active === undefined ? undefined : typed.active === "on",
      };
    },
    ProductChanges,
  );
}

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
  const submission = parseStaffForm(form, productForm(product), {}, FIELD_OF);
  // What was typed, beside Conform's result: the answer this page always gave.
  const typed = submission.payload;
  if (submission.status !== "success") return staffReply(submission, undefined, { typed });
  try {
    await api.editProduct(token, product.id, submission.value);
  } catch (error) {
    if (
      error instanceof ApiError &&
      error.code === "INVALID_STATE" &&
      error.fields.some((f) => f.path === "unit")
    ) {
      return staffReply(submission, { problem: "checkFields", status: 409 }, { typed, unitLocked: true });
    }
    return staffReply(submission, apiErrorToReply(error, FIELD_OF), { typed });
  }
  return data({ ok: true as const, problem: null, fields: {}, idempotencyKey: "" });
}

export default function EditProduct() {
  const { product, photos, unitKey, photoKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useStaffTranslation();
  const unitLockedNow = Boolean(result && "unitLocked" in result && result.unitLocked);
  const defaultUnit = product.saleUnits?.find((u) => u.isDefault);
  // With sale units the price field is the default unit's price; without (an older API), per 500 g / ml.
  const per = defaultUnit ? 1 : PRICE_QUANTITY[product.unit];
  const perText = defaultUnit
    ? localized(defaultUnit.label, i18n.language)
    : per === 1
      ? unitLabel(product.unit, i18n.language)
      : `${per} ${unitLabel(product.unit, i18n.language, per)}`;
  const [form, fields] = useStaffForm<FieldName>(result, {
    defaultValue: {
      nameZh: product.name.zh,
      nameEn: product.name.en,
      descriptionZh: product.description.zh,
      descriptionEn: product.description.en,
      unit: product.unit,
      price: fenToYuanString(product.priceFen * per),
      active: product.active ? "on" : "off",
    },
  });
  const unitResult = result && "unitProblem" in result ? result : null;
  const photoResult = result && "photoProblem" in result ? result : null;
  const rate = (bps: number | null) =>
    bps === null ? t("adminProducts.usesDefault") : `${bpsToPercent(bps)}%`;
  const name = (field: "nameZh" | "nameEn", max: number) => (
    <TextField
      field={fields[field]}
      label={t(`adminProducts.fields.${field}`)}
      required
      maxLength={max}
      autoComplete="off"
    />
  );
  const description = (field: "descriptionZh" | "descriptionEn") => (
    <TextareaField field={fields[field]} label={t(`adminProducts.${field}`)} rows={3} maxLength={2000} />
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
      <StaffForm form={form}>
        {name("nameZh", 80)}
        {name("nameEn", 120)}
        {description("descriptionZh")}
        {description("descriptionEn")}
        <Field field={fields.unit} label={t("adminProducts.fields.unit")}>
          {(ids) => (
            <>
              <select
                {...getSelectProps(fields.unit, { ariaAttributes: false })}
                {...ids}
                key={undefined}
                disabled={product.unitLocked}
                aria-describedby={
                  [product.unitLocked || unitLockedNow ? "unit-hint" : null, ids["aria-describedby"]]
                    .filter(Boolean)
                    .join(" ") || undefined
                }
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
            </>
          )}
        </Field>
        <TextField
          field={fields.price}
          label={t("adminProducts.price", { per: perText })}
          hint={t("adminProducts.priceHint")}
          inputMode="decimal"
          required
          autoComplete="off"
        />
        <Field field={fields.commission} label={t("adminProducts.commission")}>
          {(ids) => (
            <>
              <p className="field-hint">
                {t("adminProducts.commissionNow")} {rate(product.commissionBps)}
              </p>
              <input
                {...getInputProps(fields.commission, { type: "text", ariaAttributes: false })}
                {...ids}
                key={undefined}
                inputMode="decimal"
                autoComplete="off"
                aria-describedby={["commission-hint", ids["aria-describedby"]].filter(Boolean).join(" ")}
              />
              <p className="field-hint" id="commission-hint">
                {t("adminProducts.commissionHint")} {t("adminProducts.historyHint")}
              </p>
              <label className="check">
                <input type="checkbox" name="commissionDefault" value="yes" />
                <span>{t("adminProducts.commissionDefault")}</span>
              </label>
            </>
          )}
        </Field>
        <SelectField
          field={fields.active}
          label={t("adminProducts.active")}
          options={[
            { value: "on", label: t("adminProducts.activeOn") },
            { value: "off", label: t("adminProducts.activeOff") },
          ]}
        />
        <SubmitButton>{t("staffCommon.save")}</SubmitButton>
      </StaffForm>

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
