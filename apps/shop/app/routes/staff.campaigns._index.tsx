import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Money } from "../components/Money";
import { BackLink } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatDate } from "../lib/dates";
import { pageMeta } from "../lib/meta";
import { requireRole, staffFailure } from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

/** Harvest campaigns (订单农业): an admin sees every one, an agent those not finished (to record pledges). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["agent", "admin"]);
  const api = getApi(context, request);
  const [t, list] = await Promise.all([
    getT(request, "staff"),
    (user.role === "admin" ? api.adminCampaigns(token) : api.listCampaigns()).catch(staffFailure(request)),
  ]);
  return { title: t("campaigns.title"), campaigns: list.items, admin: user.role === "admin" };
}

export default function StaffCampaigns() {
  const { campaigns, admin } = useLoaderData<typeof loader>();
  const { t, i18n } = useStaffTranslation();
  const lang = i18n.language;
  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{t("campaigns.title")}</h1>
      <p className="lead">{t("campaigns.intro")}</p>
      {admin ? (
        <p>
          <Link to="/staff/campaigns/new" className="button button-primary button-block">
            {t("campaigns.newLink")}
          </Link>
        </p>
      ) : null}
      {campaigns.length === 0 ? (
        <p className="muted">{t("campaigns.none")}</p>
      ) : (
        <ul className="card-list">
          {campaigns.map((c) => (
            <li key={c.id} className="card">
              <h2 className="card-title">
                <Link to={`/staff/campaigns/${encodeURIComponent(c.id)}`}>{localized(c.title, lang)}</Link>
              </h2>
              <p>
                <span className="badge">{t(`campaigns.state.${c.state}`)}</span>{" "}
                {localized(c.product.name, lang)} · <Money fen={c.priceFen} /> /{" "}
                {localized(c.saleUnit.label, lang)}
              </p>
              <p className="muted">
                {t("campaigns.figures", {
                  pledged: c.pledgedUnits,
                  cap: c.capUnits,
                  reserved: c.reservedUnits,
                  allocated: c.allocatedUnits,
                })}
              </p>
              <p className="muted">
                {t("campaigns.harvest", {
                  from: formatDate(c.harvestFrom, lang),
                  to: formatDate(c.harvestTo, lang),
                })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
