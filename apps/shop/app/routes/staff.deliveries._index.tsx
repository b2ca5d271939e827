import { DELIVERY_RUN_STATUSES } from "@coop/shared";
import { BuildDeliveryRuns } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { BackLink, FormAlert, FormKey } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { SubmitButton } from "../components/staff/StaffForm";
import { StatusTabs } from "../components/staff/StatusTabs";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatDateTime } from "../lib/dates";
import { pageMeta } from "../lib/meta";
import { requireStaff } from "../lib/session.server";
import { formKey, newFormKey, requireRole, staffFailure } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm, staffReply } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

const TABS = DELIVERY_RUN_STATUSES;

/**
 * The warehouse's first screen for deliveries: the points with orders waiting, a button that loads them
 * onto their point's run, and the runs by status. An agent sees the runs coming to their own point.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, token } = await requireStaff(request, context);
  const api = getApi(context, request);
  const isAgent = user.role === "agent";
  const asked = new URL(request.url).searchParams.get("status");
  const status = (TABS as readonly string[]).includes(asked ?? "")
    ? (asked as (typeof TABS)[number])
    : isAgent
      ? "in_transit"
      : "packing";
  const [t, waiting, runs] = await Promise.all([
    getT(request, "staff"),
    isAgent
      ? Promise.resolve({ items: [] })
      : api.pointsWaitingForDelivery(token).catch(staffFailure(request)),
    api.listDeliveryRuns(token, { status }).catch(staffFailure(request)),
  ]);
  return {
    title: t(isAgent ? "deliveries.agentTitle" : "deliveries.title"),
    isAgent,
    status,
    waiting: waiting.items,
    runs: runs.items,
    idempotencyKey: newFormKey(),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["warehouse", "admin"]);
  const form = await request.formData();
  const submission = parseStaffForm(form, BuildDeliveryRuns);
  if (submission.status !== "success") return staffReply(submission);
  try {
    const built = await getApi(context, request).buildDeliveryRuns(token, submission.value, formKey(form));
    return redirect(`/staff/deliveries?status=packing&made=${built.items.length > 0 ? 1 : 0}`);
  } catch (error) {
    return staffReply(submission, apiErrorToReply(error));
  }
}

export default function DeliveriesPage() {
  const { title, isAgent, status, waiting, runs, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useStaffTranslation();
  const made = searchParams.get("made");
  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{title}</h1>
      {made ? (
        <p className="notice notice-info" role="status">
          {t(made === "1" ? "deliveries.made" : "deliveries.nothingNew")}
        </p>
      ) : null}
      {!isAgent ? (
        <section aria-labelledby="waiting-title">
          <h2 id="waiting-title">{t("deliveries.waitingTitle")}</h2>
          <FormAlert problem={result?.problem} />
          {waiting.length === 0 ? (
            <p className="notice">{t("deliveries.waitingNone")}</p>
          ) : (
            <>
              <ul className="card-list">
                {waiting.map((point) => (
                  <li key={point.servicePointId} className="card">
                    <span className="card-title">{localized(point.name, i18n.language)}</span>
                    <span>{t("deliveries.waitingLine", { orders: point.orderCount })}</span>
                    <Form method="post">
                      <FormKey value={`${idempotencyKey}-${point.servicePointId}`} />
                      <input type="hidden" name="servicePointId" value={point.servicePointId} />
                      <SubmitButton className="button button-secondary">
                        {t("deliveries.makeRunsFor")}
                      </SubmitButton>
                    </Form>
                  </li>
                ))}
              </ul>
              <Form method="post">
                <FormKey value={idempotencyKey} />
                <SubmitButton className="button button-primary button-block button-big">
                  {t("deliveries.makeRuns")}
                </SubmitButton>
              </Form>
            </>
          )}
        </section>
      ) : null}
      <h2>{t("deliveries.runsTitle")}</h2>
      <StatusTabs
        label={t("deliveries.runsTitle")}
        statuses={TABS}
        current={status}
        labelOf={(tab) => t(`deliveries.tabs.${tab}`)}
      />
      {runs.length === 0 ? (
        <p className="notice">
          {t(isAgent && status === "in_transit" ? "deliveries.incomingNone" : "deliveries.empty")}
        </p>
      ) : (
        <ul className="card-list">
          {runs.map((run) => (
            <li key={run.id}>
              <Link to={`/staff/deliveries/${encodeURIComponent(run.id)}`} className="card-link">
                <span className="card-title">
                  {t("deliveries.runLine", {
                    point: localized(run.toName, i18n.language),
                    orders: run.orderCount,
                  })}
                </span>
                <span className="muted">
                  {formatDateTime(run.dispatchedAt ?? run.createdAt, i18n.language)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
