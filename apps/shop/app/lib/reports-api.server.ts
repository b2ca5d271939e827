import { Dashboard, SalesReport, type SalesReportQuery } from "@coop/shared/contract";
import type { ApiCall } from "./staff-api.server";

export type { Dashboard, SalesReport };

/** The staff reports (GET /v1/reports/…): an agent's answers are always their own point's. */
export function reportsApi(call: ApiCall) {
  return {
    dashboard(token: string, query: { from: string; to: string; pointId?: string | undefined }) {
      return call("/v1/reports/dashboard", Dashboard, { token, query });
    },
    salesReport(token: string, query: SalesReportQuery) {
      return call("/v1/reports/sales", SalesReport, { token, query });
    },
  };
}
