import type { Command, IntakePayload } from "../../lib/offline/db";
import { intakeReceipt } from "../../lib/receipt";
import { useStaffTranslation } from "../../staff-i18n";
import { StateLabel } from "./StateLabel";

/**
 * The villager's slip the moment the entry is saved, online or not: its final intake number (the phone's
 * segment), the same rows as the printed receipt (lib/receipt.ts), and whether it has reached the co-op.
 */
export function ReceiptPreview({
  command,
  villagerPhone,
  agentName,
  pointName,
  blocked,
}: {
  command: Command & { kind: "intake" };
  villagerPhone: string | null;
  agentName: string;
  pointName: string | null;
  blocked: boolean;
}) {
  const { t, i18n } = useStaffTranslation();
  const payload: IntakePayload = command.payload;
  const lotNo = command.result?.lotNo ?? payload.lotNo;
  const receipt = intakeReceipt(
    {
      lotNo: lotNo ?? "",
      status: payload.qc.passed ? "in_stock" : "rejected",
      productName: payload.productName,
      unit: payload.unit,
      consignorName: payload.villager.name,
      quantityReceived: payload.quantity,
      grade: payload.grade ?? null,
      bestBefore: payload.bestBefore ?? null,
      qcPassed: payload.qc.passed,
      qcReason: payload.qc.passed ? null : payload.qc.reason,
      createdAt: command.createdAt,
    },
    { language: i18n.language, pointName, agentName, villagerPhone },
    t,
  );
  return (
    <article className="slip offline-slip" aria-labelledby="slip-title" data-testid="receipt-preview">
      <h2 id="slip-title" className="slip-title">
        {t("receipt.heading")}
      </h2>
      <p className="slip-lotno-label">{t("receipt.lotNo")}</p>
      <p className="slip-lotno" data-testid="lot-no">
        {lotNo ?? t("offline.receipt.numberLater")}
      </p>
      <p className="offline-slip-state" data-testid="receipt-state">
        <StateLabel command={command} blocked={blocked} />
      </p>
      {receipt.rejected ? <p className="slip-rejected">{t("receipt.rejectedBanner")}</p> : null}
      <dl className="slip-rows">
        {receipt.rows.map((row) => (
          <div key={row.id} className={`slip-row slip-row-${row.id}`}>
            <dt>{row.label}</dt>
            <dd>{row.value}</dd>
          </div>
        ))}
      </dl>
      <p className="slip-small">{t("receipt.keepSlip")}</p>
      {command.state === "sent" && command.result?.lotId ? (
        <p>
          <a
            href={`/staff/lots/${encodeURIComponent(command.result.lotId)}/receipt`}
            className="button button-secondary button-block"
          >
            {t("offline.receipt.openPrintable")}
          </a>
        </p>
      ) : (
        <p className="muted">{t("offline.receipt.printLater")}</p>
      )}
    </article>
  );
}
