import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Quantity } from "../components/Quantity";
import { BackLink } from "../components/staff/FormBits";
import { PrintButton } from "../components/staff/PrintButton";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatDateTime } from "../lib/dates";
import { pageMeta } from "../lib/meta";
import { shortOrderId } from "../lib/orders";
import { requireStaff } from "../lib/session.server";
import { staffFailure } from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

/** The printable packing manifest of a run: one box per order, what it gets. No pickup code is on it. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { token } = await requireStaff(request, context);
  const api = getApi(context, request);
  const [t, run] = await Promise.all([
    getT(request, "staff"),
    api.getDeliveryRun(token, params.id ?? "").catch(staffFailure(request)),
  ]);
  return { title: t("delivery.manifestTitle"), run, printedAt: new Date().toISOString() };
}

export default function ManifestPage() {
  const { run, printedAt } = useLoaderData<typeof loader>();
  const { t, i18n } = useStaffTranslation();
  return (
    <>
      <div className="no-print">
        <BackLink to={`/staff/deliveries/${encodeURIComponent(run.id)}`}>{t("delivery.title")}</BackLink>
      </div>
      <article className="slip" aria-labelledby="manifest-title">
        <header className="slip-head">
          <h1 id="manifest-title" className="slip-title">
            {t("delivery.manifestTitle")}
          </h1>
          <p>
            {t("delivery.to")} {localized(run.toName, i18n.language)} ·{" "}
            {formatDateTime(printedAt, i18n.language)}
          </p>
          <p className="slip-small">{t("delivery.manifestIntro")}</p>
        </header>
        {run.manifest.map((box) => (
          <section key={box.orderId} className="manifest-box" data-order-id={box.orderId}>
            <h2>{t("delivery.order", { no: shortOrderId(box.orderId) })}</h2>
            <p>{t("delivery.buyer", { name: box.contactName, tail: box.phoneTail })}</p>
            <ul>
              {box.lines.map((line) => (
                <li key={line.lineId}>
                  {localized(line.productName, i18n.language)} ·{" "}
                  <Quantity quantity={line.quantity} unit={line.unit} />
                </li>
              ))}
            </ul>
          </section>
        ))}
      </article>
      <div className="slip-actions no-print">
        <PrintButton />
      </div>
    </>
  );
}
