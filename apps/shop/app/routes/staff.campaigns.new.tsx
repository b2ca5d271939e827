import { OpenCampaign } from "@coop/shared/contract";
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
import { SelectField, StaffForm, SubmitButton, TextField, useStaffForm } from "../components/staff/StaffForm";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";
import { formKey, newFormKey, requireRole, staffFailure } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm, staffReply, yuanAsFen } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

type Field =
  | "productId"
  | "titleZh"
  | "titleEn"
  | "price"
  | "capUnits"
  | "perOrderLimit"
  | "perBuyerLimit"
  | "opensAt"
  | "closesAt"
  | "harvestFrom"
  | "harvestTo";

/** A time typed in the browser's date-and-time box, read as China time (the co-op's clock). */
const chinaTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "invalid")
  .transform((value) => `${value}:00+08:00`);

/** The contract's new campaign as a flat form: two title boxes, the price in yuan, times in China time. */
const NewCampaignForm = z
  .object({
    productId: OpenCampaign.shape.productId,
    titleZh: OpenCampaign.shape.title.shape.zh,
    titleEn: OpenCampaign.shape.title.shape.en,
    price: yuanAsFen(OpenCampaign.shape.priceFen),
    capUnits: OpenCampaign.shape.capUnits,
    perOrderLimit: OpenCampaign.shape.perOrderLimit,
    perBuyerLimit: OpenCampaign.shape.perBuyerLimit,
    opensAt: chinaTime,
    closesAt: chinaTime,
    harvestFrom: OpenCampaign.shape.harvestFrom,
    harvestTo: OpenCampaign.shape.harvestTo,
  })
  .transform(({ titleZh, titleEn, price, ...rest }) => ({
    ...rest,
    title: { zh: titleZh, en: titleEn },
    priceFen: price,
  }));

/** Where the API's field names differ from the form's boxes. */
const API_FIELDS = {
  productId: "productId",
  "title.zh": "titleZh",
  "title.en": "titleEn",
  priceFen: "price",
  capUnits: "capUnits",
  perOrderLimit: "perOrderLimit",
  perBuyerLimit: "perBuyerLimit",
  opensAt: "opensAt",
  closesAt: "closesAt",
  harvestFrom: "harvestFrom",
  harvestTo: "harvestTo",
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, context, ["admin"]);
  const api = getApi(context, request);
  const [t, produce] = await Promise.all([
    getT(request, "staff"),
    api.listProducts({ kind: "produce", limit: 100 }).catch(staffFailure(request)),
  ]);
  return {
    title: t("campaigns.newTitle"),
    products: produce.items.map((p) => ({ id: p.id, name: p.name })),
    idempotencyKey: newFormKey(),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin"]);
  const form = await request.formData();
  const submission = parseStaffForm(form, NewCampaignForm, { price: "money" });
  if (submission.status !== "success") return staffReply(submission);
  try {
    const opened = await getApi(context, request).openCampaign(token, submission.value, formKey(form));
    return redirect(`/staff/campaigns/${encodeURIComponent(opened.id)}`);
  } catch (error) {
    return staffReply(submission, apiErrorToReply(error, API_FIELDS));
  }
}

export default function NewCampaign() {
  const { products, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useStaffTranslation();
  const [form, fields] = useStaffForm<Field>(result);
  const number = (name: "capUnits" | "perOrderLimit" | "perBuyerLimit", hint?: string) => (
    <TextField
      field={fields[name]}
      label={t(`campaigns.fields.${name}`)}
      hint={hint}
      inputMode="numeric"
      required
      autoComplete="off"
    />
  );
  return (
    <section aria-labelledby="new-campaign-title">
      <BackLink to="/staff/campaigns">{t("campaigns.title")}</BackLink>
      <h1 id="new-campaign-title">{t("campaigns.newTitle")}</h1>
      <p className="lead">{t("campaigns.newIntro")}</p>
      <FormAlert problem={result?.problem} />
      <StaffForm form={form} idempotencyKey={result?.idempotencyKey ?? idempotencyKey}>
        <SelectField
          field={fields.productId}
          label={t("campaigns.fields.productId")}
          hint={t("campaigns.fields.productHint")}
          required
          options={[
            { value: "", label: t("staffCommon.choose") },
            ...products.map((p) => ({ value: p.id, label: localized(p.name, i18n.language) })),
          ]}
        />
        <TextField field={fields.titleZh} label={t("campaigns.fields.titleZh")} required maxLength={60} />
        <TextField field={fields.titleEn} label={t("campaigns.fields.titleEn")} maxLength={60} />
        <TextField
          field={fields.price}
          label={t("campaigns.fields.price")}
          unit="元"
          inputMode="decimal"
          required
          autoComplete="off"
        />
        {number("capUnits", t("campaigns.fields.capHint"))}
        {number("perOrderLimit")}
        {number("perBuyerLimit")}
        <TextField
          field={fields.opensAt}
          label={t("campaigns.fields.opensAt")}
          type="datetime-local"
          required
        />
        <TextField
          field={fields.closesAt}
          label={t("campaigns.fields.closesAt")}
          type="datetime-local"
          required
        />
        <TextField
          field={fields.harvestFrom}
          label={t("campaigns.fields.harvestFrom")}
          type="date"
          required
        />
        <TextField field={fields.harvestTo} label={t("campaigns.fields.harvestTo")} type="date" required />
        <SubmitButton>{t("campaigns.open")}</SubmitButton>
      </StaffForm>
    </section>
  );
}
