import { PAYOUT_METHODS } from "@coop/shared";
import { CreatePayout } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Money } from "../components/Money";
import { ChoiceField, textInputProps } from "../components/staff/FieldControls";
import { BackLink, FormAlert, FormKey } from "../components/staff/FormBits";
import { SavingLabel } from "../components/staff/SavingLabel";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { Field, StaffForm, SubmitButton, TextField, useStaffForm } from "../components/staff/StaffForm";
import { getT } from "../i18next.server";
import { ApiError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";
import { formKey, newFormKey, requireRole, staffFailure } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm, staffReply, yuanAsFen } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

const METHODS = PAYOUT_METHODS;
type PayoutField = "amount" | "method" | "note";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["agent", "admin"]);
  const [t, villager] = await Promise.all([
    getT(request, "staff"),
    getApi(context, request)
      .getConsignor(token, params.id ?? "")
      .catch(staffFailure(request)),
  ]);
  return {
    title: t("payout.title"),
    villager: { id: villager.id, name: villager.name, balanceFen: villager.balanceFen },
    idempotencyKey: newFormKey(),
  };
}

/** The payout form: yuan as fen, never more than the villager's balance (the API refuses that too). */
function payoutForm(balanceFen: number) {
  return CreatePayout.pick({ method: true, note: true })
    .extend({ amount: yuanAsFen(CreatePayout.shape.amountFen) })
    .refine((form) => form.amount <= balanceFen, { path: ["amount"], message: "overBalance" });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["agent", "admin"]);
  const api = getApi(context, request);
  const form = await request.formData();
  const villager = await api.getConsignor(token, params.id ?? "").catch(staffFailure(request));
  const submission = parseStaffForm(form, payoutForm(villager.balanceFen), { amount: "money" });
  if (submission.status !== "success") return staffReply(submission);
  const { amount: amountFen, method, note } = submission.value;

  const key = formKey(form);
  // First press: show what is about to happen, in big letters, before any money moves.
  if (form.get("intent") !== "confirm") {
    return data({
      ok: true as const,
      problem: null,
      idempotencyKey: key,
      step: "confirm" as const,
      typed: { amount: String(form.get("amount") ?? ""), note: note ?? "" },
      amountFen,
      method,
    });
  }

  try {
    const body = { consignorId: villager.id, amountFen, method, note };
    const payout = await api.createPayout(token, body, key);
    return redirect(`/staff/payouts/${encodeURIComponent(payout.id)}`);
  } catch (error) {
    if (error instanceof ApiError && error.code === "INSUFFICIENT_BALANCE") {
      return staffReply(submission, {
        problem: "checkFields",
        status: 409,
        fields: { amount: "overBalance" },
      });
    }
    return staffReply(submission, apiErrorToReply(error, { amountFen: "amount", method: "method" }));
  }
}

export default function PayoutPage() {
  const { villager, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useStaffTranslation();
  const base = `/staff/villagers/${encodeURIComponent(villager.id)}`;
  const key = result?.idempotencyKey ?? idempotencyKey;
  const [form, fields] = useStaffForm<PayoutField>(result, {
    defaultValue: { method: "cash" },
  });

  if (result?.ok && result.step === "confirm") {
    return (
      <>
        <h1>{t("payout.confirmTitle")}</h1>
        <div className="confirm-box" role="status">
          <p>{t("payout.confirmTo", { name: villager.name })}</p>
          <p className="confirm-amount">
            <Money fen={result.amountFen} />
          </p>
          <p>{t(`payout.methods.${result.method}`)}</p>
          {result.typed.note ? <p className="muted">{result.typed.note}</p> : null}
        </div>
        <p className="lead">
          {t(result.method === "cash" ? "payout.confirmCash" : "payout.confirmTransfer")}
        </p>
        <Form method="post">
          <FormKey value={key} />
          <input type="hidden" name="amount" value={result.typed.amount} />
          <input type="hidden" name="method" value={result.method} />
          <input type="hidden" name="note" value={result.typed.note} />
          <SubmitButton
            name="intent"
            value="confirm"
            className="button button-primary button-block button-big"
          >
            <SavingLabel>{t("payout.confirm")}</SavingLabel>
          </SubmitButton>
        </Form>
        <p>
          <Link to="." className="button button-quiet button-block">
            {t("payout.change")}
          </Link>
        </p>
      </>
    );
  }

  return (
    <>
      <BackLink to={base}>{villager.name}</BackLink>
      <h1>{t("payout.title")}</h1>
      <p className="balance">
        <span>{t("payout.balanceOf", { name: villager.name })}</span> <Money fen={villager.balanceFen} />
      </p>
      <FormAlert problem={result?.problem} id="payout-problem" />
      {villager.balanceFen <= 0 ? (
        <p className="notice">{t("payout.nothingToPay")}</p>
      ) : (
        <StaffForm
          form={form}
          idempotencyKey={key}
          aria-describedby={result?.problem ? "payout-problem" : undefined}
        >
          <Field field={fields.amount} label={t("payout.amount")} hint={t("payout.amountHint")}>
            {(ids) => (
              <div className="quantity-input-row">
                <span className="quantity-input-unit" aria-hidden="true">
                  ¥
                </span>
                <input
                  key={fields.amount.key}
                  {...textInputProps(fields.amount)}
                  {...ids}
                  inputMode="decimal"
                  pattern="[0-9]+([.][0-9]{1,2})?"
                  className="quantity-input"
                  required
                  autoComplete="off"
                />
                <span className="quantity-input-unit" aria-hidden="true">
                  {t("payout.yuan")}
                </span>
              </div>
            )}
          </Field>
          <ChoiceField
            field={fields.method}
            legend={t("payout.method")}
            choices={METHODS.map((method) => ({ value: method, label: t(`payout.methods.${method}`) }))}
            required
          />
          <TextField field={fields.note} label={t("payout.note")} maxLength={200} />
          <SubmitButton
            name="intent"
            value="review"
            className="button button-primary button-block button-big"
          >
            {t("payout.next")}
          </SubmitButton>
        </StaffForm>
      )}
    </>
  );
}
