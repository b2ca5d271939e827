import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useStaffTranslation } from "../../staff-i18n";

const KIND = { 403: "forbidden", 404: "notFound", 503: "unavailable" } as const;

/** The error page of the staff screens: what happened in plain words, and the way back to the console. */
export function StaffErrorBoundary() {
  const error = useRouteError();
  const { t } = useStaffTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const kind = status === 403 || status === 404 || status === 503 ? KIND[status] : "generic";
  if (status >= 500 && status !== 503) console.error(error);
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">{t(`staffErrors.${kind}.title`)}</h1>
      <p className="lead">{t(`staffErrors.${kind}.text`)}</p>
      <p className="muted">{t("errors.code", { status })}</p>
      <p>
        <Link to="/staff" className="button button-primary button-block">
          {t("staffCommon.backToConsole")}
        </Link>
      </p>
    </section>
  );
}
