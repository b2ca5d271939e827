import { mayAccessLot, parseYuan } from "@coop/shared";
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
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Money } from "../components/Money";
import { Quantity } from "../components/Quantity";
import { BackLink, Fact, FieldError, FormAlert, FormKey } from "../components/staff/FormBits";
import { LotStatus } from "../components/staff/LotStatus";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import type { StaffUser } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { formatDate, formatDateTime } from "../lib/dates";
import { ledgerText } from "../lib/line-text";
import { pageMeta } from "../lib/meta";
import { MAX_PHOTO_BYTES, PHOTO_TYPES } from "../lib/photos";
import { inputUnitsFor, toBaseQuantity } from "../lib/quantity";
import { requireStaff } from "../lib/session.server";
import {
  apiProblem,
  type FieldProblem,
  formKey,
  formProblem,
  newFormKey,
  staffFailure,
  text,
} from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

const INTENTS = ["count", "spoil", "return", "photo"] as const;
type Intent = (typeof INTENTS)[number];
type Field = "quantity" | "reason" | "charge" | "photo";

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

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, token } = await requireStaff(request, context);
  const api = getApi(context, request);
  const { lot, atServicePoint } = await lotAndPlaces(api, token, request, params.id ?? "");
  let form: FormData;
  try {
    form = request.headers.get("content-type")?.startsWith("multipart/form-data")
      ? await unstable_parseMultipartFormData(
          request,
          unstable_createMemoryUploadHandler({ maxPartSize: MAX_PHOTO_BYTES }),
        )
      : await request.formData();
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      return formProblem<Field, { intent: Intent }>(
        "checkFields",
        413,
        { photo: "photoTooLarge" },
        { intent: "photo" },
      );
    }
    throw error;
  }
  const intent = text(form, "intent", 10) as Intent;
  if (!allowedIntents(user, lot, atServicePoint).includes(intent))
    return formProblem("forbidden", 403, {}, { intent });

  const fields: Partial<Record<Field, FieldProblem>> = {};
  const problem = (status = 400) =>
    formProblem<Field, { intent: Intent }>("checkFields", status, fields, { intent });
  const inputUnit = inputUnitsFor(lot.unit)[0] ?? lot.unit;
  const typedQuantity = text(form, "quantity", 20);
  const reason = text(form, "reason", 200);
  const key = formKey(form);

  try {
    if (intent === "photo") {
      const photo = form.get("photo");
      if (!(photo instanceof File) || photo.size === 0) fields.photo = "required";
      else if (!PHOTO_TYPES.includes(photo.type)) fields.photo = "photoType";
      if (fields.photo || !(photo instanceof File)) return problem();
      await api.uploadLotPhoto(token, lot.id, photo, key);
    } else if (intent === "count") {
      // A count may find nothing left: "0" is a real answer here.
      const counted = /^\s*0+\s*$/.test(typedQuantity) ? 0 : toBaseQuantity(typedQuantity, inputUnit);
      if (counted === null) fields.quantity = typedQuantity ? "quantity" : "required";
      const body = CountLot.safeParse({ countedQuantity: counted, reason: reason || undefined });
      if (!body.success || fields.quantity) return problem();
      await api.countLot(token, lot.id, body.data, key);
    } else {
      const quantity = toBaseQuantity(typedQuantity, inputUnit);
      if (quantity === null) fields.quantity = typedQuantity ? "quantity" : "required";
      else if (quantity > lot.onHand) fields.quantity = "moreThanOnHand";
      if (!reason) fields.reason = "required";
      const charge = text(form, "charge", 20);
      const chargeFen = charge ? parseYuan(charge) : 0;
      if (chargeFen === null) fields.charge = "money";
      if (Object.keys(fields).length > 0) return problem();
      if (intent === "spoil") {
        const body = SpoilLot.safeParse({ quantity, reason, chargeFen });
        if (!body.success) return problem();
        await api.spoilLot(token, lot.id, body.data, key);
      } else {
        const body = LotQuantityChange.safeParse({ quantity, reason });
        if (!body.success) return problem();
        await api.returnLot(token, lot.id, body.data, key);
      }
    }
  } catch (error) {
    const failed = apiProblem<Field>(error, (path) =>
      path === "quantity" || path === "countedQuantity"
        ? "quantity"
        : path === "reason"
          ? "reason"
          : path === "chargeFen"
            ? "charge"
            : null,
    );
    return formProblem(failed.data.problem, failed.init?.status ?? 400, failed.data.fields, { intent });
  }
  return redirect(`/staff/lots/${encodeURIComponent(lot.id)}?done=${intent}`);
}

