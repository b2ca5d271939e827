import { CreateLot } from "@coop/shared/contract";
import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  MaxPartSizeExceededError,
  type MetaFunction,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Money } from "../components/Money";
import { BackLink, FieldError, FormAlert, FormKey } from "../components/staff/FormBits";
import { QuantityField } from "../components/staff/QuantityField";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { ApiError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { chinaToday } from "../lib/dates";
import { pageMeta } from "../lib/meta";
import { MAX_PHOTO_BYTES, PHOTO_TYPES } from "../lib/photos";
import { isInputUnit, toBaseQuantity } from "../lib/quantity";
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

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

const GRADES = ["A", "B", "C"] as const;

type Field = "quantity" | "grade" | "bestBefore" | "qcReason" | "photo";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["agent", "admin"]);
  const api = getApi(context, request);
  const fail = staffFailure(request);
  const productId = new URL(request.url).searchParams.get("productId");
  const [t, villager] = await Promise.all([
    getT(request),
    api.getConsignor(token, params.id ?? "").catch(fail),
  ]);
  const product = productId ? await api.getProduct(productId).catch(fail) : null;
  // Step one: which product (produce only). Step two: the rest, for that product.
  const products =
    product?.kind === "produce"
      ? []
      : (await api.listProducts({ kind: "produce", limit: 100 }).catch(fail)).items;
  return {
    title: t("intake.title"),
    villager: { id: villager.id, name: villager.name },
    product: product?.kind === "produce" ? product : null,
    products,
    today: chinaToday(),
    idempotencyKey: newFormKey(),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["agent", "admin"]);
  const api = getApi(context, request);
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: MAX_PHOTO_BYTES }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError)
      return formProblem<Field>("checkFields", 413, { photo: "photoTooLarge" });
    throw error;
  }

  const villagerId = params.id ?? "";
  const [villager, product] = await Promise.all([
    api.getConsignor(token, villagerId),
    api.getProduct(text(form, "productId", 64)),
  ]).catch((error: unknown) => {
    throw staffFailure(request)(error);
  });
  if (product?.kind !== "produce") return formProblem("notFound", 404);

  const fields: Partial<Record<Field, FieldProblem>> = {};
  const inputUnit = form.get("inputUnit");
  const quantity = isInputUnit(inputUnit, product.unit)
    ? toBaseQuantity(text(form, "quantity", 20), inputUnit)
    : null;
  if (quantity === null) fields.quantity = text(form, "quantity") ? "quantity" : "required";

  const grade = text(form, "grade", 1);
  if (grade && !(GRADES as readonly string[]).includes(grade)) fields.grade = "invalid";

  const bestBefore = text(form, "bestBefore", 10);
  if (product.perishable && !bestBefore) fields.bestBefore = "required";
  else if (bestBefore && !/^\d{4}-\d{2}-\d{2}$/.test(bestBefore)) fields.bestBefore = "invalid";
  else if (bestBefore && bestBefore < chinaToday()) fields.bestBefore = "dateInPast";

  const passed = form.get("qc") !== "fail";
  const qcReason = text(form, "qcReason", 200);
  if (!passed && !qcReason) fields.qcReason = "required";

  const photo = form.get("photo");
  const hasPhoto = photo instanceof File && photo.size > 0;
  if (hasPhoto && !PHOTO_TYPES.includes(photo.type)) fields.photo = "photoType";

  const typed = {
    quantity: text(form, "quantity", 20),
    inputUnit: typeof inputUnit === "string" ? inputUnit : "",
    grade,
    bestBefore,
    passed,
    qcReason,
  };
  if (Object.keys(fields).length > 0) return formProblem("checkFields", 400, fields, { typed });

  const body = CreateLot.safeParse({
    consignorId: villager.id,
    productId: product.id,
    servicePointId: user.role === "agent" ? user.servicePointId : villager.servicePointId,
    quantity,
    grade: grade || undefined,
    bestBefore: bestBefore || undefined,
    qc: passed ? { passed: true } : { passed: false, reason: qcReason },
  });
  if (!body.success) return formProblem("checkFields", 400, {}, { typed });

  const key = formKey(form);
  let lot: { id: string };
  try {
    lot = await api.createLot(token, body.data, key);
  } catch (error) {
    const problem = apiProblem<Field>(error, (path) => {
      if (path === "quantity" || path === "grade" || path === "bestBefore") return path;
      if (path.startsWith("qc")) return "qcReason";
      return null;
    });
    return formProblem(problem.data.problem, problem.init?.status ?? 400, problem.data.fields, { typed });
  }

  let photoProblem = false;
  if (hasPhoto) {
    try {
      await api.uploadLotPhoto(token, lot.id, photo, `${key}.photo`);
    } catch (error) {
      // The same photo sent again after a lost answer: the first upload went through.
      const replayed =
        error instanceof ApiError &&
        (error.code === "IDEMPOTENCY_KEY_REUSED" || error.code === "IDEMPOTENCY_IN_PROGRESS");
      if (!replayed) {
        console.warn("intake: photo upload failed:", error instanceof Error ? error.message : error);
        photoProblem = true;
      }
    }
  }
  return redirect(`/staff/lots/${encodeURIComponent(lot.id)}/receipt${photoProblem ? "?photo=failed" : ""}`);
}

