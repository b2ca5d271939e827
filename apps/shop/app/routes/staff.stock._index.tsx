import { maySetStockThreshold } from "@coop/shared";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Quantity } from "../components/Quantity";
import { BackLink } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { daysUntil, formatDate } from "../lib/dates";
import { pageMeta } from "../lib/meta";
import { requireStaff } from "../lib/session.server";
import { staffFailure } from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

/** Best-before within this many days is flagged on the lot list. */
const SOON_DAYS = 7;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, token } = await requireStaff(request, context);
  const url = new URL(request.url);
  const api = getApi(context, request);
  const fail = staffFailure(request);
  const lowOnly = url.searchParams.get("low") === "1";
  const [t, locations] = await Promise.all([
    getT(request, "staff"),
    api.listLocations(token).catch(() => []),
  ]);
  // An agent sees their own point; others choose, the warehouse first.
  const asked = url.searchParams.get("locationId");
  const locationId =
    user.role === "agent"
      ? (user.servicePointId ?? undefined)
      : asked && locations.some((place) => place.id === asked)
        ? asked
        : (locations.find((place) => place.kind === "warehouse")?.id ?? undefined);
  const [levels, lots] = await Promise.all([
    api.stockLevels(token, { locationId, lowOnly }).catch(fail),
    lowOnly ? Promise.resolve(null) : api.listLots(token, { locationId, status: "in_stock" }).catch(fail),
  ]);
  const lotItems = (lots?.items ?? [])
    .filter((lot) => lot.onHand > 0)
    // First to expire first: the order they should leave in.
    .sort((a, b) => (a.bestBefore ?? "9999").localeCompare(b.bestBefore ?? "9999"));
  return {
    title: t(lowOnly ? "stockPage.lowTitle" : "stockPage.title"),
    lowOnly,
    locationId: locationId ?? null,
    locations: user.role === "agent" ? [] : locations,
    // Products never stocked here are noise; empty ones with a warning level stay (they are the point).
    levels: levels.items.filter((row) => row.onHand !== 0 || row.reserved !== 0 || row.low),
    canSetThreshold: locationId !== undefined && maySetStockThreshold(user, locationId),
    lots: lotItems,
    lotsMore: Boolean(lots?.nextCursor),
    today: new Date().toISOString(),
  };
}

export default function StockPage() {
  const { lowOnly, locationId, locations, levels, lots, lotsMore, today, canSetThreshold } =
    useLoaderData<typeof loader>();
  const { t, i18n } = useStaffTranslation();
  const here = locations.find((place) => place.id === locationId);

  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{t(lowOnly ? "stockPage.lowTitle" : "stockPage.title")}</h1>
      {here ? <p className="lead">{localized(here.name, i18n.language)}</p> : null}

      {locations.length > 0 ? (
        <Form method="get" className="search no-print">
          {lowOnly ? <input type="hidden" name="low" value="1" /> : null}
          <label htmlFor="locationId" className="field-label">
            {t("stockPage.location")}
          </label>
          <div className="search-row">
            <select id="locationId" name="locationId" defaultValue={locationId ?? ""} key={locationId}>
              {locations.map((place) => (
                <option key={place.id} value={place.id}>
                  {localized(place.name, i18n.language)}
                </option>
              ))}
            </select>
            <button type="submit" className="button button-primary">
              {t("stockPage.show")}
            </button>
          </div>
        </Form>
      ) : null}

      <nav className="kind-filter no-print" aria-label={t("stockPage.title")}>
        <Link
          to={`?${new URLSearchParams(locationId ? { locationId } : {})}`}
          className={lowOnly ? "chip" : "chip chip-active"}
          aria-current={lowOnly ? undefined : "true"}
        >
          {t("stockPage.all")}
        </Link>
        <Link
          to={`?${new URLSearchParams(locationId ? { locationId, low: "1" } : { low: "1" })}`}
          className={lowOnly ? "chip chip-active" : "chip"}
          aria-current={lowOnly ? "true" : undefined}
        >
          {t("stockPage.lowOnly")}
        </Link>
      </nav>

      <section aria-labelledby="levels-title">
        <h2 id="levels-title">{t("stockPage.levelsTitle")}</h2>
        {levels.length === 0 ? (
          <p className="notice">{t(lowOnly ? "stockPage.noneLow" : "stockPage.none")}</p>
        ) : (
          <ul className="card-list">
            {levels.map((row) => (
              <li key={`${row.productId}-${row.locationId}`} className={row.low ? "card card-warn" : "card"}>
                <span className="card-title">
                  {localized(row.productName, i18n.language)}
                  {row.low ? <span className="badge badge-warn">{t("stockPage.low")}</span> : null}
                </span>
                <span>
                  {t("stockPage.onHand")} <Quantity quantity={row.onHand} unit={row.unit} />
                </span>
                <span className="muted">
                  {t("stockPage.available")} <Quantity quantity={row.available} unit={row.unit} />
                  {row.reserved > 0 ? (
                    <>
                      {" · "}
                      {t("stockPage.reserved")} <Quantity quantity={row.reserved} unit={row.unit} />
                    </>
                  ) : null}
                </span>
                <span className="muted">
                  {row.lowStockThreshold !== null ? (
                    <>
                      {t("stockPage.threshold")} <Quantity
                        quantity={row.lowStockThreshold}
                        unit={row.unit}
                      />{" "}
                    </>
                  ) : null}
                  {canSetThreshold ? (
                    <Link
                      to={`/staff/stock/threshold?${new URLSearchParams({ productId: row.productId, locationId: row.locationId })}`}
                      className="inline-link"
                    >
                      {t("stockPage.setThreshold")}
                    </Link>
                  ) : null}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {lowOnly ? null : (
        <section aria-labelledby="lots-title">
          <h2 id="lots-title">{t("stockPage.lotsTitle")}</h2>
          <p className="muted">{t("stockPage.lotsHint")}</p>
          {lots.length === 0 ? (
            <p className="notice">{t("stockPage.noLots")}</p>
          ) : (
            <ul className="card-list">
              {lots.map((lot) => {
                const days = lot.bestBefore ? daysUntil(lot.bestBefore.slice(0, 10), new Date(today)) : null;
                return (
                  <li key={lot.id}>
                    <Link to={`/staff/lots/${encodeURIComponent(lot.id)}`} className="card-link">
                      <span className="card-title">{localized(lot.productName, i18n.language)}</span>
                      <span>
                        <Quantity quantity={lot.onHand} unit={lot.unit} />
                        {lot.grade ? ` · ${t("intake.gradeN", { grade: lot.grade })}` : ""}
                      </span>
                      <span className="muted">{lot.lotNo}</span>
                      {lot.bestBefore ? (
                        <span className={days !== null && days <= SOON_DAYS ? "status status-bad" : "muted"}>
                          {t("lot.bestBeforeShort", { date: formatDate(lot.bestBefore, i18n.language) })}
                          {days !== null && days < 0 ? ` · ${t("stockPage.expired")}` : ""}
                          {days !== null && days >= 0 && days <= SOON_DAYS
                            ? ` · ${t("stockPage.expiresSoon", { days })}`
                            : ""}
                        </span>
                      ) : null}
                    </Link>
                  </li>
                );
              })}
            </ul>
          )}
          {lotsMore ? <p className="muted">{t("stockPage.moreLots")}</p> : null}
        </section>
      )}
    </>
  );
}
