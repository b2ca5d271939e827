import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Money } from "../components/Money";
import { Quantity } from "../components/Quantity";
import { BackLink, Fact, FieldError, FormAlert, FormKey } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatDate, formatDateTime } from "../lib/dates";
import { DELIVERY_DISCREPANCY_KINDS, lineOutcome, readReceiveForm } from "../lib/deliveries";
import { pageMeta } from "../lib/meta";
import { shortOrderId } from "../lib/orders";
import { fromBaseQuantity, inputUnitsFor } from "../lib/quantity";
import { requireStaff } from "../lib/session.server";
import {
  apiProblem,
  type FieldProblem,
  formKey,
  formProblem,
  newFormKey,
  requireRole,
  staffFailure,
  text,
} from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, token } = await requireStaff(request, context);
  const api = getApi(context, request);
  const [t, run] = await Promise.all([
    getT(request, "staff"),
    api.getDeliveryRun(token, params.id ?? "").catch(staffFailure(request)),
  ]);
  const fulfils = user.role === "warehouse" || user.role === "admin";
  return {
    title: t("delivery.title"),
    run,
    canDispatch: run.status === "packing" && fulfils,
    canReceive:
      run.status === "in_transit" &&
      (user.role === "admin" || (user.role === "agent" && user.servicePointId === run.toLocationId)),
    canResend: run.status === "received" && fulfils,
    discrepancyKinds: DELIVERY_DISCREPANCY_KINDS,
    idempotencyKey: newFormKey(),
  };
}

/** One form per step: dispatch (warehouse), receive (the point's agent), re-send a short line (warehouse). */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = text(form, "intent", 20);
  const id = params.id ?? "";
  const here = `/staff/deliveries/${encodeURIComponent(id)}`;
  if (intent === "receive") {
    const { token } = await requireRole(request, context, ["agent", "admin"]);
    const api = getApi(context, request);
    const run = await api.getDeliveryRun(token, id).catch(staffFailure(request));
    if (run.status !== "in_transit") return formProblem("invalidState", 409);
    const read = readReceiveForm(form, run.lines);
    if (!read.ok) {
      return formProblem("checkFields", 400, read.fields as Record<string, FieldProblem>, {
        typed: read.typed,
      });
    }
    try {
      const received = await api.receiveDeliveryRun(token, id, { lines: read.lines }, formKey(form));
      return redirect(`${here}?received=1&ready=${received.readyOrderIds.length}`);
    } catch (error) {
      const problem = apiProblem(error);
      return formProblem(problem.data.problem, problem.init?.status ?? 400, {}, { typed: read.typed });
    }
  }
  const { token } = await requireRole(request, context, ["warehouse", "admin"]);
  const api = getApi(context, request);
  try {
    if (intent === "dispatch") {
      await api.dispatchDeliveryRun(token, id, formKey(form));
      return redirect(`${here}?dispatched=1`);
    }
    if (intent === "resend") {
      const next = await api.resendDeliveryLine(token, id, text(form, "lineId", 64), formKey(form));
      return redirect(`/staff/deliveries/${encodeURIComponent(next.id)}?resent=1`);
    }
    if (intent === "refund") {
      const done = await api.refundDeliveryLine(token, id, text(form, "lineId", 64), formKey(form));
      return redirect(`${here}?refunded=${done.refundedFen}&sent=${done.refundSent ? 1 : 0}`);
    }
  } catch (error) {
    const problem = apiProblem(error);
    return formProblem(problem.data.problem, problem.init?.status ?? 400);
  }
  return formProblem("checkFields", 400);
}

