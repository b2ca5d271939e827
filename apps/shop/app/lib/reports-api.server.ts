import type { CommitmentKind } from "@coop/shared";
import {
  CommitmentSettings,
  CommitmentsReport,
  Dashboard,
  SalesReport,
  type SalesReportQuery,
} from "@coop/shared/contract";
import type { ApiCall } from "./staff-api.server";

export type { CommitmentSettings, CommitmentsReport, Dashboard, SalesReport };

/** The staff reports (GET /v1/reports/…): an agent's answers are always their own point's. */
export function reportsApi(call: ApiCall) {
  return {
    dashboard(token: string, query: { from: string; to: string; pointId?: string | undefined }) {
      return call("/v1/reports/dashboard", Dashboard, { token, query });
    },
    salesReport(token: string, query: SalesReportQuery) {
      return call("/v1/reports/sales", SalesReport, { token, query });
    },
    commitments(token: string, query: { from: string; to: string; pointId?: string | undefined }) {
      return call("/v1/reports/commitments", CommitmentsReport, { token, query });
    },
    commitmentSettings(token: string) {
      return call("/v1/admin/commitments", CommitmentSettings, { token });
    },
    setCommitment(token: string, kind: CommitmentKind, workingDays: number, key: string) {
      return call(`/v1/admin/commitments/${kind}`, CommitmentSettings, {
        method: "PUT",
        token,
        body: { workingDays },
        headers: { "idempotency-key": key },
      });
    },
  };
}
