import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Trans } from "react-i18next";
import { Quantity } from "../components/Quantity";
import { BackLink } from "../components/staff/FormBits";
import { PrintButton } from "../components/staff/PrintButton";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatDate, formatDateTime } from "../lib/dates";
import { pageMeta } from "../lib/meta";
import { mergePickLots, shortOrderId } from "../lib/orders";
import { agentPoint, requireRole, staffFailure } from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

/**
 * What to take off the shelves for the orders waiting to be packed, product by product, with the lots to
 * take from (first-expiring first). The warehouse by default; an agent sees their own point. Printable.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["admin", "warehouse", "agent"]);
  const api = getApi(context, request);
  const [t, locations] = await Promise.all([
    getT(request, "staff"),
    user.role === "agent" ? Promise.resolve([]) : api.listLocations(token).catch(() => []),
  ]);
  const asked = new URL(request.url).searchParams.get("locationId");
  const locationId =
    user.role === "agent"
      ? agentPoint(user)
      : asked && locations.some((place) => place.id === asked)
        ? asked
        : locations.find((place) => place.kind === "warehouse")?.id;
  const pickList = locationId ? await api.pickList(token, locationId).catch(staffFailure(request)) : null;
  return {
    title: t("pickList.title"),
    locationId: locationId ?? null,
    locations: locations
      .filter((place) => place.kind === "warehouse" || place.kind === "service_point")
      .map((place) => ({ id: place.id, name: place.name })),
    lines: (pickList?.lines ?? []).map((line) => ({ ...line, lots: mergePickLots(line.lots) })),
    printedAt: new Date().toISOString(),
  };
}

export default function PickListPage() {
  const { locationId, locations, lines, printedAt } = useLoaderData<typeof loader>();
  const { t, i18n } = useStaffTranslation();
  const here = locations.find((place) => place.id === locationId);
  return (
    <>
      <BackLink to="/staff/orders">{t("staffOrders.title")}</BackLink>
      {locations.length > 0 ? (
        <Form method="get" className="search no-print">
          <label htmlFor="locationId" className="field-label">
            {t("pickList.location")}
          </label>
          <div className="search-row">
            <select id="locationId" name="locationId" defaultValue={locationId ?? ""}>
              {locations.map((place) => (
                <option key={place.id} value={place.id}>
                  {localized(place.name, i18n.language)}
                </option>
              ))}
            </select>
            <button type="submit" className="button button-primary">
              {t("pickList.show")}
            </button>
          </div>
        </Form>
      ) : null}

      <article className="sheet pick-list" aria-labelledby="pick-title">
        <header className="sheet-head">
          <h1 id="pick-title">{t("pickList.title")}</h1>
          {here ? <p className="sheet-sub">{localized(here.name, i18n.language)}</p> : null}
          <p className="slip-small">{t("pickList.intro")}</p>
        </header>
        {lines.length === 0 ? (
          <p className="muted">{t("pickList.empty")}</p>
        ) : (
          <ol className="pick-lines">
            {lines.map((line) => {
              const lotTotal = line.lots.reduce((sum, lot) => sum + lot.take, 0);
              return (
                <li key={line.productId} className="pick-line" data-product-id={line.productId}>
                  <div className="pick-head">
                    <span className="pick-name">{localized(line.name, i18n.language)}</span>
                    <span className="pick-total">
                      {t("pickList.total")} <Quantity quantity={line.quantity} unit={line.unit} />
                    </span>
                  </div>
                  <p className="pick-subtitle">{t("pickList.lotsTitle")}</p>
                  <ul className="pick-lots">
                    {line.lots.map((lot) => (
                      <li key={lot.lotId} className="pick-lot" data-lot-no={lot.lotNo}>
                        <span className="pick-box" aria-hidden="true" />
                        <span className="pick-lot-no">{lot.lotNo}</span>
                        <span className="pick-lot-take">
                          <Trans
                            ns="staff"
                            i18nKey="pickList.take"
                            components={{ qty: <Quantity quantity={lot.take} unit={line.unit} /> }}
                          />
                        </span>
                        <span className="pick-lot-date">
                          {lot.bestBefore
                            ? t("pickList.bestBefore", { date: formatDate(lot.bestBefore, i18n.language) })
                            : t("pickList.noDate")}
                        </span>
                      </li>
                    ))}
                  </ul>
                  {lotTotal < line.quantity ? <p className="field-error">{t("pickList.noLots")}</p> : null}
                  <p className="pick-subtitle">{t("pickList.ordersTitle")}</p>
                  <p className="pick-orders">
                    {line.orders.map((entry, index) => (
                      <span key={`${entry.orderId}-${index}`}>
                        {index > 0 ? " · " : ""}
                        <Link to={`/staff/orders/${encodeURIComponent(entry.orderId)}`}>
                          {shortOrderId(entry.orderId)}
                        </Link>{" "}
                        <Quantity quantity={entry.quantity} unit={line.unit} />
                      </span>
                    ))}
                  </p>
                </li>
              );
            })}
          </ol>
        )}
        <p className="slip-small">
          {t("pickList.printedAt", { at: formatDateTime(printedAt, i18n.language) })}
        </p>
      </article>
      <div className="slip-actions no-print">
        <PrintButton />
      </div>
    </>
  );
}
