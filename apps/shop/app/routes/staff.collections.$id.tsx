import { DISCREPANCY_KINDS, ReceiveCollection } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Quantity } from "../components/Quantity";
import { BackLink, Fact, FieldError, FormAlert, FormKey } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatDateTime } from "../lib/dates";
import { pageMeta } from "../lib/meta";
import { placeNames } from "../lib/places.server";
import { fromBaseQuantity, inputUnitsFor, isInputUnit, toBaseQuantity } from "../lib/quantity";
import { requireStaff } from "../lib/session.server";
import {
  apiProblem,
  type FieldProblem,
  formKey,
  formProblem,
  newFormKey,
  requireRole,
  staffFailure,
  text,
} from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

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

/** Received quantities by lot: what the warehouse counted, in base units ("0" = none arrived). */
function readLine(form: FormData, lotId: string, unit: Parameters<typeof inputUnitsFor>[0]) {
  const typed = text(form, `received.${lotId}`, 20);
  const inputUnit = form.get(`unit.${lotId}`) ?? inputUnitsFor(unit)[0];
  const received = /^\s*0+([.]0*)?\s*$/.test(typed)
    ? 0
    : isInputUnit(inputUnit, unit)
      ? toBaseQuantity(typed, inputUnit)
      : null;
  const kind = text(form, `kind.${lotId}`, 20);
  return {
    typed,
    received,
    kind: (DISCREPANCY_KINDS as readonly string[]).includes(kind) ? (kind as DiscrepancyKind) : null,
    note: text(form, `note.${lotId}`, 200),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["warehouse", "admin"]);
  const api = getApi(context, request);
  const form = await request.formData();
  const collection = await api.getCollection(token, params.id ?? "").catch(staffFailure(request));
  if (collection.status !== "in_transit") return formProblem("invalidState", 409);

  const fields: Record<string, FieldProblem> = {};
  const typed: Record<string, string> = {};
  const lines = collection.lines.map((line) => {
    const read = readLine(form, line.lotId, line.unit);
    typed[line.lotId] = read.typed;
    if (read.received === null) fields[`received.${line.lotId}`] = read.typed ? "quantity" : "required";
    else if (read.received !== line.quantitySent && !read.kind)
      fields[`kind.${line.lotId}`] = "discrepancyKind";
    return {
      lotId: line.lotId,
      receivedQuantity: read.received ?? 0,
      discrepancyKind: read.received !== line.quantitySent ? (read.kind ?? undefined) : undefined,
      note: read.note || undefined,
    };
  });
  if (Object.keys(fields).length > 0) return formProblem("checkFields", 400, fields, { typed });
  const body = ReceiveCollection.safeParse({ lines });
  if (!body.success) return formProblem("checkFields", 400, fields, { typed });

  try {
    await api.receiveCollection(token, collection.id, body.data, formKey(form));
  } catch (error) {
    const problem = apiProblem(error);
    return formProblem(problem.data.problem, problem.init?.status ?? 400, {}, { typed });
  }
  return redirect(`/staff/collections/${encodeURIComponent(collection.id)}?received=1`);
}

export default function CollectionPage() {
  const { collection, from, to, canReceive, discrepancyKinds, idempotencyKey } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useStaffTranslation();
  const fields: Record<string, FieldProblem> = result?.fields ?? {};
  const typed: Record<string, string> = result && "typed" in result ? result.typed : {};
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
          <Form method="post" aria-describedby={result?.problem ? "receive-problem" : undefined}>
            <FormKey value={result?.idempotencyKey ?? idempotencyKey} />
            {collection.lines.map((line, index) => {
              const units = inputUnitsFor(line.unit);
              const inputUnit = units[0] ?? line.unit;
              const receivedField = `received.${line.lotId}`;
              const kindField = `kind.${line.lotId}`;
              return (
                <fieldset key={line.lotId} className="form receive-line" data-lot-no={line.lotNo}>
                  <legend className="receive-legend">
                    {localized(line.productName, i18n.language)} · {line.lotNo}
                  </legend>
                  <p>
                    {t("collection.sentQuantity")} <Quantity quantity={line.quantitySent} unit={line.unit} />
                  </p>
                  <div className="field">
                    <label htmlFor={`received-${index}`} className="field-label">
                      {t("collection.receivedQuantity")}
                    </label>
                    <div className="quantity-input-row">
                      <input
                        id={`received-${index}`}
                        name={receivedField}
                        type="text"
                        inputMode={units.length > 1 ? "decimal" : "numeric"}
                        className="quantity-input"
                        required
                        autoComplete="off"
                        defaultValue={typed[line.lotId] ?? fromBaseQuantity(line.quantitySent, inputUnit)}
                        aria-invalid={fields[receivedField] ? true : undefined}
                        aria-describedby={`received-${index}-error`}
                      />
                      <input type="hidden" name={`unit.${line.lotId}`} value={inputUnit} />
                      <span className="quantity-input-unit">{t(`quantity.inputUnits.${inputUnit}`)}</span>
                    </div>
                    <FieldError id={`received-${index}-error`} problem={fields[receivedField]} />
                  </div>
                  <div className="field">
                    <label htmlFor={`kind-${index}`} className="field-label">
                      {t("collection.discrepancy")}
                    </label>
                    <select
                      id={`kind-${index}`}
                      name={kindField}
                      defaultValue=""
                      aria-invalid={fields[kindField] ? true : undefined}
                      aria-describedby={`kind-${index}-error`}
                    >
                      <option value="">{t("collection.noDiscrepancy")}</option>
                      {discrepancyKinds.map((kind) => (
                        <option key={kind} value={kind}>
                          {t(`discrepancy.${kind}`)}
                        </option>
                      ))}
                    </select>
                    <FieldError id={`kind-${index}-error`} problem={fields[kindField]} />
                  </div>
                  <div className="field">
                    <label htmlFor={`note-${index}`} className="field-label">
                      {t("collection.note")}
                    </label>
                    <input id={`note-${index}`} name={`note.${line.lotId}`} type="text" maxLength={200} />
                  </div>
                </fieldset>
              );
            })}
            <button
              type="submit"
              className="button button-primary button-block button-big"
              disabled={navigation.state === "submitting"}
            >
              {t("collection.receiveSubmit")}
            </button>
          </Form>
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
