import { ASSISTED_ORDER_PAYMENT_METHODS } from "@coop/shared";
import { CreateOrder } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Trans } from "react-i18next";
import { z } from "zod";
import { Money } from "../components/Money";
import { OrderLines } from "../components/orders/OrderLines";
import { ChoiceField, textInputProps } from "../components/staff/FieldControls";
import { BackLink, FieldError, FormAlert, FormKey } from "../components/staff/FormBits";
import { SavingLabel } from "../components/staff/SavingLabel";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { StaffForm, SubmitButton, useStaffForm } from "../components/staff/StaffForm";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { ApiError, type StaffUser } from "../lib/api.server";
import { buyerInputUnit, parseBuyerQuantity } from "../lib/cart";
import { outOfStockLines } from "../lib/checkout.server";
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";
import { formKey, newFormKey, requireRole, staffFailure } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm, staffReply } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

const METHODS = ASSISTED_ORDER_PAYMENT_METHODS;

/** Where an assisted order is collected: the agent's own point (an admin: the villager's). */
function pickupPoint(user: StaffUser, villager: { servicePointId: string }): string {
  return user.role === "agent" && user.servicePointId ? user.servicePointId : villager.servicePointId;
}

async function load(request: Request, context: LoaderFunctionArgs["context"], id: string) {
  const { user, token } = await requireRole(request, context, ["agent", "admin"]);
  const api = getApi(context, request);
  const fail = staffFailure(request);
  const [villager, supplies, points] = await Promise.all([
    api.getConsignor(token, id).catch(fail),
    api.listProducts({ kind: "supply", limit: 100 }).catch(fail),
    api.listServicePoints().catch(() => []),
  ]);
  const pointId = pickupPoint(user, villager);
  return {
    token,
    api,
    villager: {
      id: villager.id,
      name: villager.name,
      phone: villager.phone,
      balanceFen: villager.balanceFen,
    },
    supplies: supplies.items.map((item) => ({
      id: item.id,
      name: item.name,
      unit: item.unit,
      priceFen: item.priceFen,
      available: item.available,
    })),
    pointId,
    pointName: points.find((point) => point.id === pointId)?.name ?? null,
  };
}

/** 帮代办: the agent orders farm supplies for a villager, collected at the point, paid in cash or from earnings. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const [t, loaded] = await Promise.all([getT(request, "staff"), load(request, context, params.id ?? "")]);
  const { villager, supplies, pointName } = loaded;
  return {
    title: t("assisted.title"),
    villager,
    supplies,
    pointName,
    methods: METHODS,
    idempotencyKey: newFormKey(),
  };
}

type Supply = Awaited<ReturnType<typeof load>>["supplies"][number];

/**
 * The villager's order: a quantity per supply (`qty_<id>`, read as the buyer's cart reads it; empty =
 * not wanted) and how it is paid, as the contract's items.
 */
function assistedForm(supplies: readonly Supply[]) {
  return z
    .object({ method: z.enum(METHODS) })
    .catchall(z.unknown())
    .transform((form, ctx) => {
      const items: Array<{ productId: string; quantity: number }> = [];
      for (const supply of supplies) {
        const typed = form[`qty_${supply.id}`];
        if (typeof typed !== "string" || !typed.trim()) continue;
        const quantity = parseBuyerQuantity(typed, supply.unit);
        if (quantity === null)
          ctx.addIssue({ code: "custom", path: [`qty_${supply.id}`], message: "quantity" });
        else items.push({ productId: supply.id, quantity });
      }
      return { method: form.method, items };
    })
    .pipe(z.object({ method: z.enum(METHODS), items: CreateOrder.shape.items.element.array() }));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { token, api, villager, supplies, pointId } = await load(request, context, params.id ?? "");
  const form = await request.formData();
  const submission = parseStaffForm(form, assistedForm(supplies));
  if (submission.status !== "success") return staffReply(submission);
  const { method, items } = submission.value;
  if (items.length === 0) return staffReply(submission, { problem: "nothingChosen", status: 400 });

  const priced = items.map((line) => {
    const supply = supplies.find((item) => item.id === line.productId)!;
    return {
      id: supply.id,
      name: supply.name,
      unit: supply.unit,
      quantity: line.quantity,
      unitPriceFen: supply.priceFen,
      lineTotalFen: supply.priceFen * line.quantity,
    };
  });
  const totalFen = priced.reduce((sum, line) => sum + line.lineTotalFen, 0);
  if (method === "consignor_balance" && totalFen > villager.balanceFen) {
    return staffReply(submission, { problem: "insufficientBalance", status: 409 });
  }

  const intent = form.get("intent");
  if (intent !== "confirm") {
    return data({
      ok: true as const,
      step: intent === "edit" ? ("edit" as const) : ("confirm" as const),
      problem: null,
      result: submission.reply(),
      idempotencyKey: intent === "edit" ? newFormKey() : formKey(form),
      quantities: Object.fromEntries(priced.map((line) => [line.id, String(form.get(`qty_${line.id}`))])),
      lines: priced,
      totalFen,
      method,
    });
  }

  const body = CreateOrder.safeParse({
    items,
    fulfilment: { type: "pickup", servicePointId: pointId },
    payment: { method },
    contact: { name: villager.name, phone: villager.phone },
    onBehalfOf: { consignorId: villager.id },
  });
  if (!body.success) return staffReply(submission);
  try {
    const order = await api.createOrder(body.data, formKey(form), token);
    return redirect(`/staff/orders/${encodeURIComponent(order.id)}?done=placed`);
  } catch (error) {
    if (error instanceof ApiError && error.code === "INSUFFICIENT_BALANCE") {
      return staffReply(submission, { problem: "insufficientBalance", status: 409 });
    }
    if (error instanceof ApiError && error.code === "OUT_OF_STOCK") {
      const short = outOfStockLines(error.details).map((line) => [
        `qty_${line.productId}`,
        "quantity" as const,
      ]);
      return staffReply(submission, {
        problem: "outOfStock",
        status: 409,
        fields: Object.fromEntries(short),
      });
    }
    return staffReply(submission, apiErrorToReply(error));
  }
}