export default function DeliveryRunPage() {
  const { run, canDispatch, canReceive, canResend, discrepancyKinds, idempotencyKey } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useStaffTranslation();
  const busy = navigation.state === "submitting";
  const fields: Record<string, FieldProblem> = result?.fields ?? {};
  const typed: Record<string, string> =
    result && "typed" in result ? (result.typed as Record<string, string>) : {};
  const notice = searchParams.get("dispatched")
    ? t("delivery.dispatched")
    : searchParams.get("received")
      ? `${t("delivery.received")} ${t("delivery.readyCount", { n: Number(searchParams.get("ready") ?? 0) })}`
      : searchParams.get("resent")
        ? t("delivery.resentNotice")
        : null;
  const refundedFen = Number(searchParams.get("refunded") ?? Number.NaN);

  return (
    <>
      <BackLink to="/staff/deliveries">{t("deliveries.runsTitle")}</BackLink>
      {Number.isInteger(refundedFen) ? (
        <p className="notice notice-info" role="status">
          {t("delivery.refundedNotice")} <Money fen={refundedFen} />
          {searchParams.get("sent") === "0" ? ` ${t("delivery.refundNotSent")}` : ""}
        </p>
      ) : null}
      {notice ? (
        <p className="notice notice-info" role="status">
          {notice}
        </p>
      ) : null}
      <h1>{t("delivery.title")}</h1>
      <dl className="facts">
        <Fact label={t("delivery.to")}>{localized(run.toName, i18n.language)}</Fact>
        <Fact label={t("delivery.status")}>{t(`deliveries.tabs.${run.status}`)}</Fact>
        <Fact label={t("delivery.createdAt")}>{formatDateTime(run.createdAt, i18n.language)}</Fact>
        {run.dispatchedAt ? (
          <Fact label={t("delivery.dispatchedAt")}>{formatDateTime(run.dispatchedAt, i18n.language)}</Fact>
        ) : null}
        {run.receivedAt ? (
          <Fact label={t("delivery.receivedAt")}>{formatDateTime(run.receivedAt, i18n.language)}</Fact>
        ) : null}
      </dl>
      <p className="no-print">
        <Link
          to={`/staff/deliveries/${encodeURIComponent(run.id)}/manifest`}
          className="button button-secondary button-block"
        >
          {t("delivery.manifestLink")}
        </Link>
      </p>
      <FormAlert problem={result?.problem} id="run-problem" />

      {run.status === "packing" || !canReceive ? (
        <section aria-labelledby="pick-title">
          <h2 id="pick-title">{t("delivery.pickListTitle")}</h2>
          {run.pickList.length === 0 ? <p className="notice">{t("delivery.pickNone")}</p> : null}
          <ul className="card-list">
            {run.pickList.map((pick) => (
              <li key={pick.productId} className="card">
                <span className="card-title">
                  {localized(pick.productName, i18n.language)} ·{" "}
                  <Quantity quantity={pick.quantity} unit={pick.unit} />
                </span>
                {pick.lots.map((lot) => (
                  <span key={lot.lotId} data-lot-no={lot.lotNo}>
                    {t("delivery.lot", { lotNo: lot.lotNo })}
                    {lot.bestBefore
                      ? ` · ${t("delivery.bestBefore", { date: formatDate(lot.bestBefore, i18n.language) })}`
                      : ""}
                    {" · "}
                    {t("delivery.take")} <Quantity quantity={lot.take} unit={pick.unit} />
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {canDispatch ? (
        <Form method="post">
          <FormKey value={idempotencyKey} />
          <button
            type="submit"
            name="intent"
            value="dispatch"
            className="button button-primary button-block button-big"
            disabled={busy}
          >
            {t("delivery.dispatch")}
          </button>
        </Form>
      ) : null}

      {canReceive ? (
        <section aria-labelledby="receive-title">
          <h2 id="receive-title">{t("delivery.receiveTitle")}</h2>
          <p className="lead">{t("delivery.receiveIntro")}</p>
          <Form method="post" aria-describedby={result?.problem ? "run-problem" : undefined}>
            <FormKey value={idempotencyKey} />
            <input type="hidden" name="intent" value="receive" />
            {run.lines.map((line, index) => {
              const units = inputUnitsFor(line.unit);
              const inputUnit = units[0] ?? line.unit;
              const receivedField = `received.${line.id}`;
              const kindField = `kind.${line.id}`;
              return (
                <fieldset key={line.id} className="form receive-line" data-line-id={line.id}>
                  <legend className="receive-legend">
                    {t("delivery.order", { no: shortOrderId(line.orderId) })} ·{" "}
                    {localized(line.productName, i18n.language)}
                    {t(`delivery.goods.${line.goods}`)}
                  </legend>
                  <p>
                    {t("delivery.sentQuantity")} <Quantity quantity={line.quantity} unit={line.unit} />
                  </p>
                  <div className="field">
                    <label htmlFor={`received-${index}`} className="field-label">
                      {t("delivery.receivedQuantity")}
                    </label>
                    <div className="quantity-input-row">
                      <input
                        id={`received-${index}`}
                        name={receivedField}
                        type="text"
                        inputMode={units.length > 1 ? "decimal" : "numeric"}
                        className="quantity-input"
                        required
                        autoComplete="off"
                        defaultValue={typed[line.id] ?? fromBaseQuantity(line.quantity, inputUnit)}
                        aria-invalid={fields[receivedField] ? true : undefined}
                        aria-describedby={`received-${index}-error`}
                      />
                      <input type="hidden" name={`unit.${line.id}`} value={inputUnit} />
                      <span className="quantity-input-unit">{t(`quantity.inputUnits.${inputUnit}`)}</span>
                    </div>
                    <FieldError id={`received-${index}-error`} problem={fields[receivedField]} />
                  </div>
                  <div className="field">
                    <label htmlFor={`kind-${index}`} className="field-label">
                      {t("delivery.discrepancy")}
                    </label>
                    <select
                      id={`kind-${index}`}
                      name={kindField}
                      defaultValue=""
                      aria-invalid={fields[kindField] ? true : undefined}
                      aria-describedby={`kind-${index}-error`}
                    >
                      <option value="">{t("delivery.noDiscrepancy")}</option>
                      {discrepancyKinds.map((kind) => (
                        <option key={kind} value={kind}>
                          {t(`discrepancy.${kind}`)}
                        </option>
                      ))}
                    </select>
                    <FieldError id={`kind-${index}-error`} problem={fields[kindField]} />
                  </div>
                  <div className="field">
                    <label htmlFor={`note-${index}`} className="field-label">
                      {t("delivery.note")}
                    </label>
                    <input id={`note-${index}`} name={`note.${line.id}`} type="text" maxLength={200} />
                  </div>
                </fieldset>
              );
            })}
            <button type="submit" className="button button-primary button-block button-big" disabled={busy}>
              {t("delivery.receiveSubmit")}
            </button>
          </Form>
        </section>
      ) : (
        <section aria-labelledby="lines-title">
          <h2 id="lines-title">{t("delivery.linesTitle")}</h2>
          <ul className="card-list">
            {run.lines.map((line) => {
              const outcome = lineOutcome(line);
              return (
                <li key={line.id} className="card" data-line-id={line.id}>
                  <span className="card-title">
                    {t("delivery.order", { no: shortOrderId(line.orderId) })} ·{" "}
                    {localized(line.productName, i18n.language)}
                    {t(`delivery.goods.${line.goods}`)}
                  </span>
                  <span>
                    {t("delivery.sentQuantity")} <Quantity quantity={line.quantity} unit={line.unit} />
                  </span>
                  {line.quantityReceived !== null ? (
                    <span>
                      {t("delivery.receivedQuantity")}{" "}
                      <Quantity quantity={line.quantityReceived} unit={line.unit} />
                    </span>
                  ) : null}
                  {outcome.missing > 0 ? (
                    <span className="status status-bad">
                      {t("delivery.short", { n: outcome.missing })}
                      {line.discrepancyKind ? ` · ${t(`discrepancy.${line.discrepancyKind}`)}` : ""}
                      {line.note ? ` — ${line.note}` : ""}
                      {" · "}
                      {t(
                        outcome.kind === "resent"
                          ? "delivery.resent"
                          : outcome.kind === "cancelled"
                            ? "delivery.cancelled"
                            : outcome.kind === "refunded"
                              ? "delivery.refunded"
                              : "delivery.waitingDecision",
                      )}
                    </span>
                  ) : null}
                  {canResend && outcome.kind === "waiting" ? (
                    <Form method="post">
                      <FormKey value={`${idempotencyKey}-${line.id}`} />
                      <input type="hidden" name="lineId" value={line.id} />
                      <button
                        type="submit"
                        name="intent"
                        value="resend"
                        className="button button-secondary"
                        disabled={busy}
                      >
                        {t("delivery.resend")}
                      </button>
                    </Form>
                  ) : null}
                  {canResend &&
                  outcome.kind === "waiting" &&
                  line.goods !== "reserved" &&
                  (line.quantityReceived ?? 0) > 0 ? (
                    // A paid order's missing part can also be given back instead (not when nothing arrived:
                    // then only the whole order can be refunded).
                    <Form method="post">
                      <FormKey value={`${idempotencyKey}-refund-${line.id}`} />
                      <input type="hidden" name="lineId" value={line.id} />
                      <button
                        type="submit"
                        name="intent"
                        value="refund"
                        className="button button-secondary"
                        disabled={busy}
                      >
                        {t("delivery.refundPart")}
                      </button>
                    </Form>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </>
  );
}
