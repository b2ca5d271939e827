import { BASE_UNITS, PRODUCT_KINDS, parseYuan } from "@coop/shared";
import { CreateProduct } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BackLink, FieldError, FormAlert, FormKey } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { getT } from "../i18next.server";
import { ApiError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { percentToBps } from "../lib/format";
import { pageMeta } from "../lib/meta";
import {
  apiProblem,
  type FieldProblem,
  formKey,
  formProblem,
  newFormKey,
  requireRole,
  text,
} from "../lib/staff.server";
import { PRICE_QUANTITY } from "../lib/units";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

type Field = "sku" | "nameZh" | "nameEn" | "kind" | "unit" | "price" | "commission";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, ["admin"]);
  const t = await getT(request, "staff");
  return { title: t("adminProducts.add"), idempotencyKey: newFormKey() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const form = await request.formData();
  const typed = {
    sku: text(form, "sku", 40).toUpperCase(),
    nameZh: text(form, "nameZh", 80),
    nameEn: text(form, "nameEn", 120),
    kind: text(form, "kind", 10),
    unit: text(form, "unit", 10),
    price: text(form, "price", 20),
    commission: text(form, "commission", 10),
    perishable: form.get("perishable") === "yes",
  };
  const fields: Partial<Record<Field, FieldProblem>> = {};
  const unit = (BASE_UNITS as readonly string[]).includes(typed.unit)
    ? (typed.unit as (typeof BASE_UNITS)[number])
    : null;
  if (!unit) fields.unit = "required";
  // The price typed is of one piece or bag, or of 1 斤 / 500 ml for goods sold by weight or volume: that
  // becomes the product's first sale unit, so ¥13.80 per 斤 is a price like any other (no fen per gram).
  const priceFen = parseYuan(typed.price);
  if (unit && priceFen === null) fields.price = "money";
  const per = unit ? PRICE_QUANTITY[unit] : 1;
  const saleUnit =
    unit && priceFen !== null && per > 1
      ? {
          label: unit === "gram" ? { zh: "斤", en: "jin (500 g)" } : { zh: "500毫升", en: "500 ml" },
          size: per,
          priceFen,
        }
      : undefined;
  const commissionBps = typed.commission ? percentToBps(typed.commission) : undefined;
  if (commissionBps === null) fields.commission = "percent";

  const body = CreateProduct.safeParse({
    sku: typed.sku,
    name: { zh: typed.nameZh, en: typed.nameEn },
    kind: typed.kind,
    unit: typed.unit,
    priceFen,
    ...(saleUnit ? { saleUnit } : {}),
    commissionBps: commissionBps ?? undefined,
    perishable: typed.perishable,
  });
  if (!body.success) {
    for (const issue of body.error.issues) {
      const [first, second] = issue.path;
      if (first === "sku") fields.sku = typed.sku ? "sku" : "required";
      if (first === "name") fields[second === "en" ? "nameEn" : "nameZh"] = "required";
      if (first === "kind") fields.kind = "required";
    }
  }
  if (!body.success || Object.keys(fields).length > 0)
    return formProblem("checkFields", 400, fields, { typed });
  try {
    const created = await getApi(context, request).createProduct(token, body.data, formKey(form));
    return redirect(`/staff/admin/products/${encodeURIComponent(created.id)}`);
  } catch (error) {
    if (error instanceof ApiError && (error.code === "ALREADY_EXISTS" || error.code === "CONFLICT")) {
      return formProblem("checkFields", 409, { sku: "taken" }, { typed });
    }
    const problem = apiProblem<Field>(error, (path) =>
      path === "sku" ? "sku" : path === "priceFen" ? "price" : path === "commissionBps" ? "commission" : null,
    );
    return formProblem(problem.data.problem, problem.init?.status ?? 400, problem.data.fields, { typed });
  }
}

export default function NewProduct() {
  const { idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useStaffTranslation();
  const fields: Partial<Record<Field, FieldProblem>> = result?.fields ?? {};
  const typed = result && "typed" in result ? result.typed : null;
  const input = (name: Field, options: { inputMode?: "decimal"; hint?: string; required?: boolean } = {}) => (
    <div className="field">
      <label htmlFor={name} className="field-label">
        {t(`adminProducts.fields.${name}`)}
      </label>
      <input
        id={name}
        name={name}
        type="text"
        inputMode={options.inputMode}
        required={options.required ?? true}
        autoComplete="off"
        defaultValue={typed ? String(typed[name as keyof typeof typed] ?? "") : ""}
        aria-invalid={fields[name] ? true : undefined}
        aria-describedby={`${name}-error`}
      />
      {options.hint ? <p className="field-hint">{options.hint}</p> : null}
      <FieldError id={`${name}-error`} problem={fields[name]} />
    </div>
  );
  return (
    <>
      <BackLink to="/staff/admin/products">{t("adminProducts.title")}</BackLink>
      <h1>{t("adminProducts.add")}</h1>
      <FormAlert problem={result?.problem} />
      <Form method="post" className="form">
        <FormKey value={result?.idempotencyKey ?? idempotencyKey} />
        {input("sku", { hint: t("adminProducts.skuHint") })}
        {input("nameZh")}
        {input("nameEn")}
        <div className="field">
          <label htmlFor="kind" className="field-label">
            {t("adminProducts.fields.kind")}
          </label>
          <select id="kind" name="kind" required defaultValue={typed?.kind ?? "produce"}>
            {PRODUCT_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`kinds.${kind}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="unit" className="field-label">
            {t("adminProducts.fields.unit")}
          </label>
          <select id="unit" name="unit" required defaultValue={typed?.unit ?? "piece"}>
            {BASE_UNITS.map((unit) => (
              <option key={unit} value={unit}>
                {t(`quantity.soldBy.${unit}`)}
              </option>
            ))}
          </select>
          <FieldError id="unit-error" problem={fields.unit} />
        </div>
        {input("price", { inputMode: "decimal", hint: t("adminProducts.priceHint") })}
        {input("commission", {
          inputMode: "decimal",
          required: false,
          hint: t("adminProducts.newCommissionHint"),
        })}
        <div className="field">
          <label className="check">
            <input
              type="checkbox"
              name="perishable"
              value="yes"
              defaultChecked={typed?.perishable ?? false}
            />
            <span>{t("adminProducts.perishable")}</span>
          </label>
        </div>
        <button
          type="submit"
          className="button button-primary button-block"
          disabled={navigation.state === "submitting"}
        >
          {t("adminProducts.create")}
        </button>
      </Form>
    </>
  );
}
