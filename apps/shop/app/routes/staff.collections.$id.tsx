import { type Collection, DISCREPANCY_KINDS, ReceiveCollection } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Quantity } from "../components/Quantity";
import { BackLink, Fact, FormAlert } from "../components/staff/FormBits";
import { ReceiveLineFields } from "../components/staff/ReceiveLineFields";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { StaffForm, SubmitButton, useStaffForm } from "../components/staff/StaffForm";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatDateTime } from "../lib/dates";
import { pageMeta } from "../lib/meta";
import { placeNames } from "../lib/places.server";
import { receiveLinesForm } from "../lib/receive-lines";
import { requireStaff } from "../lib/session.server";
import { formKey, newFormKey, requireRole, staffFailure } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm, staffReply } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, token } = await requireStaff(request, context);
  const api = getApi(context, request);
  const [t, collection, places] = await Promise.all([
    getT(request, "staff"),
    api.getCollection(token, params.id ?? "").catch(staffFailure(request)),
    placeNames(api, token),
  ]);
  return {
    title: t("collection.title"),
    collection,
    from: places[collection.fromLocationId] ?? null,
    to: places[collection.toLocationId] ?? null,
    canReceive: collection.status === "in_transit" && (user.role === "warehouse" || user.role === "admin"),
    // From the loader, so the page's script needs no copy of the contract.
    discrepancyKinds: DISCREPANCY_KINDS,
    idempotencyKey: newFormKey(),
  };
}

/** The warehouse's count of a collection: its lines as the contract's ReceiveCollection body. */
function collectionReceiveForm(lines: Collection["lines"]) {
  const receive = lines.map((line) => ({ id: line.lotId, unit: line.unit, sent: line.quantitySent }));
  return receiveLinesForm(receive, { moreAllowed: true })
    .transform((read) => ({ lines: read.map(({ id, ...line }) => ({ lotId: id, ...line })) }))
    .pipe(ReceiveCollection);
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["warehouse", "admin"]);
  const api = getApi(context, request);
  const form = await request.formData();
  const collection = await api.getCollection(token, params.id ?? "").catch(staffFailure(request));
  const submission = parseStaffForm(form, collectionReceiveForm(collection.lines));
  if (collection.status !== "in_transit")
    return staffReply(submission, { problem: "invalidState", status: 409 });
  if (submission.status !== "success") return staffReply(submission);
  try {
    await api.receiveCollection(token, collection.id, submission.value, formKey(form));
  } catch (error) {
    return staffReply(submission, apiErrorToReply(error));
  }
  return redirect(`/staff/collections/${encodeURIComponent(collection.id)}?received=1`);
}

export default function CollectionPage() {
  const { collection, from, to, canReceive, discrepancyKinds, idempotencyKey } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useStaffTranslation();
  const [form, fields] = useStaffForm(result);
  const place = (name: { zh: string; en: string } | null) => (name ? localized(name, i18n.language) : "—");

  return (
    <>
      <BackLink to="/staff/collections">{t("collections.title")}</BackLink>
      {searchParams.get("sent") ? (
        <p className="notice notice-info" role="status">
          {t("collection.sent")}
        </p>
      ) : null}
      {searchParams.get("received") ? (
        <p className="notice notice-info" role="status">
          {t("collection.receivedNotice")}
        </p>
      ) : null}
      <h1>{t("collection.title")}</h1>
      <dl className="facts">
        <Fact label={t("collection.from")}>{place(from)}</Fact>
        <Fact label={t("collection.to")}>{place(to)}</Fact>
        <Fact label={t("collection.sentAt")}>{formatDateTime(collection.createdAt, i18n.language)}</Fact>
        <Fact label={t("collection.status")}>
          {collection.receivedAt
            ? t("collection.receivedAt", { at: formatDateTime(collection.receivedAt, i18n.language) })
            : t("collections.tabs.in_transit")}
        </Fact>
      </dl>

      {canReceive ? (
        <>
          <h2>{t("collection.receiveTitle")}</h2>
          <p className="lead">{t("collection.receiveIntro")}</p>
          <FormAlert problem={result?.problem} id="receive-problem" />
          <StaffForm
            form={form}
            idempotencyKey={result?.idempotencyKey ?? idempotencyKey}
            className="receive-lines"
            aria-describedby={result?.problem ? "receive-problem" : undefined}
          >
            {collection.lines.map((line, index) => (
              <ReceiveLineFields
                key={line.lotId}
                fields={fields}
                id={line.lotId}
                index={index}
                unit={line.unit}
                sent={line.quantitySent}
                legend={`${localized(line.productName, i18n.language)} · ${line.lotNo}`}
                texts="collection"
                kinds={discrepancyKinds}
                data-lot-no={line.lotNo}
              />
            ))}
            <SubmitButton className="button button-primary button-block button-big">
              {t("collection.receiveSubmit")}
            </SubmitButton>
          </StaffForm>
        </>
      ) : (
        <>
          <h2>{t("collection.linesTitle")}</h2>
          <ul className="card-list">
            {collection.lines.map((line) => (
              <li key={line.lotId} className="card" data-lot-no={line.lotNo}>
                <a href={`/staff/lots/${encodeURIComponent(line.lotId)}`} className="card-title">
                  {localized(line.productName, i18n.language)} · {line.lotNo}
                </a>
                <span>
                  {t("collection.sentQuantity")} <Quantity quantity={line.quantitySent} unit={line.unit} />
                </span>
                {line.quantityReceived !== null ? (
                  <span>
                    {t("collection.receivedQuantity")}{" "}
                    <Quantity quantity={line.quantityReceived} unit={line.unit} />
                  </span>
                ) : null}
                {line.discrepancyKind ? (
                  <span className="status status-bad">
                    {t(`discrepancy.${line.discrepancyKind}`)}
                    {line.note ? ` — ${line.note}` : ""}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
