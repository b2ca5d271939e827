import { ReceiveDeliveryRun } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { Money } from "../components/Money";
import { Quantity } from "../components/Quantity";
import { BackLink, Fact, FormAlert, FormKey } from "../components/staff/FormBits";
import { ReceiveLineFields } from "../components/staff/ReceiveLineFields";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { StaffForm, SubmitButton, useStaffForm } from "../components/staff/StaffForm";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatDate, formatDateTime } from "../lib/dates";
import { DELIVERY_DISCREPANCY_KINDS, lineOutcome, runReceiveForm } from "../lib/deliveries";
import { pageMeta } from "../lib/meta";
import { shortOrderId } from "../lib/orders";
import { typedCounts } from "../lib/receive-lines";
import { requireStaff } from "../lib/session.server";
import { formKey, newFormKey, requireRole, staffFailure } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm, staffReply } from "../lib/staff-form.server";
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

/** The warehouse's steps on a run: dispatch it, or for a short line re-send it or refund the missing part. */
const WarehouseStep = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("dispatch") }),
  z.object({
    intent: z.enum(["resend", "refund"]),
    lineId: ReceiveDeliveryRun.shape.lines.element.shape.lineId,
  }),
]);

/** One form per step: dispatch (warehouse), receive (the point's agent), re-send a short line (warehouse). */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const id = params.id ?? "";
  const here = `/staff/deliveries/${encodeURIComponent(id)}`;
  if (form.get("intent") === "receive") {
    const { token } = await requireRole(request, context, ["agent", "admin"]);
    const api = getApi(context, request);
    const run = await api.getDeliveryRun(token, id).catch(staffFailure(request));
    const submission = parseStaffForm(form, runReceiveForm(run.lines));
    const typed = typedCounts(form, run.lines);
    if (run.status !== "in_transit") return staffReply(submission, { problem: "invalidState", status: 409 });
    if (submission.status !== "success") return staffReply(submission, undefined, { typed });
    try {
      const received = await api.receiveDeliveryRun(token, id, submission.value, formKey(form));
      return redirect(`${here}?received=1&ready=${received.readyOrderIds.length}`);
    } catch (error) {
      return staffReply(submission, apiErrorToReply(error), { typed });
    }
  }
  const { token } = await requireRole(request, context, ["warehouse", "admin"]);
  const api = getApi(context, request);
  const submission = parseStaffForm(form, WarehouseStep);
  if (submission.status !== "success") return staffReply(submission);
  const step = submission.value;
  const key = formKey(form);
  try {
    if (step.intent === "dispatch") {
      await api.dispatchDeliveryRun(token, id, key);
      return redirect(`${here}?dispatched=1`);
    }
    if (step.intent === "resend") {
      const next = await api.resendDeliveryLine(token, id, step.lineId, key);
      return redirect(`/staff/deliveries/${encodeURIComponent(next.id)}?resent=1`);
    }
    const done = await api.refundDeliveryLine(token, id, step.lineId, key);
    return redirect(`${here}?refunded=${done.refundedFen}&sent=${done.refundSent ? 1 : 0}`);
  } catch (error) {
    return staffReply(submission, apiErrorToReply(error));
  }
}

export default function DeliveryRunPage() {
  const { run, canDispatch, canReceive, canResend, discrepancyKinds, idempotencyKey } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useStaffTranslation();
  const [receiveForm, receiveFields] = useStaffForm(result, { intent: "receive" });
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
          <SubmitButton
            name="intent"
            value="dispatch"
            className="button button-primary button-block button-big"
          >
            {t("delivery.dispatch")}
          </SubmitButton>
        </Form>
      ) : null}

      {canReceive ? (
        <section aria-labelledby="receive-title">
          <h2 id="receive-title">{t("delivery.receiveTitle")}</h2>
          <p className="lead">{t("delivery.receiveIntro")}</p>
          <StaffForm
            form={receiveForm}
            idempotencyKey={idempotencyKey}
            className="receive-lines"
            aria-describedby={result?.problem ? "run-problem" : undefined}
          >
            <input type="hidden" name="intent" value="receive" />
            {run.lines.map((line, index) => (
              <ReceiveLineFields
                key={line.id}
                fields={receiveFields}
                id={line.id}
                index={index}
                unit={line.unit}
                sent={line.quantity}
                legend={
                  <>
                    {t("delivery.order", { no: shortOrderId(line.orderId) })} ·{" "}
                    {localized(line.productName, i18n.language)}
                    {t(`delivery.goods.${line.goods}`)}
                  </>
                }
                texts="delivery"
                kinds={discrepancyKinds}
                data-line-id={line.id}
              />
            ))}
            <SubmitButton className="button button-primary button-block button-big">
              {t("delivery.receiveSubmit")}
            </SubmitButton>
          </StaffForm>
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
                      <SubmitButton name="intent" value="resend" className="button button-secondary">
                        {t("delivery.resend")}
                      </SubmitButton>
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
                      <SubmitButton name="intent" value="refund" className="button button-secondary">
                        {t("delivery.refundPart")}
                      </SubmitButton>
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
