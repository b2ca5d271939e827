import { ASSISTED_ORDER_PAYMENT_METHODS } from "@coop/shared";
import { CreateOrder } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Trans } from "react-i18next";
import { Money } from "../components/Money";
import { OrderLines } from "../components/orders/OrderLines";
import { BackLink, FieldError, FormAlert, FormKey } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { ApiError, type StaffUser } from "../lib/api.server";
import { buyerInputUnit, parseBuyerQuantity } from "../lib/cart";
import { outOfStockLines } from "../lib/checkout.server";
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";
import {
  apiProblem,
  type FieldProblem,
  type FormProblem,
  formKey,
  newFormKey,
  requireRole,
  staffFailure,
  text,
} from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

const METHODS = ASSISTED_ORDER_PAYMENT_METHODS;
type Method = (typeof METHODS)[number];

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

type Typed = { quantities: Record<string, string>; method: string };

function problemAnswer(
  problem: FormProblem,
  status: number,
  typed: Typed,
  fields: Record<string, FieldProblem> = {},
) {
  return data(
    { ok: false as const, step: "edit" as const, problem, fields, typed, idempotencyKey: newFormKey() },
    { status },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { token, api, villager, supplies, pointId } = await load(request, context, params.id ?? "");
  const form = await request.formData();
  const typed: Typed = { quantities: {}, method: text(form, "method", 20) };
  const fields: Record<string, FieldProblem> = {};
  const lines: Array<{ productId: string; quantity: number }> = [];
  for (const supply of supplies) {
    const value = text(form, `qty_${supply.id}`, 20);
    if (!value) continue;
    typed.quantities[supply.id] = value;
    const quantity = parseBuyerQuantity(value, supply.unit);
    if (quantity === null) fields[supply.id] = "quantity";
    else lines.push({ productId: supply.id, quantity });
  }
  const method = (METHODS as readonly string[]).includes(typed.method) ? (typed.method as Method) : null;
  if (!method) fields.method = "required";
  if (!method || Object.keys(fields).length > 0) return problemAnswer("checkFields", 400, typed, fields);
  if (lines.length === 0) return problemAnswer("nothingChosen", 400, typed);

  const priced = lines.map((line) => {
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
    return problemAnswer("insufficientBalance", 409, typed);
  }

  const key = formKey(form);
  if (form.get("intent") !== "confirm") {
    return data({
      ok: true as const,
      step: form.get("intent") === "edit" ? ("edit" as const) : ("confirm" as const),
      problem: null,
      fields,
      typed,
      idempotencyKey: form.get("intent") === "edit" ? newFormKey() : key,
      lines: priced,
      totalFen,
      method,
    });
  }

  const body = CreateOrder.safeParse({
    items: lines,
    fulfilment: { type: "pickup", servicePointId: pointId },
    payment: { method },
    contact: { name: villager.name, phone: villager.phone },
    onBehalfOf: { consignorId: villager.id },
  });
  if (!body.success) return problemAnswer("checkFields", 400, typed);
  try {
    const order = await api.createOrder(body.data, key, token);
    return redirect(`/staff/orders/${encodeURIComponent(order.id)}?done=placed`);
  } catch (error) {
    if (error instanceof ApiError && error.code === "INSUFFICIENT_BALANCE") {
      return problemAnswer("insufficientBalance", 409, typed);
    }
    if (error instanceof ApiError && error.code === "OUT_OF_STOCK") {
      const short = Object.fromEntries(
        outOfStockLines(error.details).map((line) => [line.productId, "quantity" as FieldProblem]),
      );
      return problemAnswer("outOfStock", 409, typed, short);
    }
    const problem = apiProblem(error);
    return problemAnswer(problem.data.problem, problem.init?.status ?? 400, typed);
  }
}

export default function AssistedOrder() {
  const { villager, supplies, pointName, methods, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useStaffTranslation();
  const base = `/staff/villagers/${encodeURIComponent(villager.id)}`;
  const key = result?.idempotencyKey ?? idempotencyKey;
  const typed = result?.typed;
  const fields: Record<string, FieldProblem> = result?.fields ?? {};
  const submitting = navigation.state === "submitting";

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
          {Object.entries(result.typed.quantities).map(([id, value]) => (
            <input key={id} type="hidden" name={`qty_${id}`} value={value} />
          ))}
          <div className="button-stack">
            <button
              type="submit"
              name="intent"
              value="confirm"
              className="button button-primary button-block button-big"
              disabled={submitting}
            >
              {submitting ? t("staffCommon.saving") : t("assisted.confirm")}
            </button>
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
        <Form
          method="post"
          className="form"
          key={key}
          aria-describedby={result?.problem ? "assisted-problem" : undefined}
        >
          <FormKey value={key} />
          <ul className="supply-list">
            {supplies.map((supply) => {
              const unitName = t(`quantity.inputUnits.${buyerInputUnit(supply.unit)}`);
              const fieldId = `qty_${supply.id}`;
              const name = localized(supply.name, i18n.language);
              return (
                <li key={supply.id} className="supply-row" data-product-id={supply.id}>
                  <label htmlFor={fieldId} className="supply-name">
                    <span className="supply-title">{name}</span>
                    <span className="muted">
                      <Money fen={supply.priceFen} per={supply.unit} />
                    </span>
                  </label>
                  <div className="supply-input">
                    <input
                      id={fieldId}
                      name={fieldId}
                      type="text"
                      inputMode={supply.unit === "gram" ? "decimal" : "numeric"}
                      autoComplete="off"
                      aria-label={t("assisted.quantityOf", { name })}
                      defaultValue={typed?.quantities[supply.id] ?? ""}
                      aria-invalid={fields[supply.id] ? true : undefined}
                      aria-describedby={`${fieldId}-error`}
                    />
                    <span aria-hidden="true">{unitName}</span>
                  </div>
                  <FieldError id={`${fieldId}-error`} problem={fields[supply.id]} />
                </li>
              );
            })}
          </ul>
          <fieldset className="field">
            <legend className="field-label">{t("assisted.payment")}</legend>
            <div className="segmented">
              {methods.map((method) => (
                <label key={method} className="segment">
                  <input
                    type="radio"
                    name="method"
                    value={method}
                    defaultChecked={(typed?.method || "cash_on_pickup") === method}
                  />
                  <span>{t(`paymentMethod.${method}`)}</span>
                </label>
              ))}
            </div>
            <FieldError id="method-error" problem={fields.method} />
          </fieldset>
          <button
            type="submit"
            name="intent"
            value="review"
            className="button button-primary button-block button-big"
          >
            {t("assisted.next")}
          </button>
        </Form>
      )}
    </>
  );
}
