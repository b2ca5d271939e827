import { mayAccessLot } from "@coop/shared";
import type { Lot } from "@coop/shared/contract";
import { CountLot, LotQuantityChange, SpoilLot } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  MaxPartSizeExceededError,
  type MetaFunction,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { z } from "zod";
import { Money } from "../components/Money";
import { Quantity } from "../components/Quantity";
import { answerFor } from "../components/staff/FieldControls";
import { BackLink, Fact, FormAlert } from "../components/staff/FormBits";
import { LotStatus } from "../components/staff/LotStatus";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import {
  Field,
  type StaffField,
  StaffForm,
  SubmitButton,
  TextField,
  useStaffForm,
} from "../components/staff/StaffForm";
import { localized } from "../i18n";
import type { StaffUser } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { formatDate, formatDateTime } from "../lib/dates";
import { quantityAsBase } from "../lib/form-quantities";
import { ledgerText } from "../lib/line-text";
import { pageMeta } from "../lib/meta";
import { MAX_PHOTO_BYTES, PHOTO_TYPES } from "../lib/photos";
import { inputUnitsFor } from "../lib/quantity";
import { requireStaff } from "../lib/session.server";
import { formKey, newFormKey, staffFailure } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm, staffReply, yuanAsFen } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

const INTENTS = ["count", "spoil", "return", "photo"] as const;
type Intent = (typeof INTENTS)[number];

/** What this person may do to this lot: the API's own scope rule (@coop/shared scope.ts), then its state. */
function allowedIntents(
  user: StaffUser,
  lot: Pick<Lot, "locationId" | "status" | "onHand">,
  atServicePoint: boolean,
): Intent[] {
  const handsOn = mayAccessLot(
    user,
    { locationId: lot.locationId, originLocationId: null, atServicePoint },
    "operate",
  );
  if (!handsOn) return [];
  const intents: Intent[] = ["photo"];
  if (lot.status === "in_stock") intents.push("count", "spoil");
  if (lot.status === "in_stock" && lot.onHand > 0) intents.push("return");
  return intents;
}

async function lotAndPlaces(api: ReturnType<typeof getApi>, token: string, request: Request, id: string) {
  const [lot, places] = await Promise.all([
    api.getLot(token, id).catch(staffFailure(request)),
    api.listLocations(token).catch(() => []),
  ]);
  const here = places.find((place) => place.id === lot.locationId);
  return { lot, places, atServicePoint: here ? here.kind === "service_point" : true };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, token } = await requireStaff(request, context);
  const api = getApi(context, request);
  const { lot, places, atServicePoint } = await lotAndPlaces(api, token, request, params.id ?? "");
  return {
    title: lot.lotNo,
    lot,
    location: places.find((place) => place.id === lot.locationId)?.name ?? null,
    origin: places.find((place) => place.id === lot.originLocationId)?.name ?? null,
    intents: allowedIntents(user, lot, atServicePoint),
    canBlock: (user.role === "admin" || user.role === "warehouse") && lot.status !== "blocked",
    keys: Object.fromEntries(INTENTS.map((intent) => [intent, newFormKey()])) as Record<Intent, string>,
  };
}

/**
 * The lot's forms, by the intent of their button, from the contract's bodies: quantities typed in the
 * lot's first input unit, a count may find nothing left, goods taken out are at most what is on hand.
 */
