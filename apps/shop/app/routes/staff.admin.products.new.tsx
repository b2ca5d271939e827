import { BASE_UNITS, PRODUCT_KINDS } from "@coop/shared";
import { CreateProduct } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BackLink, FormAlert } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import {
  CheckboxField,
  SelectField,
  StaffForm,
  SubmitButton,
  TextField,
  useStaffForm,
} from "../components/staff/StaffForm";
import { getT } from "../i18next.server";
import { ApiError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";
import { formKey, newFormKey, requireRole } from "../lib/staff.server";
import {
  apiErrorToReply,
  capitals,
  nameBoxes,
  parseStaffForm,
  percentAsBps,
  staffReply,
  tickedAs,
  withName,
  yuanAsFen,
} from "../lib/staff-form.server";
import { PRICE_QUANTITY } from "../lib/units";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

type Field = "sku" | "nameZh" | "nameEn" | "kind" | "unit" | "price" | "commission" | "perishable";

/**
 * The contract's new product. The price typed is of one piece or bag, or of 1 斤 / 500 ml for goods sold by
 * weight or volume: that becomes the product's first sale unit, so ¥13.80 per 斤 is a price like any other
 * (no fen per gram).
 */
const NewProductForm = z
  .object({
    sku: capitals(CreateProduct.shape.sku),
    ...nameBoxes(CreateProduct.shape.name),
    kind: CreateProduct.shape.kind,
    unit: CreateProduct.shape.unit,
    price: yuanAsFen(CreateProduct.shape.priceFen),
    commission: percentAsBps(CreateProduct.shape.commissionBps.unwrap()).optional(),
    perishable: tickedAs("yes"),
  })
  .transform(({ price, commission, ...product }) => {
    const per = PRICE_QUANTITY[product.unit];
    const saleUnit =
      per > 1
        ? {
            label:
              product.unit === "gram" ? { zh: "斤", en: "jin (500 g)" } : { zh: "500毫升", en: "500 ml" },
            size: per,
            priceFen: price,
          }
        : undefined;
    return withName({
      ...product,
      priceFen: price,
      commissionBps: commission,
      ...(saleUnit ? { saleUnit } : {}),
    });
  });

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, ["admin"]);
  const t = await getT(request, "staff");
  return { title: t("adminProducts.add"), idempotencyKey: newFormKey() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const form = await request.formData();
  const submission = parseStaffForm(form, NewProductForm, {
    sku: "sku",
    price: "money",
    commission: "percent",
  });
  if (submission.status !== "success") return staffReply(submission);
  try {
    const created = await getApi(context, request).createProduct(token, submission.value, formKey(form));
    return redirect(`/staff/admin/products/${encodeURIComponent(created.id)}`);
  } catch (error) {
    if (error instanceof ApiError && (error.code === "ALREADY_EXISTS" || error.code === "CONFLICT")) {
      return staffReply(submission, { problem: "checkFields", status: 409, fields: { sku: "taken" } });
    }
    return staffReply(
      submission,
      apiErrorToReply(error, { sku: "sku", priceFen: "price", commissionBps: "commission" }),
    );
  }
}

export default function NewProduct() {
  const { idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useStaffTranslation();
  const [form, fields] = useStaffForm<Field>(result, { defaultValue: { kind: "produce", unit: "piece" } });
  const required = (
    name: Exclude<Field, "kind" | "unit" | "commission" | "perishable">,
    options: { inputMode?: "decimal"; hint?: string } = {},
  ) => (
    <TextField
      field={fields[name]}
      label={t(`adminProducts.fields.${name}`)}
      hint={options.hint}
      inputMode={options.inputMode}
      required
      autoComplete="off"
    />
  );
  return (
    <>
      <BackLink to="/staff/admin/products">{t("adminProducts.title")}</BackLink>
      <h1>{t("adminProducts.add")}</h1>
      <FormAlert problem={result?.problem} />
      <StaffForm form={form} idempotencyKey={result?.idempotencyKey ?? idempotencyKey}>
        {required("sku", { hint: t("adminProducts.skuHint") })}
        {required("nameZh")}
        {required("nameEn")}
        <SelectField
          field={fields.kind}
          label={t("adminProducts.fields.kind")}
          required
          options={PRODUCT_KINDS.map((kind) => ({ value: kind, label: t(`kinds.${kind}`) }))}
        />
        <SelectField
          field={fields.unit}
          label={t("adminProducts.fields.unit")}
          required
          options={BASE_UNITS.map((unit) => ({ value: unit, label: t(`quantity.soldBy.${unit}`) }))}
        />
        {required("price", { inputMode: "decimal", hint: t("adminProducts.priceHint") })}
        <TextField
          field={fields.commission}
          label={t("adminProducts.fields.commission")}
          hint={t("adminProducts.newCommissionHint")}
          inputMode="decimal"
          autoComplete="off"
        />
        <CheckboxField field={fields.perishable} value="yes" label={t("adminProducts.perishable")} />
        <SubmitButton>{t("adminProducts.create")}</SubmitButton>
      </StaffForm>
    </>
  );
}
