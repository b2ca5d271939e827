import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ThermalPrintButton } from "../components/receipt/ThermalPrintButton";
import { FormAlert } from "../components/staff/FormBits";
import { PrintButton } from "../components/staff/PrintButton";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { coopName } from "../lib/coop-name.server";
import { pageMeta } from "../lib/meta";
import { qrSvg } from "../lib/qr.server";
import { intakeReceipt } from "../lib/receipt";
import { requireStaff } from "../lib/session.server";
import { staffFailure } from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, token } = await requireStaff(request, context);
  const api = getApi(context, request);
  const [t, lot, points, coop] = await Promise.all([
    getT(request, "staff"),
    api.getLot(token, params.id ?? "").catch(staffFailure(request)),
    api.listServicePoints().catch(() => []),
    coopName(api, token),
  ]);
  // Logged as one showing of the receipt; answers the villager's own link for the QR code and how many
  // paper copies were printed (the next one says 补打). The slip stands without it.
  const shown = await Promise.resolve()
    .then(() => api.receiptShown(token, lot.id))
    .catch(() => null);
  // The phone (masked on the slip) helps the villager recognise their slip; the slip stands without it.
  const villager = lot.consignorId ? await api.getConsignor(token, lot.consignorId).catch(() => null) : null;
  const intake = lot.movements.find((movement) => movement.kind === "intake");
  const { movements: _movements, ...lotFields } = lot;
  return {
    title: t("receipt.title", { lotNo: lot.lotNo }),
    lot: lotFields,
    point: points.find((p) => p.id === lot.originLocationId)?.name ?? null,
    agentName: !intake || intake.actorUserId === user.id ? user.displayName : null,
    villagerPhone: villager?.phone ?? null,
    // The villager's public page of this lot (signed link, no login): what the paper's QR code opens too.
    qr: shown ? await qrSvg(shown.publicUrl) : null,
    paperPrints: shown?.paperPrints ?? 0,
    coop,
    photoFailed: new URL(request.url).searchParams.get("photo") === "failed",
  };
}

export default function IntakeReceiptPage() {
  const { lot, point, agentName, villagerPhone, qr, paperPrints, photoFailed, coop } =
    useLoaderData<typeof loader>();
  const { t, i18n } = useStaffTranslation();
  const receipt = intakeReceipt(
    lot,
    {
      language: i18n.language,
      pointName: point ? localized(point, i18n.language) : null,
      agentName,
      villagerPhone,
    },
    t,
  );
  const lotPath = `/staff/lots/${encodeURIComponent(lot.id)}`;

  return (
    <>
      {photoFailed ? <FormAlert problem="photoNotSaved" /> : null}
      <article className="slip" aria-labelledby="slip-title">
        <header className="slip-head">
          <p className="slip-coop">{coop ? localized(coop, i18n.language) : t("app.name")}</p>
          <h1 id="slip-title" className="slip-title">
            {t("receipt.heading")}
          </h1>
        </header>
        <p className="slip-lotno-label">{t("receipt.lotNo")}</p>
        <p className="slip-lotno" data-testid="lot-no">
          {receipt.lotNo}
        </p>
        {receipt.rejected ? <p className="slip-rejected">{t("receipt.rejectedBanner")}</p> : null}
        <dl className="slip-rows">
          {receipt.rows.map((row) => (
            <div key={row.id} className={`slip-row slip-row-${row.id}`}>
              <dt>{row.label}</dt>
              <dd>{row.value || "\u00a0"}</dd>
            </div>
          ))}
        </dl>
        {qr ? (
          <div className="slip-qr">
            {/* Drawn on our server by the qrcode package from the lot's signed link: no user text in it. */}
            <div
              className="qr"
              role="img"
              aria-label={t("receipt.qrLabel")}
              dangerouslySetInnerHTML={{ __html: qr }}
            />
            <p className="slip-small">{t("receipt.qrHint")}</p>
          </div>
        ) : null}
        <div className="signature-line">
          <span>{t("receipt.villagerSignature")}</span>
        </div>
        <p className="slip-small">{t("receipt.keepSlip")}</p>
      </article>

      <div className="slip-actions no-print">
        <ThermalPrintButton lotPath={lotPath} paperPrints={paperPrints} />
        <PrintButton />
        <a href={`${lotPath}/receipt.pdf`} className="button button-secondary button-block" download>
          {t("receipt.pdf")}
        </a>
        {lot.consignorId ? (
          <>
            <Link
              to={`/staff/villagers/${encodeURIComponent(lot.consignorId)}/intake`}
              className="button button-secondary button-block"
            >
              {t("receipt.another")}
            </Link>
            <Link
              to={`/staff/villagers/${encodeURIComponent(lot.consignorId)}`}
              className="button button-quiet button-block"
            >
              {t("receipt.backToVillager")}
            </Link>
          </>
        ) : null}
        <Link to={lotPath} className="button button-quiet button-block">
          {t("receipt.openLot")}
        </Link>
      </div>
    </>
  );
}
