import { z } from "zod";
import { ReportRange } from "./reports";

/** What can be exported (decision 0043): the orders, their lines, villagers' statements, payouts, stock, the ledgers. */
export const EXPORT_DATASETS = [
  "orders",
  "order-lines",
  "consignor-entries",
  "payouts",
  "stock-levels",
  "stock-movements",
  "sale-entries",
] as const;
export type ExportDataset = (typeof EXPORT_DATASETS)[number];

export const EXPORT_FORMATS = ["csv", "xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The longest range one export covers. */
export const EXPORT_MAX_DAYS = 732;

export const ExportParams = z.object({
  dataset: z.enum(EXPORT_DATASETS).meta({
    description:
      "orders; order-lines; consignor-entries (the villagers' statements); payouts; stock-levels (how stock stands now; the range is ignored); stock-movements (the stock ledger); sale-entries (the sales ledger)",
  }),
});

export const ExportQuery = ReportRange.extend({
  format: z.enum(EXPORT_FORMATS).default("csv").meta({
    description:
      "csv: UTF-8 with a byte-order mark, a header row of stable keys; xlsx: one sheet, Chinese headings",
  }),
});
export type ExportQuery = z.infer<typeof ExportQuery>;
