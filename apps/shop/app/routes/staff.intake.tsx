import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { IntakeApp } from "../components/offline/IntakeApp";
import offlineStyles from "../components/offline/offline.css?url";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { pageMeta } from "../lib/meta";
import { agentPoint, requireRole } from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

/**
 * The one way to take in produce (docs/decisions/0022): the agent's intake, villager registration and queue,
 * working with no network once this page has been opened. Everything after the first load happens in the
 * browser (IndexedDB, lib/offline); the service worker (decision 0023) serves this page when offline.
 */

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const links: LinksFunction = () => [{ rel: "stylesheet", href: offlineStyles }];
export const ErrorBoundary = StaffErrorBoundary;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["agent"]);
  const servicePointId = agentPoint(user);
  const url = new URL(request.url);
  const t = await getT(request, "staff");
  // Coming from a villager's page (online): start with that villager.
  const villagerId = url.searchParams.get("villager");
  const api = getApi(context, request);
  // Neither is needed to work: the page must open even when the API is slow or down.
  const [villager, points] = await Promise.all([
    villagerId ? api.getConsignor(token, villagerId).catch(() => null) : null,
    api.listServicePoints().catch(() => []),
  ]);
  const point = points.find((p) => p.id === servicePointId);
  const view = url.searchParams.get("view");
  const startView: "find" | "register" | "queue" = view === "register" || view === "queue" ? view : "find";
  return {
    title: t("intake.title"),
    servicePointId,
    agentName: user.displayName,
    // The slip names the point (in both languages: the page may be switched offline).
    pointName: point?.name ?? null,
    startVillager:
      villager && villager.servicePointId === servicePointId
        ? { consignorId: villager.id, name: villager.name }
        : null,
    startView,
    // From the villager's harvest pledge (the campaign's staff page): the lot delivers on it.
    startPledge:
      villager && villager.servicePointId === servicePointId && url.searchParams.get("pledge")
        ? {
            pledgeId: (url.searchParams.get("pledge") ?? "").slice(0, 64),
            productId: (url.searchParams.get("product") ?? "").slice(0, 64),
          }
        : null,
    prefill: {
      name: (url.searchParams.get("name") ?? "").trim().slice(0, 40),
      phone: (url.searchParams.get("phone") ?? "").replace(/[^\d]/g, "").slice(0, 11),
    },
  };
}

export default function Intake() {
  const { servicePointId, agentName, pointName, startVillager, startView, prefill, startPledge } =
    useLoaderData<typeof loader>();
  const { t, i18n } = useStaffTranslation();
  return (
    <>
      <p className="no-print">
        <a href="/staff" className="back-link">
          ← {t("staff.console.title")}
        </a>
      </p>
      <h1>{t("intake.title")}</h1>
      <IntakeApp
        servicePointId={servicePointId}
        agentName={agentName}
        pointName={pointName ? localized(pointName, i18n.language) : null}
        startVillager={startVillager}
        startView={startView}
        prefill={prefill}
        startPledge={startPledge}
      />
    </>
  );
}
