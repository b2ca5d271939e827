import type { Lot } from "@coop/shared/contract";
import type { TFunction } from "i18next";
import { localized } from "../i18n";
import { formatDate, formatDateTime } from "./dates";
import { maskPhone } from "./format";
import { quantityLine } from "./quantity-text";

export interface ReceiptRow {
  /** Stable name of the row, for styling and tests. */
  id: "villager" | "product" | "quantity" | "grade" | "bestBefore" | "qc" | "date" | "point" | "agent";
  label: string;
  value: string;
}

export interface IntakeReceipt {
  lotNo: string;
  /** Failed the quality check: nothing was stocked and the goods went back with the villager. */
  rejected: boolean;
  rows: ReceiptRow[];
}

type ReceiptLot = Pick<
  Lot,
  | "lotNo"
  | "status"
  | "productName"
  | "unit"
  | "consignorName"
  | "quantityReceived"
  | "grade"
  | "bestBefore"
  | "qcPassed"
  | "qcReason"
  | "createdAt"
>;

/**
 * What the villager's intake slip says, line by line, in the reader's language: who brought what, how
 * much, which grade, until when it keeps, whether it passed the check (and why not), when, where, by whom.
 */
export function intakeReceipt(
  lot: ReceiptLot,
  context: {
    language: string;
    pointName: string | null;
    agentName: string | null;
    villagerPhone: string | null;
  },
  t: TFunction<"staff">,
): IntakeReceipt {
  const { language } = context;
  const villager = [lot.consignorName ?? "—", context.villagerPhone ? maskPhone(context.villagerPhone) : null]
    .filter(Boolean)
    .join(" ");
  const rows: ReceiptRow[] = [
    { id: "villager", label: t("receipt.villager"), value: villager },
    { id: "product", label: t("receipt.product"), value: localized(lot.productName, language) },
    { id: "quantity", label: t("receipt.quantity"), value: quantityLine(lot.quantityReceived, lot.unit, t) },
    {
      id: "grade",
      label: t("receipt.grade"),
      value: lot.grade ? t("intake.gradeN", { grade: lot.grade }) : t("intake.gradeNone"),
    },
  ];
  if (lot.bestBefore) {
    rows.push({
      id: "bestBefore",
      label: t("receipt.bestBefore"),
      value: formatDate(lot.bestBefore, language),
    });
  }
  rows.push(
    {
      id: "qc",
      label: t("receipt.qc"),
      value: lot.qcPassed ? t("receipt.qcPassed") : t("receipt.qcFailed", { reason: lot.qcReason ?? "—" }),
    },
    { id: "date", label: t("receipt.date"), value: formatDateTime(lot.createdAt, language) },
  );
  if (context.pointName) rows.push({ id: "point", label: t("receipt.point"), value: context.pointName });
  rows.push({ id: "agent", label: t("receipt.agent"), value: context.agentName ?? "" });
  return { lotNo: lot.lotNo, rejected: lot.status === "rejected" || !lot.qcPassed, rows };
}