export default function LotPage() {
  const { lot, location, origin, intents, canBlock, keys } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useStaffTranslation();
  const done = searchParams.get("done");
  const inputUnit = inputUnitsFor(lot.unit)[0] ?? lot.unit;
  const submitting = navigation.state === "submitting";
  const place = (name: { zh: string; en: string } | null, id: string) =>
    name ? localized(name, i18n.language) : id;

  /** One action's problem and fields, shown only in the form that was sent. */
  const outcome = (intent: Intent) =>
    result && "intent" in result && result.intent === intent
      ? { ...result, fields: result.fields as Partial<Record<Field, FieldProblem>> }
      : null;

  const quantityInput = (intent: Intent, label: string) => {
    const fields: Partial<Record<Field, FieldProblem>> = outcome(intent)?.fields ?? {};
    return (
      <div className="field">
        <label htmlFor={`${intent}-quantity`} className="field-label">
          {label}
        </label>
        <div className="quantity-input-row">
          <input
            id={`${intent}-quantity`}
            name="quantity"
            type="text"
            inputMode={inputUnit === "jin" ? "decimal" : "numeric"}
            className="quantity-input"
            required
            autoComplete="off"
            aria-invalid={fields.quantity ? true : undefined}
            aria-describedby={`${intent}-quantity-error`}
          />
          <span className="quantity-input-unit">{t(`quantity.inputUnits.${inputUnit}`)}</span>
        </div>
        <FieldError id={`${intent}-quantity-error`} problem={fields.quantity} />
      </div>
    );
  };

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
        <details className="edit-box" open={outcome("count") !== null}>
          <summary>{t("lot.count")}</summary>
          <FormAlert problem={outcome("count")?.problem} />
          <Form method="post" className="form">
            <FormKey value={outcome("count")?.idempotencyKey ?? keys.count} />
            <p className="field-hint">{t("lot.countHint")}</p>
            {quantityInput("count", t("lot.counted"))}
            <div className="field">
              <label htmlFor="count-reason" className="field-label">
                {t("lot.reasonOptional")}
              </label>
              <input id="count-reason" name="reason" type="text" maxLength={200} />
            </div>
            <button
              type="submit"
              name="intent"
              value="count"
              className="button button-primary button-block"
              disabled={submitting}
            >
              {t("lot.countSubmit")}
            </button>
          </Form>
        </details>
      ) : null}

      {intents.includes("spoil") ? (
        <details className="edit-box" open={outcome("spoil") !== null}>
          <summary>{t("lot.spoil")}</summary>
          <FormAlert problem={outcome("spoil")?.problem} />
          <Form method="post" className="form">
            <FormKey value={outcome("spoil")?.idempotencyKey ?? keys.spoil} />
            {quantityInput("spoil", t("lot.spoiledQuantity"))}
            <div className="field">
              <label htmlFor="spoil-reason" className="field-label">
                {t("lot.reason")}
              </label>
              <input
                id="spoil-reason"
                name="reason"
                type="text"
                required
                maxLength={200}
                placeholder={t("lot.spoilReasonPlaceholder")}
              />
              <FieldError id="spoil-reason-error" problem={outcome("spoil")?.fields.reason} />
            </div>
            <div className="field">
              <label htmlFor="spoil-charge" className="field-label">
                {t("lot.charge")}
              </label>
              <input id="spoil-charge" name="charge" type="text" inputMode="decimal" autoComplete="off" />
              <p className="field-hint">{t("lot.chargeHint")}</p>
              <FieldError id="spoil-charge-error" problem={outcome("spoil")?.fields.charge} />
            </div>
            <button
              type="submit"
              name="intent"
              value="spoil"
              className="button button-primary button-block"
              disabled={submitting}
            >
              {t("lot.spoilSubmit")}
            </button>
          </Form>
        </details>
      ) : null}

      {intents.includes("return") ? (
        <details className="edit-box" open={outcome("return") !== null}>
          <summary>{t("lot.return")}</summary>
          <FormAlert problem={outcome("return")?.problem} />
          <Form method="post" className="form">
            <FormKey value={outcome("return")?.idempotencyKey ?? keys.return} />
            {quantityInput("return", t("lot.returnQuantity"))}
            <div className="field">
              <label htmlFor="return-reason" className="field-label">
                {t("lot.reason")}
              </label>
              <input
                id="return-reason"
                name="reason"
                type="text"
                required
                maxLength={200}
                placeholder={t("lot.returnReasonPlaceholder")}
              />
              <FieldError id="return-reason-error" problem={outcome("return")?.fields.reason} />
            </div>
            <button
              type="submit"
              name="intent"
              value="return"
              className="button button-primary button-block"
              disabled={submitting}
            >
              {t("lot.returnSubmit")}
            </button>
          </Form>
        </details>
      ) : null}

      {intents.includes("photo") ? (
        <details className="edit-box" open={outcome("photo") !== null}>
          <summary>{t("lot.addPhoto")}</summary>
          <FormAlert problem={outcome("photo")?.problem} />
          <Form method="post" encType="multipart/form-data" className="form">
            <FormKey value={outcome("photo")?.idempotencyKey ?? keys.photo} />
            <div className="field">
              <label htmlFor="photo" className="field-label">
                {t("intake.photo")}
              </label>
              <input
                id="photo"
                name="photo"
                type="file"
                required
                accept="image/jpeg,image/png,image/webp"
                capture="environment"
              />
              <p className="field-hint">{t("intake.photoHint")}</p>
              <FieldError id="photo-error" problem={outcome("photo")?.fields.photo} />
            </div>
            <button
              type="submit"
              name="intent"
              value="photo"
              className="button button-secondary button-block"
              disabled={submitting}
            >
              {t("lot.uploadPhoto")}
            </button>
          </Form>
        </details>
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
