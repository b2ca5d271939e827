import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getT } from "../i18next.server";
import { ApiError, ApiUnavailableError } from "../lib/api.server";
import { readBuyer, saveBuyer } from "../lib/buyer-session.server";
import { getApi } from "../lib/context.server";
import { formatPhone } from "../lib/format";
import { text } from "../lib/forms.server";
import { pageMeta } from "../lib/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);

export async function loader({ request }: LoaderFunctionArgs) {
  // Already signed in: straight to the orders.
  if (await readBuyer(request)) throw redirect("/orders");
  const t = await getT(request);
  return { title: t("buyer.signIn.title") };
}

const PHONE = /^1[3-9]\d{9}$/;
const CODE = /^\d{6}$/;

/** Which message the page shows; the words are in the catalogs (buyer.signIn.problems.*). */
type Problem = "badPhone" | "badCode" | "wrongCode" | "codeDead" | "waitPhone" | "tooMany" | "unavailable";

interface Answer {
  step: "phone" | "code";
  phone: string;
  problem: Problem | null;
  attemptsLeft?: number;
  minutes?: number;
}

const answer = (body: Answer, status = 200) => data(body, { status });

/** Minutes to wait, from a 429's details (the API sends Retry-After and the same figure in details). */
function waitMinutes(error: ApiError): number {
  const seconds = Number(error.details.retryAfterSeconds);
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds / 60) : 1;
}

/**
 * Two steps on one page: the phone (the API texts a code; it answers the same for every phone), then the
 * code (a buyer session in its own cookie, and on to the orders).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const phone = text(form, "phone", 20).replace(/[\s-]/g, "");
  const api = getApi(context, request);
  const step = form.get("intent") === "verify" ? "code" : "phone";
  if (!PHONE.test(phone)) return answer({ step: "phone", phone, problem: "badPhone" }, 400);

  try {
    if (step === "phone") {
      await api.requestBuyerCode(phone);
      return answer({ step: "code", phone, problem: null });
    }
    const code = text(form, "code", 12).replace(/\s/g, "");
    if (!CODE.test(code)) return answer({ step: "code", phone, problem: "badCode" }, 400);
    const session = await api.signInBuyer(phone, code);
    return redirect("/orders", {
      headers: {
        "Set-Cookie": await saveBuyer({ token: session.token, phone }, new Date(session.expiresAt)),
      },
    });
  } catch (error) {
    if (error instanceof ApiUnavailableError) return answer({ step, phone, problem: "unavailable" }, 503);
    if (!(error instanceof ApiError)) throw error;
    if (error.code === "RATE_LIMITED") {
      // Asking again too soon: the code already sent still works, so stay on (or go to) the code step.
      const problem = step === "phone" ? "waitPhone" : "tooMany";
      return answer({ step: "code", phone, problem, minutes: waitMinutes(error) }, 429);
    }
    if (error.code === "INVALID_CREDENTIALS") {
      const attemptsLeft = Number(error.details.attemptsLeft ?? 0);
      const problem = error.details.reason === "wrong" && attemptsLeft > 0 ? "wrongCode" : "codeDead";
      return answer({ step: "code", phone, problem, attemptsLeft }, 401);
    }
    if (error.code === "VALIDATION_FAILED") {
      return answer({ step, phone, problem: step === "phone" ? "badPhone" : "badCode" }, 400);
    }
    throw error;
  }
}

export default function BuyerSignIn() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const busy = navigation.state !== "idle";
  const step = result?.step ?? "phone";
  const phone = result?.phone ?? "";

  const problem = result?.problem ? (
    <p className="alert" role="alert" id="sign-in-problem">
      {t(`buyer.signIn.problems.${result.problem}`, {
        count: result.attemptsLeft ?? 0,
        minutes: result.minutes ?? 1,
      })}
    </p>
  ) : null;

  return (
    <section className="narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t("buyer.signIn.title")}</h1>
      <p className="lead">{t("buyer.signIn.intro")}</p>
      {problem}

      {step === "phone" ? (
        <Form method="post" className="form" aria-describedby={problem ? "sign-in-problem" : undefined}>
          <input type="hidden" name="intent" value="send" />
          <div className="field">
            <label htmlFor="phone" className="field-label">
              {t("buyer.signIn.phoneLabel")}
            </label>
            <input
              id="phone"
              name="phone"
              type="tel"
              inputMode="numeric"
              autoComplete="tel"
              required
              maxLength={20}
              defaultValue={phone}
            />
          </div>
          <button type="submit" className="button button-primary button-block button-big" disabled={busy}>
            {t("buyer.signIn.sendCode")}
          </button>
        </Form>
      ) : (
        <>
          <p className="notice notice-info" role="status">
            {t("buyer.signIn.codeSent", { phone: formatPhone(phone) })}
          </p>
          <Form method="post" className="form" aria-describedby={problem ? "sign-in-problem" : undefined}>
            <input type="hidden" name="intent" value="verify" />
            <input type="hidden" name="phone" value={phone} />
            <div className="field">
              <label htmlFor="code" className="field-label">
                {t("buyer.signIn.codeLabel")}
              </label>
              <input
                id="code"
                name="code"
                type="text"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9 ]*"
                required
                maxLength={12}
                // biome-ignore lint/a11y/noAutofocus: the one field of this step, reached by the buyer's own tap
                autoFocus
              />
            </div>
            <button type="submit" className="button button-primary button-block button-big" disabled={busy}>
              {t("buyer.signIn.submit")}
            </button>
          </Form>
          <Form method="post" className="form">
            <input type="hidden" name="intent" value="send" />
            <input type="hidden" name="phone" value={phone} />
            <button type="submit" className="button button-block" disabled={busy}>
              {t("buyer.signIn.sendAgain")}
            </button>
          </Form>
        </>
      )}

      <p>
        <Link to="/orders/lookup">{t("buyer.lookup.link")}</Link>
      </p>
      <p className="muted">{t("buyer.signIn.privacy")}</p>
    </section>
  );
}