function lotForms(lot: Pick<Lot, "unit" | "onHand">) {
  const inputUnit = inputUnitsFor(lot.unit)[0] ?? lot.unit;
  const taken = (base: typeof LotQuantityChange.shape.quantity) =>
    quantityAsBase(inputUnit, base).refine((quantity) => quantity <= lot.onHand, "moreThanOnHand");
  return z.discriminatedUnion("intent", [
    z.object({
      intent: z.literal("photo"),
      photo: z
        .instanceof(File, { message: "required" })
        .refine((photo) => photo.size > 0, "required")
        .refine((photo) => PHOTO_TYPES.includes(photo.type), "photoType"),
    }),
    z.object({
      intent: z.literal("count"),
      quantity: quantityAsBase(inputUnit, CountLot.shape.countedQuantity, { zero: true }),
      reason: CountLot.shape.reason,
    }),
    z.object({
      intent: z.literal("spoil"),
      quantity: taken(SpoilLot.shape.quantity),
      reason: SpoilLot.shape.reason,
      charge: yuanAsFen(SpoilLot.shape.chargeFen.unwrap()).default(0),
    }),
    z.object({
      intent: z.literal("return"),
      quantity: taken(LotQuantityChange.shape.quantity),
      reason: LotQuantityChange.shape.reason,
    }),
  ]);
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, token } = await requireStaff(request, context);
  const api = getApi(context, request);
  const { lot, atServicePoint } = await lotAndPlaces(api, token, request, params.id ?? "");
  const schema = lotForms(lot);
  let form: FormData;
  try {
    form = request.headers.get("content-type")?.startsWith("multipart/form-data")
      ? await unstable_parseMultipartFormData(
          request,
          unstable_createMemoryUploadHandler({ maxPartSize: MAX_PHOTO_BYTES }),
        )
      : await request.formData();
  } catch (error) {
    if (!(error instanceof MaxPartSizeExceededError)) throw error;
    const photo = parseStaffForm(new URLSearchParams({ intent: "photo" }), schema);
    return staffReply(photo, { problem: "checkFields", status: 413, fields: { photo: "photoTooLarge" } });
  }
  const submission = parseStaffForm(form, schema, { quantity: "quantity", charge: "money" });
  if (!(allowedIntents(user, lot, atServicePoint) as unknown[]).includes(form.get("intent"))) {
    return staffReply(submission, { problem: "forbidden", status: 403 });
  }
  if (submission.status !== "success") return staffReply(submission);
  const step = submission.value;
  const key = formKey(form);
  try {
    if (step.intent === "photo") await api.uploadLotPhoto(token, lot.id, step.photo, key);
    else if (step.intent === "count") {
      await api.countLot(token, lot.id, { countedQuantity: step.quantity, reason: step.reason }, key);
    } else if (step.intent === "spoil") {
      const body = { quantity: step.quantity, reason: step.reason, chargeFen: step.charge };
      await api.spoilLot(token, lot.id, body, key);
    } else await api.returnLot(token, lot.id, { quantity: step.quantity, reason: step.reason }, key);
  } catch (error) {
    const fieldOf = {
      quantity: "quantity",
      countedQuantity: "quantity",
      reason: "reason",
      chargeFen: "charge",
    };
    return staffReply(submission, apiErrorToReply(error, fieldOf));
  }
  return redirect(`/staff/lots/${encodeURIComponent(lot.id)}?done=${step.intent}`);
}

