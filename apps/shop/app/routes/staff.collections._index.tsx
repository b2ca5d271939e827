import { COLLECTION_STATUSES } from "@coop/shared";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BackLink } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { StatusTabs } from "../components/staff/StatusTabs";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatDateTime } from "../lib/dates";
import { pageMeta } from "../lib/meta";
import { placeNames } from "../lib/places.server";
import { requireStaff } from "../lib/session.server";
import { staffFailure } from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

const TABS = COLLECTION_STATUSES;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { token } = await requireStaff(request, context);
  const param = new URL(request.url).searchParams.get("status");
  const status = param === "received" ? "received" : "in_transit";
  const api = getApi(context, request);
  const [t, list, places] = await Promise.all([
    getT(request, "staff"),
    api.listCollections(token, status).catch(staffFailure(request)),
    placeNames(api, token),
  ]);
  return { title: t("collections.title"), status, collections: list.items, places };
}

export default function Collections() {
  const { status, collections, places } = useLoaderData<typeof loader>();
  const { t, i18n } = useStaffTranslation();
  const placeName = (id: string) => {
    const name = places[id];
    return name ? (i18n.language === "en" ? name.en : name.zh) : id;
  };
  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{t("collections.title")}</h1>
      <StatusTabs
        label={t("collections.title")}
        statuses={TABS}
        current={status}
        labelOf={(tab) => t(`collections.tabs.${tab}`)}
      />
      {collections.length === 0 ? (
        <p className="notice">{t(`collections.empty.${status as (typeof TABS)[number]}`)}</p>
      ) : (
        <ul className="card-list">
          {collections.map((collection) => (
            <li key={collection.id}>
              <Link to={`/staff/collections/${encodeURIComponent(collection.id)}`} className="card-link">
                <span className="card-title">
                  {t("collections.from", { place: placeName(collection.fromLocationId) })}
                </span>
                <span>{t("collections.lots", { n: collection.lines.length })}</span>
                <span className="muted">
                  {t("collections.sentAt", { at: formatDateTime(collection.createdAt, i18n.language) })}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
