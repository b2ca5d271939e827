import { fenToYuanString, parseYuan } from "@coop/shared";
import { UpdateProduct } from "@coop/shared/contract";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Money } from "../components/Money";
import { BackLink, FieldError, FormAlert } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getApi } from "../lib/context.server";
import { percentToBps, pricePerBaseUnit } from "../lib/format";
import { pageMeta } from "../lib/meta";
import {
  apiProblem,
  type FieldProblem,
  formProblem,
  requireRole,
  staffFailure,
  text,
} from "../lib/staff.server";
import { PRICE_QUANTITY, unitLabel } from "../lib/units";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

type Field = "price" | "commission" | "active";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireRole(request, context, ["admin"]);
  const product = await getApi(context, request)
    .getProduct(params.id ?? "")
    .catch(staffFailure(request));
  if (!product) throw data(null, { status: 404 });
  return { title: product.name.zh, product };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const api = getApi(context, request);
  const product = await api.getProduct(params.id ?? "").catch(staffFailure(request));
  if (!product) throw data(null, { status: 404 });
  const form = await request.formData();
  const fields: Partial<Record<Field, FieldProblem>> = {};

  const priceText = text(form, "price", 20);
  const priceFen = pricePerBaseUnit(parseYuan(priceText), PRICE_QUANTITY[product.unit]);
  if (priceFen === null) fields.price = parseYuan(priceText) === null ? "money" : "priceDivides";

  // Commission: empty keeps it as it is; "default" goes back to the co-op's rate.
  const commissionText = text(form, "commission", 10);
  const useDefault = form.get("commissionDefault") === "yes";
  const commissionBps = useDefault ? null : commissionText ? percentToBps(commissionText) : undefined;
  if (commissionBps === null && !useDefault) fields.commission = "percent";

  const activeChoice = text(form, "active", 10);
  const active = activeChoice === "on" ? true : activeChoice === "off" ? false : undefined;

  if (Object.keys(fields).length > 0) return formProblem("checkFields", 400, fields);
  const body = UpdateProduct.safeParse({ priceFen, commissionBps, active });
  if (!body.success) return formProblem("checkFields", 400, fields);
  try {
    await api.updateProduct(token, product.id, body.data);
  } catch (error) {
    return apiProblem<Field>(error, (path) =>
      path === "priceFen"
        ? "price"
        : path === "commissionBps"
          ? "commission"
          : path === "active"
            ? "active"
            : null,
    );
  }
  return data({ ok: true as const, problem: null, fields, idempotencyKey: "" });
}

export default function EditProduct() {
  const { product } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const fields: Partial<Record<Field, FieldProblem>> = result?.fields ?? {};
  const per = PRICE_QUANTITY[product.unit];
  const perText =
    per === 1
      ? unitLabel(product.unit, i18n.language)
      : `${per} ${unitLabel(product.unit, i18n.language, per)}`;
  return (
    <>
      <BackLink to="/staff/admin/products">{t("adminProducts.title")}</BackLink>
      <h1>{localized(product.name, i18n.language)}</h1>
      <p className="lead">
        {t("adminProducts.current")} <Money fen={product.priceFen} per={product.unit} />
      </p>
      <FormAlert problem={result?.problem} />
      {result?.ok ? (
        <p className="notice notice-info" role="status">
          {t("staffCommon.saved")}
        </p>
      ) : null}
      <Form method="post" className="form">
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
            defaultValue={fenToYuanString(product.priceFen * per)}
            aria-describedby="price-error"
          />
          <FieldError id="price-error" problem={fields.price} />
        </div>
        <div className="field">
          <label htmlFor="commission" className="field-label">
            {t("adminProducts.commission")}
          </label>
          <input
            id="commission"
            name="commission"
            type="text"
            inputMode="decimal"
            autoComplete="off"
            aria-describedby="commission-hint commission-error"
          />
          <p className="field-hint" id="commission-hint">
            {t("adminProducts.commissionHint")}
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
          <select id="active" name="active" defaultValue="">
            <option value="">{t("adminProducts.activeKeep")}</option>
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
    </>
  );
}
