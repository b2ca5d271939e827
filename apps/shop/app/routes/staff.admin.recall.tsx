import { truncateText } from "@coop/shared";
import { BlockLot } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Quantity } from "../components/Quantity";
import { BackLink, Fact, FormAlert } from "../components/staff/FormBits";
import { LotStatus } from "../components/staff/LotStatus";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { StaffForm, SubmitButton, TextField, useStaffForm } from "../components/staff/StaffForm";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatDateTime } from "../lib/dates";
import { findLotId } from "../lib/find-lot.server";
import { formatPhone } from "../lib/format";
import { pageMeta } from "../lib/meta";
import { familyRows } from "../lib/recall-family";
import { formKey, newFormKey, requireRole, staffFailure } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm, staffReply } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin", "warehouse"]);
  const url = new URL(request.url);
  const q = truncateText((url.searchParams.get("q") ?? "").trim(), 200);
  const api = getApi(context, request);
  const fail = staffFailure(request);
  const t = await getT(request, "staff");
  const id = q ? await findLotId(api, token, q).catch(fail) : null;
  const [lot, trace] = id
    ? await Promise.all([api.getLot(token, id).catch(fail), api.traceLot(token, id).catch(fail)])
    : [null, null];
  return {
    title: t("recall.title"),
    q,
    notFound: Boolean(q) && !id,
    lot: lot ? { ...lot, movements: [] } : null,
    trace,
    blocked: url.searchParams.get("blocked") === "1",
    idempotencyKey: newFormKey(),
  };
}

// The contract's block, for the lot the page found.
const BlockForm = BlockLot.extend({ lotId: z.string().min(1).max(64) });

export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["admin", "warehouse"]);
  const form = await request.formData();
  const submission = parseStaffForm(form, BlockForm);
  if (submission.status !== "success") return staffReply(submission);
  const { lotId, ...block } = submission.value;
  try {
    await getApi(context, request).blockLot(token, lotId, block, formKey(form));
  } catch (error) {
    return staffReply(submission, apiErrorToReply(error, ["reason"]));
  }
  return redirect(`/staff/admin/recall?${new URLSearchParams({ q: lotId, blocked: "1" })}`);
}