export default function LotPage() {
  const { lot, location, origin, intents, canBlock, keys } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useStaffTranslation();
  const done = searchParams.get("done");
  const inputUnit = inputUnitsFor(lot.unit)[0] ?? lot.unit;
  const place = (name: { zh: string; en: string } | null, id: string) =>
    name ? localized(name, i18n.language) : id;

  const quantityField = (fields: Record<string, StaffField>, intent: Intent, label: string) => (
    <TextField
      field={fields.quantity!}
      id={`${intent}-quantity`}
      label={label}
      unit={t(`quantity.inputUnits.${inputUnit}`)}
      inputMode={inputUnit === "jin" ? "decimal" : "numeric"}
      required
      autoComplete="off"
    />
  );

  return (
    <>
      <BackLink to="/staff/stock">{t("stockPage.title")}</BackLink>
      {done && (INTENTS as readonly string[]).includes(done) ? (
        <p className="notice notice-info" role="status">
          {t(`lot.done.${done as Intent}`)}
        </p>
      ) : null}
      <p className="muted">{t("lot.lotNo")}</p>
      <h1 className="lot-no">{lot.lotNo}</h1>
      <p>
        <LotStatus status={lot.status} />
      </p>
      {lot.blockedReason ? (
        <p className="alert">{t("lot.blockedBecause", { reason: lot.blockedReason })}</p>
      ) : null}

      <dl className="facts">
        <Fact label={t("receipt.product")}>{localized(lot.productName, i18n.language)}</Fact>
        <Fact label={t("lot.onHand")} className="fact-strong">
          <Quantity quantity={lot.onHand} unit={lot.unit} />
        </Fact>
        <Fact label={t("lot.received")}>
          <Quantity quantity={lot.quantityReceived} unit={lot.unit} />
        </Fact>
        <Fact label={t("receipt.villager")}>
          {lot.consignorId ? (
            <Link to={`/staff/villagers/${encodeURIComponent(lot.consignorId)}`}>
              {lot.consignorName ?? "—"}
            </Link>
          ) : (
            (lot.consignorName ?? "—")
          )}
        </Fact>
        <Fact label={t("receipt.grade")}>
          {lot.grade ? t("intake.gradeN", { grade: lot.grade }) : t("intake.gradeNone")}
        </Fact>
        {lot.bestBefore ? (
          <Fact label={t("receipt.bestBefore")}>{formatDate(lot.bestBefore, i18n.language)}</Fact>
        ) : null}
        <Fact label={t("receipt.qc")}>
          {lot.qcPassed ? t("receipt.qcPassed") : t("receipt.qcFailed", { reason: lot.qcReason ?? "—" })}
        </Fact>
        <Fact label={t("lot.price")}>
          <Money fen={lot.unitPriceFen} per={lot.unit} />
        </Fact>
        <Fact label={t("lot.location")}>{place(location, lot.locationId)}</Fact>
        <Fact label={t("lot.origin")}>{place(origin, lot.originLocationId)}</Fact>
        <Fact label={t("receipt.date")}>{formatDateTime(lot.createdAt, i18n.language)}</Fact>
      </dl>

      <nav className="action-grid" aria-label={t("lot.actions")}>
        <Link to="receipt" relative="path" className="button button-secondary">
          {t("lot.receipt")}
        </Link>
        {canBlock ? (
          <Link
            to={`/staff/admin/recall?${new URLSearchParams({ q: lot.id })}`}
            className="button button-danger"
          >
            {t("lot.block")}
          </Link>
        ) : null}
      </nav>

      {lot.photoIds.length > 0 ? (
        <section aria-labelledby="photos-title">
          <h2 id="photos-title">{t("lot.photos")}</h2>
          <div className="photos">
            {lot.photoIds.map((photoId) => (
              <a
                key={photoId}
                href={`/staff/lots/${encodeURIComponent(lot.id)}/photos/${encodeURIComponent(photoId)}`}
              >
                <img
                  src={`/staff/lots/${encodeURIComponent(lot.id)}/photos/${encodeURIComponent(photoId)}`}
                  alt={t("lot.photoAlt", { lotNo: lot.lotNo })}
                  loading="lazy"
                  width={160}
                  height={160}
                />
              </a>
            ))}
          </div>
        </section>
      ) : null}

      {intents.includes("count") ? (
        <LotForm
          intent="count"
          idempotencyKey={keys.count}
          summary={t("lot.count")}
          submit={t("lot.countSubmit")}
        >
          {(fields) => (
            <>
              <p className="field-hint">{t("lot.countHint")}</p>
              {quantityField(fields, "count", t("lot.counted"))}
              <TextField
                field={fields.reason!}
                id="count-reason"
                label={t("lot.reasonOptional")}
                maxLength={200}
              />
            </>
          )}
        </LotForm>
      ) : null}

      {intents.includes("spoil") ? (
        <LotForm
          intent="spoil"
          idempotencyKey={keys.spoil}
          summary={t("lot.spoil")}
          submit={t("lot.spoilSubmit")}
        >
          {(fields) => (
            <>
              {quantityField(fields, "spoil", t("lot.spoiledQuantity"))}
              <TextField
                field={fields.reason!}
                id="spoil-reason"
                label={t("lot.reason")}
                required
                maxLength={200}
                placeholder={t("lot.spoilReasonPlaceholder")}
              />
              <TextField
                field={fields.charge!}
                id="spoil-charge"
                label={t("lot.charge")}
                hint={t("lot.chargeHint")}
                inputMode="decimal"
                autoComplete="off"
              />
            </>
          )}
        </LotForm>
      ) : null}

      {intents.includes("return") ? (
        <LotForm
          intent="return"
          idempotencyKey={keys.return}
          summary={t("lot.return")}
          submit={t("lot.returnSubmit")}
        >
          {(fields) => (
            <>
              {quantityField(fields, "return", t("lot.returnQuantity"))}
              <TextField
                field={fields.reason!}
                id="return-reason"
                label={t("lot.reason")}
                required
                maxLength={200}
                placeholder={t("lot.returnReasonPlaceholder")}
              />
            </>
          )}
        </LotForm>
      ) : null}

      {intents.includes("photo") ? (
        <LotForm
          intent="photo"
          idempotencyKey={keys.photo}
          summary={t("lot.addPhoto")}
          submit={t("lot.uploadPhoto")}
          encType="multipart/form-data"
          submitClassName="button button-secondary button-block"
        >
          {(fields) => (
            <Field field={fields.photo!} label={t("intake.photo")} hint={t("intake.photoHint")}>
              {(ids) => (
                <input
                  {...ids}
                  name="photo"
                  type="file"
                  required
                  accept="image/jpeg,image/png,image/webp"
                  capture="environment"
                />
              )}
            </Field>
          )}
        </LotForm>
      ) : null}

      <section aria-labelledby="moves-title">
        <h2 id="moves-title">{t("lot.movements")}</h2>
        {lot.movements.length === 0 ? (
          <p className="muted">{t("lot.noMovements")}</p>
        ) : (
          <ol className="card-list">
            {lot.movements.map((move) => {
              const why = ledgerText(move.reasonLine, move.reason, t);
              return (
                <li key={move.id} className="card" data-kind={move.kind}>
                  <span className="card-title">{t(`movement.${move.kind}`)}</span>
                  <span>
                    <Quantity quantity={move.quantityDelta} unit={lot.unit} signed />
                  </span>
                  <span className="muted">{formatDateTime(move.at, i18n.language)}</span>
                  {why ? <span className="muted">{why}</span> : null}
                </li>
              );
            })}
          </ol>
        )}
      </section>
    </>
  );
}

/**
 * One of the lot's forms in its fold: open when the last answer was to it, its problem above it, the
 * idempotency key from that answer (a new one after a problem) or the page's.
 */
function LotForm({
  intent,
  idempotencyKey,
  summary,
  submit,
  encType,
  submitClassName = "button button-primary button-block",
  children,
}: {
  intent: Intent;
  idempotencyKey: string;
  summary: string;
  submit: string;
  encType?: "multipart/form-data";
  submitClassName?: string;
  children: (fields: Record<string, StaffField>) => ReactNode;
}) {
  const answer = answerFor(useActionData<typeof action>(), intent);
  const [form, fields] = useStaffForm(answer, { intent });
  return (
    <details className="edit-box" open={answer !== null}>
      <summary>{summary}</summary>
      <FormAlert problem={answer?.problem} />
      <StaffForm form={form} idempotencyKey={answer?.idempotencyKey ?? idempotencyKey} encType={encType}>
        {children(fields)}
        <SubmitButton name="intent" value={intent} className={submitClassName}>
          {submit}
        </SubmitButton>
      </StaffForm>
    </details>
  );
}