export default function AssistedOrder() {
  const { villager, supplies, pointName, methods, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useStaffTranslation();
  const base = `/staff/villagers/${encodeURIComponent(villager.id)}`;
  const key = result?.idempotencyKey ?? idempotencyKey;
  const [form, fields] = useStaffForm<string>(result, { defaultValue: { method: "cash_on_pickup" } });

  if (result?.ok && result.step === "confirm") {
    return (
      <>
        <h1>{t("assisted.confirmTitle")}</h1>
        <p className="lead">{t("assisted.for", { name: villager.name })}</p>
        <OrderLines lines={result.lines} />
        <div className="confirm-box">
          <p>{t("assisted.total")}</p>
          <p className="confirm-amount" data-testid="assisted-total">
            <Money fen={result.totalFen} />
          </p>
          <p>{t(`paymentMethod.${result.method}`)}</p>
          {pointName ? <p className="muted">{localized(pointName, i18n.language)}</p> : null}
        </div>
        <Form method="post">
          <FormKey value={key} />
          <input type="hidden" name="method" value={result.method} />
          {Object.entries(result.quantities).map(([id, value]) => (
            <input key={id} type="hidden" name={`qty_${id}`} value={value} />
          ))}
          <div className="button-stack">
            <SubmitButton
              name="intent"
              value="confirm"
              className="button button-primary button-block button-big"
            >
              <SavingLabel>{t("assisted.confirm")}</SavingLabel>
            </SubmitButton>
            <button type="submit" name="intent" value="edit" className="button button-quiet button-block">
              {t("assisted.change")}
            </button>
          </div>
        </Form>
      </>
    );
  }

  return (
    <>
      <BackLink to={base}>{villager.name}</BackLink>
      <h1>{t("assisted.for", { name: villager.name })}</h1>
      <p className="lead">{t("assisted.intro")}</p>
      <dl className="facts">
        {pointName ? (
          <div className="fact">
            <dt>{t("assisted.pickupAt")}</dt>
            <dd>{localized(pointName, i18n.language)}</dd>
          </div>
        ) : null}
        <div className="fact">
          <dt>{t("assisted.balance")}</dt>
          <dd>
            <Money fen={villager.balanceFen} />
          </dd>
        </div>
      </dl>
      <FormAlert problem={result?.problem} id="assisted-problem" />
      {result?.problem === "insufficientBalance" ? (
        <p className="notice" data-testid="insufficient">
          <Trans
            ns="staff"
            i18nKey="assisted.insufficient"
            values={{ name: villager.name }}
            components={{ money: <Money fen={villager.balanceFen} /> }}
          />
        </p>
      ) : null}
      {supplies.length === 0 ? (
        <p className="notice">{t("assisted.none")}</p>
      ) : (
        <StaffForm
          form={form}
          idempotencyKey={key}
          aria-describedby={result?.problem ? "assisted-problem" : undefined}
        >
          <ul className="supply-list">
            {supplies.map((supply) => {
              const unitName = t(`quantity.inputUnits.${buyerInputUnit(supply.unit)}`);
              const field = fields[`qty_${supply.id}`]!;
              const name = localized(supply.name, i18n.language);
              const problem = field.errors?.[0];
              return (
                <li key={supply.id} className="supply-row" data-product-id={supply.id}>
                  <label htmlFor={field.name} className="supply-name">
                    <span className="supply-title">{name}</span>
                    <span className="muted">
                      <Money fen={supply.priceFen} per={supply.unit} />
                    </span>
                  </label>
                  <div className="supply-input">
                    <input
                      key={field.key}
                      {...textInputProps(field)}
                      // What the last answer sent back (the edit step after 改一下 mounts the boxes again).
                      defaultValue={typeof field.value === "string" ? field.value : ""}
                      id={field.name}
                      inputMode={supply.unit === "gram" ? "decimal" : "numeric"}
                      autoComplete="off"
                      aria-label={t("assisted.quantityOf", { name })}
                      aria-invalid={problem ? true : undefined}
                      aria-describedby={`${field.name}-error`}
                    />
                    <span aria-hidden="true">{unitName}</span>
                  </div>
                  <FieldError id={`${field.name}-error`} problem={problem} />
                </li>
              );
            })}
          </ul>
          <ChoiceField
            field={fields.method!}
            legend={t("assisted.payment")}
            choices={methods.map((method) => ({ value: method, label: t(`paymentMethod.${method}`) }))}
          />
          <SubmitButton
            name="intent"
            value="review"
            className="button button-primary button-block button-big"
          >
            {t("assisted.next")}
          </SubmitButton>
        </StaffForm>
      )}
    </>
  );
}