export default function Intake() {
  const { villager, product, products, today, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const base = `/staff/villagers/${encodeURIComponent(villager.id)}`;

  if (!product) {
    return (
      <>
        <BackLink to={base}>{villager.name}</BackLink>
        <h1>{t("intake.title")}</h1>
        <p className="lead">{t("intake.pickProduct", { name: villager.name })}</p>
        <ul className="card-list product-picker">
          {products.map((item) => (
            <li key={item.id}>
              <Link to={`?productId=${encodeURIComponent(item.id)}`} className="card-link">
                <span className="card-title">{localized(item.name, i18n.language)}</span>
                <span className="muted">
                  {t("intake.soldBy", { unitName: t(`quantity.soldBy.${item.unit}`) })} ·{" "}
                  <Money fen={item.priceFen} per={item.unit} />
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </>
    );
  }

  const fields: Partial<Record<Field, FieldProblem>> = result?.fields ?? {};
  const typed = result && "typed" in result ? result.typed : null;
  const submitting = navigation.state === "submitting";

  return (
    <>
      <BackLink to={base}>{villager.name}</BackLink>
      <h1>{t("intake.title")}</h1>
      <dl className="facts">
        <div className="fact">
          <dt>{t("intake.villager")}</dt>
          <dd className="fact-strong">{villager.name}</dd>
        </div>
        <div className="fact">
          <dt>{t("intake.product")}</dt>
          <dd className="fact-strong">
            {localized(product.name, i18n.language)}{" "}
            <Link to="?" className="inline-link">
              {t("intake.changeProduct")}
            </Link>
          </dd>
        </div>
      </dl>

      <FormAlert problem={result?.problem} id="intake-problem" />

      <Form
        method="post"
        encType="multipart/form-data"
        className="form intake-form"
        aria-describedby={result?.problem ? "intake-problem" : undefined}
      >
        <FormKey value={result?.idempotencyKey ?? idempotencyKey} />
        <input type="hidden" name="productId" value={product.id} />

        <QuantityField
          unit={product.unit}
          defaultValue={typed?.quantity ?? ""}
          defaultInputUnit={isInputUnit(typed?.inputUnit, product.unit) ? typed.inputUnit : undefined}
          error={Boolean(fields.quantity)}
          errorId="quantity-error"
        />
        <FieldError id="quantity-error" problem={fields.quantity} />

        <fieldset className="field">
          <legend className="field-label">{t("intake.grade")}</legend>
          <div className="segmented segmented-grid">
            {["", ...GRADES].map((grade) => (
              <label key={grade || "none"} className="segment">
                <input
                  type="radio"
                  name="grade"
                  value={grade}
                  defaultChecked={(typed?.grade ?? "") === grade}
                />
                <span>{grade ? t("intake.gradeN", { grade }) : t("intake.gradeNone")}</span>
              </label>
            ))}
          </div>
          <p className="field-hint">{t("intake.gradeHint")}</p>
          <FieldError id="grade-error" problem={fields.grade} />
        </fieldset>

        {product.perishable ? (
          <div className="field">
            <label htmlFor="bestBefore" className="field-label">
              {t("intake.bestBefore")}
            </label>
            <input
              id="bestBefore"
              name="bestBefore"
              type="date"
              required
              min={today}
              defaultValue={typed?.bestBefore ?? ""}
              aria-invalid={fields.bestBefore ? true : undefined}
              aria-describedby="bestBefore-hint bestBefore-error"
            />
            <p className="field-hint" id="bestBefore-hint">
              {t("intake.bestBeforeHint")}
            </p>
            <FieldError id="bestBefore-error" problem={fields.bestBefore} />
          </div>
        ) : null}

        <fieldset className="field qc">
          <legend className="field-label">{t("intake.qc")}</legend>
          <div className="segmented">
            <label className="segment segment-ok">
              <input type="radio" name="qc" value="pass" defaultChecked={typed?.passed !== false} />
              <span>{t("intake.qcPass")}</span>
            </label>
            <label className="segment segment-bad">
              <input type="radio" name="qc" value="fail" defaultChecked={typed?.passed === false} />
              <span>{t("intake.qcFail")}</span>
            </label>
          </div>
          <div className="qc-reason">
            <label htmlFor="qcReason" className="field-label">
              {t("intake.qcReason")}
            </label>
            <input
              id="qcReason"
              name="qcReason"
              type="text"
              maxLength={200}
              placeholder={t("intake.qcReasonPlaceholder")}
              defaultValue={typed?.qcReason ?? ""}
              aria-invalid={fields.qcReason ? true : undefined}
              aria-describedby="qcReason-error"
            />
            <FieldError id="qcReason-error" problem={fields.qcReason} />
            <p className="field-hint">{t("intake.qcFailHint")}</p>
          </div>
        </fieldset>

        <div className="field">
          <label htmlFor="photo" className="field-label">
            {t("intake.photo")}
          </label>
          <input
            id="photo"
            name="photo"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            capture="environment"
            aria-describedby="photo-hint photo-error"
          />
          <p className="field-hint" id="photo-hint">
            {t("intake.photoHint")}
          </p>
          <FieldError id="photo-error" problem={fields.photo} />
        </div>

        <button type="submit" className="button button-primary button-block button-big" disabled={submitting}>
          {submitting ? t("staffCommon.saving") : t("intake.submit")}
        </button>
      </Form>
    </>
  );
}
