import { CreateCollection } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Quantity } from "../components/Quantity";
import { BackLink, FormAlert, FormKey } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { SubmitButton } from "../components/staff/StaffForm";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatDate } from "../lib/dates";
import { pageMeta } from "../lib/meta";
import { agentPoint, formKey, newFormKey, requireRole, staffFailure } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm, staffReply } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["agent"]);
  const point = agentPoint(user);
  const [t, page] = await Promise.all([
    getT(request, "staff"),
    getApi(context, request)
      .listLots(token, { locationId: point, status: "in_stock" })
      .catch(staffFailure(request)),
  ]);
  return {
    title: t("sendToWarehouse.title"),
    lots: page.items.filter((lot) => lot.onHand > 0),
    // "Tick all" without JavaScript: a link that renders the list ticked.
    allTicked: new URL(request.url).searchParams.get("all") === "1",
    idempotencyKey: newFormKey(),
  };
}

/** The ticked lots (each box is named lotId), the list the contract asks for. */
const SendForm = z.object({
  lotId: CreateCollection.shape.lotIds.transform((ids) => [...new Set(ids)]),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["agent"]);
  const form = await request.formData();
  const submission = parseStaffForm(form, SendForm);
  if (submission.status !== "success") return staffReply(submission, { problem: "tickOne", status: 400 });
  const body = { fromServicePointId: agentPoint(user), lotIds: submission.value.lotId };
  try {
    const collection = await getApi(context, request).createCollection(token, body, formKey(form));
    return redirect(`/staff/collections/${encodeURIComponent(collection.id)}?sent=1`);
  } catch (error) {
    return staffReply(submission, apiErrorToReply(error));
  }
}

export default function SendToWarehouse() {
  const { lots, allTicked, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useStaffTranslation();

  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{t("sendToWarehouse.title")}</h1>
      <p className="lead">{t("sendToWarehouse.intro")}</p>
      <FormAlert problem={result?.problem} id="send-problem" />
      {lots.length === 0 ? (
        <p className="notice">{t("sendToWarehouse.none")}</p>
      ) : (
        <Form method="post" aria-describedby={result?.problem ? "send-problem" : undefined}>
          <FormKey value={result?.idempotencyKey ?? idempotencyKey} />
          <p>
            <Link to={allTicked ? "." : "?all=1"} className="chip">
              {allTicked ? t("sendToWarehouse.untickAll") : t("sendToWarehouse.tickAll")}
            </Link>
          </p>
          <ul className="tick-list">
            {lots.map((lot) => (
              <li key={lot.id}>
                <label className="tick-card">
                  <input
                    type="checkbox"
                    name="lotId"
                    value={lot.id}
                    defaultChecked={allTicked}
                    key={String(allTicked)}
                  />
                  <span className="tick-body">
                    <span className="card-title">{localized(lot.productName, i18n.language)}</span>
                    <span>
                      <Quantity quantity={lot.onHand} unit={lot.unit} />
                      {lot.consignorName ? ` · ${lot.consignorName}` : ""}
                    </span>
                    <span className="muted">
                      {lot.lotNo}
                      {lot.bestBefore
                        ? ` · ${t("lot.bestBeforeShort", { date: formatDate(lot.bestBefore, i18n.language) })}`
                        : ""}
                    </span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
          <SubmitButton className="button button-primary button-block button-big">
            {t("sendToWarehouse.submit")}
          </SubmitButton>
        </Form>
      )}
    </>
  );
}
