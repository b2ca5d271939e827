import { ORDER_STATUS_VALUES } from "@coop/shared/contract";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Money } from "../components/Money";
import { OrderStatus } from "../components/orders/OrderStatus";
import { BackLink } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatDateTime } from "../lib/dates";
import { formatPhone } from "../lib/format";
import { pageMeta } from "../lib/meta";
import { shortOrderId } from "../lib/orders";
import type { OrderStatus as Status } from "../lib/orders-api.server";
import { requireRole, staffFailure } from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

const PAGE_SIZE = 20;
/** The statuses staff work on, as one-tap filters; the form's list has every status. */
const QUICK: readonly Status[] = ["confirmed", "paid", "packed", "ready_for_pickup"];

function isStatus(value: string | null): value is Status {
  return value !== null && (ORDER_STATUS_VALUES as readonly string[]).includes(value);
}

/** The order queue: newest first, by status, pickup point or buyer's phone. An agent sees their point's. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["admin", "warehouse", "agent"]);
  const url = new URL(request.url);
  const statusParam = url.searchParams.get("status");
  const status = isStatus(statusParam) ? statusParam : null;
  const phoneParam = (url.searchParams.get("phone") ?? "").replace(/[\s-]/g, "").slice(0, 20);
  const phone = /^\d{11}$/.test(phoneParam) ? phoneParam : null;
  const agent = user.role === "agent";
  const pointParam = url.searchParams.get("servicePointId");
  const cursor = url.searchParams.get("cursor") || undefined;
  const api = getApi(context, request);
  const fail = staffFailure(request);
  const [t, points] = await Promise.all([
    getT(request, "staff"),
    agent ? [] : api.listServicePoints().catch(() => []),
  ]);
  const servicePointId = !agent && points.some((point) => point.id === pointParam) ? pointParam : null;
  const page = await api
    .listOrders(token, {
      status: status ?? undefined,
      servicePointId: servicePointId ?? undefined,
      phone: phone ?? undefined,
      cursor,
      limit: PAGE_SIZE,
    })
    .catch(fail);
  return {
    title: t("staffOrders.title"),
    role: user.role,
    statuses: ORDER_STATUS_VALUES,
    status,
    phone: phoneParam,
    badPhone: phoneParam !== "" && phone === null,
    servicePointId,
    points: points.map((point) => ({ id: point.id, name: point.name })),
    cursor: cursor ?? null,
    orders: page.items.map((order) => ({
      id: order.id,
      status: order.status,
      totalFen: order.totalFen,
      createdAt: order.createdAt,
      contact: order.contact,
      fulfilment: order.fulfilment,
      forVillager: order.onBehalfOfConsignorId !== null,
    })),
    nextCursor: page.nextCursor,
  };
}

export default function OrderQueue() {
  const { role, statuses, status, phone, badPhone, servicePointId, points, cursor, orders, nextCursor } =
    useLoaderData<typeof loader>();
  const { t, i18n } = useStaffTranslation();
  const href = (change: { status?: Status | null; cursor?: string }) => {
    const params = new URLSearchParams();
    const nextStatus = change.status === undefined ? status : change.status;
    if (nextStatus) params.set("status", nextStatus);
    if (servicePointId) params.set("servicePointId", servicePointId);
    if (phone && !badPhone) params.set("phone", phone);
    if (change.cursor) params.set("cursor", change.cursor);
    const search = params.toString();
    return search ? `?${search}` : ".";
  };

  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{t("staffOrders.title")}</h1>
      {role === "agent" ? <p className="notice notice-info">{t("staffOrders.agentScope")}</p> : null}

      <nav className="action-grid" aria-label={t("staffOrders.title")}>
        {role === "agent" ? (
          <Link to="/staff/orders/handover" className="button button-primary">
            {t("staffOrders.handover")}
          </Link>
        ) : null}
        <Link to="/staff/orders/picklist" className="button button-secondary">
          {t("staffOrders.pickList")}
        </Link>
      </nav>

      <nav className="kind-filter" aria-label={t("staffOrders.status")}>
        {[null, ...QUICK].map((option) => (
          <Link
            key={option ?? "all"}
            to={href({ status: option })}
            className={option === status ? "chip chip-active" : "chip"}
            aria-current={option === status ? "true" : undefined}
          >
            {option ? t(`orderStatus.${option}`) : t("staffOrders.all")}
          </Link>
        ))}
      </nav>

      <details className="edit-box" open={Boolean(phone || servicePointId) || undefined}>
        <summary>{t("staffOrders.moreFilters")}</summary>
        <Form method="get" className="form filter-form">
          <div className="field">
            <label htmlFor="status" className="field-label">
              {t("staffOrders.status")}
            </label>
            <select id="status" name="status" defaultValue={status ?? ""} key={status ?? ""}>
              <option value="">{t("staffOrders.all")}</option>
              {statuses.map((option) => (
                <option key={option} value={option}>
                  {t(`orderStatus.${option}`)}
                </option>
              ))}
            </select>
          </div>
          {points.length > 0 ? (
            <div className="field">
              <label htmlFor="servicePointId" className="field-label">
                {t("staffOrders.servicePoint")}
              </label>
              <select id="servicePointId" name="servicePointId" defaultValue={servicePointId ?? ""}>
                <option value="">{t("staffOrders.allPoints")}</option>
                {points.map((point) => (
                  <option key={point.id} value={point.id}>
                    {localized(point.name, i18n.language)}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="phone" className="field-label">
              {t("staffOrders.phone")}
            </label>
            <input
              id="phone"
              name="phone"
              type="tel"
              inputMode="numeric"
              maxLength={20}
              defaultValue={phone}
              aria-invalid={badPhone || undefined}
            />
            {badPhone ? <p className="field-error">{t("staffOrders.badPhone")}</p> : null}
          </div>
          <button type="submit" className="button button-primary button-block">
            {t("staffOrders.show")}
          </button>
        </Form>
      </details>

      {orders.length === 0 ? (
        <p className="notice">{t("staffOrders.empty")}</p>
      ) : (
        <ul className="card-list order-queue">
          {orders.map((order) => (
            <li key={order.id}>
              <Link
                to={`/staff/orders/${encodeURIComponent(order.id)}`}
                className="card-link"
                data-order-id={order.id}
              >
                <span className="card-title">
                  {t("order.title")} {shortOrderId(order.id)}
                </span>
                <span>
                  <OrderStatus status={order.status} /> · <Money fen={order.totalFen} />
                </span>
                <span>
                  {order.contact.name} · {formatPhone(order.contact.phone)}
                </span>
                <span className="muted">
                  {order.fulfilment.type === "pickup" && order.fulfilment.servicePointName
                    ? t("staffOrders.pickupAt", {
                        point: localized(order.fulfilment.servicePointName, i18n.language),
                      })
                    : t("staffOrders.delivery")}
                </span>
                <span className="muted">
                  {formatDateTime(order.createdAt, i18n.language)}
                  {order.forVillager ? ` · ${t("staffOrders.forVillager")}` : ""}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}

      <div className="pager">
        {nextCursor ? (
          <Link to={href({ cursor: nextCursor })} className="button button-secondary button-block">
            {t("staffOrders.more")}
          </Link>
        ) : null}
        {cursor ? (
          <Link to={href({})} className="button button-quiet button-block">
            {t("staffOrders.firstPage")}
          </Link>
        ) : null}
      </div>
    </>
  );
}
