import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Money } from "../components/Money";
import { PrintButton } from "../components/staff/PrintButton";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { coopName } from "../lib/coop-name.server";
import { formatDateTime } from "../lib/dates";
import { maskPhone } from "../lib/format";
import { pageMeta } from "../lib/meta";
import { requireRole, staffFailure } from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["agent", "admin"]);
  const api = getApi(context, request);
  const [t, payout, points, coop] = await Promise.all([
    getT(request, "staff"),
    api.getPayout(token, params.id ?? "").catch(staffFailure(request)),
    api.listServicePoints().catch(() => []),
    coopName(api, token),
  ]);
  return {
    title: t("payoutReceipt.title"),
    payout,
    point: points.find((p) => p.id === payout.servicePointId)?.name ?? null,
    coop,
  };
}

/** The payout slip: printed, signed by the villager and the agent, kept by both. */
export default function PayoutReceipt() {
  const { payout, point, coop } = useLoaderData<typeof loader>();
  const { t, i18n } = useStaffTranslation();
  return (
    <>
      <article className="slip" aria-labelledby="slip-title">
        <header className="slip-head">
          <p className="slip-coop">{coop ? localized(coop, i18n.language) : t("app.name")}</p>
          <h1 id="slip-title" className="slip-title">
            {t("payoutReceipt.heading")}
          </h1>
        </header>
        <p className="slip-lotno-label">{t("payoutReceipt.amount")}</p>
        <p className="slip-lotno">
          <Money fen={payout.amountFen} />
        </p>
        <dl className="slip-rows">
          <div className="slip-row">
            <dt>{t("payoutReceipt.villager")}</dt>
            <dd>
              {payout.consignorName} {maskPhone(payout.consignorPhone)}
            </dd>
          </div>
          <div className="slip-row">
            <dt>{t("payoutReceipt.method")}</dt>
            <dd>{t(`payout.methods.${payout.method}`)}</dd>
          </div>
          <div className="slip-row">
            <dt>{t("payoutReceipt.balanceAfter")}</dt>
            <dd>
              <Money fen={payout.balanceAfterFen} />
            </dd>
          </div>
          {payout.note ? (
            <div className="slip-row">
              <dt>{t("payout.note")}</dt>
              <dd>{payout.note}</dd>
            </div>
          ) : null}
          <div className="slip-row">
            <dt>{t("receipt.date")}</dt>
            <dd>{formatDateTime(payout.createdAt, i18n.language)}</dd>
          </div>
          {point ? (
            <div className="slip-row">
              <dt>{t("receipt.point")}</dt>
              <dd>{localized(point, i18n.language)}</dd>
            </div>
          ) : null}
          <div className="slip-row">
            <dt>{t("receipt.agent")}</dt>
            <dd>{payout.paidByName}</dd>
          </div>
          <div className="slip-row">
            <dt>{t("payoutReceipt.number")}</dt>
            <dd className="slip-id">{payout.id}</dd>
          </div>
        </dl>
        <p className="slip-small">{t("payoutReceipt.statement")}</p>
        <div className="signature-line">
          <span>{t("receipt.villagerSignature")}</span>
        </div>
        <div className="signature-line">
          <span>{t("payoutReceipt.agentSignature")}</span>
        </div>
      </article>
      <div className="slip-actions no-print">
        <PrintButton />
        <Link
          to={`/staff/villagers/${encodeURIComponent(payout.consignorId)}`}
          className="button button-secondary button-block"
        >
          {t("receipt.backToVillager")}
        </Link>
      </div>
    </>
  );
}