export default function Recall() {
  const { q, notFound, lot, trace, blocked, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useStaffTranslation();
  const [form, fields] = useStaffForm<"reason">(result);
  const family = lot && trace ? familyRows(trace.family, trace.recall?.askedLotId ?? lot.id) : [];

  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{t("recall.title")}</h1>
      <p className="lead">{t("recall.intro")}</p>
      <Form method="get" className="search" role="search">
        <label htmlFor="q" className="field-label">
          {t("recall.find")}
        </label>
        <div className="search-row">
          <input
            id="q"
            name="q"
            type="search"
            required
            defaultValue={q}
            key={q}
            placeholder="HS01-20261123-0007"
            autoComplete="off"
          />
          <button type="submit" className="button button-primary">
            {t("villagers.searchButton")}
          </button>
        </div>
      </Form>
      {notFound ? <p className="notice">{t("recall.notFound")}</p> : null}
      {blocked ? (
        <p className="notice notice-info" role="status">
          {t("recall.blockedNotice")}
        </p>
      ) : null}

      {lot ? (
        <section aria-labelledby="lot-title">
          <h2 id="lot-title" className="lot-no">
            <Link to={`/staff/lots/${encodeURIComponent(lot.id)}`}>{lot.lotNo}</Link>
          </h2>
          <dl className="facts">
            <Fact label={t("receipt.product")}>{localized(lot.productName, i18n.language)}</Fact>
            <Fact label={t("receipt.villager")}>{lot.consignorName ?? "—"}</Fact>
            <Fact label={t("collection.status")}>
              <LotStatus status={lot.status} />
            </Fact>
            <Fact label={t("lot.received")}>
              <Quantity quantity={lot.quantityReceived} unit={lot.unit} />
            </Fact>
            <Fact label={t("lot.onHand")}>
              <Quantity quantity={lot.onHand} unit={lot.unit} />
            </Fact>
          </dl>
          {lot.blockedReason ? (
            <p className="alert">{t("lot.blockedBecause", { reason: lot.blockedReason })}</p>
          ) : null}

          {family.length > 1 ? (
            <section aria-labelledby="family-title">
              <h2 id="family-title">{t("recall.familyTitle")}</h2>
              <p className="muted">{t("recall.familyIntro")}</p>
              <ul className="card-list">
                {family.map((part) => (
                  <li
                    key={part.lotId}
                    className={part.asked ? "card card-warn" : "card"}
                    data-lot={part.lotId}
                    aria-current={part.asked ? "true" : undefined}
                  >
                    <span className="card-title lot-no">
                      <Link to={`/staff/lots/${encodeURIComponent(part.lotId)}`}>{part.lotNo}</Link>
                    </span>
                    {part.asked ? <span className="status status-plain">{t("recall.askedFor")}</span> : null}
                    <LotStatus status={part.status} />
                    <span>{t("recall.nowAt", { place: localized(part.locationName, i18n.language) })}</span>
                    <span>
                      {t("lot.onHand")} <Quantity quantity={part.onHand} unit={lot.unit} />
                    </span>
                    {part.blockedQuantity > 0 ? (
                      <span>
                        {t("recall.takenOffSale")}{" "}
                        <Quantity quantity={part.blockedQuantity} unit={lot.unit} />
                      </span>
                    ) : null}
                    {part.parentLotNo ? (
                      <span className="muted">{t("recall.splitFrom", { lotNo: part.parentLotNo })}</span>
                    ) : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          {lot.status !== "blocked" ? (
            <>
              <FormAlert problem={result?.problem} />
              <StaffForm
                form={form}
                className="form form-danger"
                idempotencyKey={result?.idempotencyKey ?? idempotencyKey}
              >
                <input type="hidden" name="lotId" value={lot.id} />
                <TextField field={fields.reason} label={t("recall.reason")} required maxLength={300} />
                <SubmitButton className="button button-danger button-block">
                  {family.length > 1 ? t("recall.blockFamily", { count: family.length }) : t("recall.block")}
                </SubmitButton>
              </StaffForm>
            </>
          ) : null}

          {trace?.recall ? (
            <section aria-labelledby="recall-done">
              <h2 id="recall-done">{t("recall.recallTitle")}</h2>
              <p className="muted">
                {t("recall.recallBy", {
                  name: trace.recall.byName,
                  at: formatDateTime(trace.recall.at, i18n.language),
                })}
              </p>
              <ul className="card-list">
                {trace.recall.orders.map((order) => (
                  <li
                    key={order.orderId}
                    className={order.action === "handed_over" ? "card card-warn" : "card"}
                    data-action={order.action}
                  >
                    <span className="card-title">
                      {order.contactName} ·{" "}
                      <a href={`tel:${order.contactPhone}`}>{formatPhone(order.contactPhone)}</a>
                    </span>
                    <span>{t(`recall.actions.${order.action}`)}</span>
                    <span className="muted">{order.orderId}</span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          {trace ? (
            <>
              <h2>{t("recall.ordersTitle")}</h2>
              {trace.orders.length === 0 ? (
                <p className="notice notice-info">{t("recall.noOrders")}</p>
              ) : (
                <ul className="card-list">
                  {trace.orders.map((order) => (
                    <li key={`${order.orderId}-${order.at}`} className="card card-warn">
                      <span className="card-title">
                        {order.contactName} ·{" "}
                        <a href={`tel:${order.contactPhone}`}>{formatPhone(order.contactPhone)}</a>
                      </span>
                      <span>
                        <Quantity quantity={order.quantity} unit={lot.unit} /> · {order.status}
                      </span>
                      <span className="muted">
                        {order.orderId} · {formatDateTime(order.at, i18n.language)}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              <h2>{t("lot.movements")}</h2>
              <ol className="card-list">
                {trace.movements.map((move) => (
                  <li key={move.id} className="card" data-kind={move.kind}>
                    <span className="card-title">{t(`movement.${move.kind}`)}</span>
                    <Quantity quantity={move.quantityDelta} unit={lot.unit} signed />
                    <span className="muted">{formatDateTime(move.at, i18n.language)}</span>
                    {move.reason ? <span className="muted">{move.reason}</span> : null}
                  </li>
                ))}
              </ol>
            </>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
