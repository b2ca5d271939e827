import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Money } from "../components/Money";
import { PrintButton } from "../components/staff/PrintButton";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { coopName } from "../lib/coop-name.server";
import { chinaToday, formatDate, formatDateTime } from "../lib/dates";
import { pageMeta } from "../lib/meta";
import { requireRole, staffFailure } from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

/** The printable hand-in slip: the day's figures and the hand-in, with lines for both signatures. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["agent", "admin"]);
  const url = new URL(request.url);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(url.searchParams.get("date") ?? "")
    ? url.searchParams.get("date")!
    : chinaToday();
  const api = getApi(context, request);
  const agentId = url.searchParams.get("agentId")?.slice(0, 64) || undefined;
  const [t, day, points, coop] = await Promise.all([
    getT(request, "staff"),
    api.cashDay(token, { date, ...(agentId ? { agentId } : {}) }).catch(staffFailure(request)),
    api.listServicePoints().catch(() => []),
    coopName(api, token),
  ]);
  const handIn = day.handIns.find((h) => h.id === params.id);
  if (!handIn) throw new Response(null, { status: 404 });
  return {
    title: t("cashSlip.title"),
    day,
    handIn,
    point: points.find((p) => p.id === handIn.servicePointId)?.name ?? null,
    coop,
  };
}

export default function CashSlipPage() {
  const { day, handIn, point, coop } = useLoaderData<typeof loader>();
  const { t, i18n } = useStaffTranslation();
  const rows: Array<[string, React.ReactNode]> = [
    [t("cashSlip.agent"), handIn.agentName],
    [t("cashSlip.point"), point ? localized(point, i18n.language) : "—"],
    [t("cash.dayLabel"), formatDate(handIn.day, i18n.language)],
    [t("cash.taken"), <Money key="taken" fen={day.takenFen} />],
    [t("cash.paidOut"), <Money key="paid" fen={day.paidOutFen} />],
    [t("cashSlip.expected"), <Money key="expected" fen={handIn.expectedFen} />],
    [t("cashSlip.counted"), <Money key="counted" fen={handIn.countedFen} />],
    [t("cash.difference"), <Money key="diff" fen={handIn.differenceFen} />],
    [t("cashSlip.submitted"), formatDateTime(handIn.submittedAt, i18n.language)],
  ];
  if (handIn.reason) rows.push([t("cashSlip.reason"), handIn.reason]);
  return (
    <>
      <article className="slip" aria-labelledby="slip-title">
        <header className="slip-head">
          <p className="slip-coop">{coop ? localized(coop, i18n.language) : t("app.name")}</p>
          <h1 id="slip-title" className="slip-title">
            {t("cashSlip.title")}
          </h1>
        </header>
        <p className="slip-lotno-label">{t("cashSlip.counted")}</p>
        <p className="slip-lotno" data-testid="slip-counted">
          <Money fen={handIn.countedFen} />
        </p>
        <dl className="slip-rows">
          {rows.map(([label, value]) => (
            <div key={label} className="slip-row">
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        <div className="signature-line">
          <span>{t("cashSlip.agentSignature")}</span>
        </div>
        <div className="signature-line">
          <span>{t("cashSlip.officeSignature")}</span>
        </div>
      </article>
      <div className="slip-actions no-print">
        <PrintButton />
        <Link to={`/staff/cash?date=${handIn.day}`} className="button button-quiet button-block">
          {t("cash.back")}
        </Link>
      </div>
    </>
  );
}
