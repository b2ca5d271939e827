import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BuyerOrderSummary } from "../components/buyer/BuyerOrderSummary";
import { ReorderButton } from "../components/buyer/ReorderButton";
import { getT } from "../i18next.server";
import { ApiError, ApiUnavailableError } from "../lib/api.server";
import type { OrderLookupData } from "../lib/buyer-api.server";
import { getApi } from "../lib/context.server";
import { newFormKey, text } from "../lib/forms.server";
import { pageMeta } from "../lib/meta";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);

export async function loader({ request }: LoaderFunctionArgs) {
  const t = await getT(request);
  return { title: t("buyer.lookup.title") };
}

type Problem = "badInput" | "notFound" | "tooMany" | "unavailable";

interface Answer {
  phone: string;
  problem: Problem | null;
  minutes?: number;
  found?: OrderLookupData["order"];
  reorderKey?: string;
}

const answer = (body: Answer, status = 200) => data(body, { status });

/** One order found by the phone it was placed with and its pickup code, on any device, without signing in. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const phone = text(form, "phone", 20).replace(/[\s-]/g, "");
  const code = text(form, "pickupCode", 12).replace(/\s/g, "");
  if (!/^1[3-9]\d{9}$/.test(phone) || !/^\d{6}$/.test(code)) {
    return answer({ phone, problem: "badInput" }, 400);
  }
  try {
    const result = await getApi(context, request).lookupOrder(phone, code);
    return answer({ phone, problem: null, found: result.order, reorderKey: newFormKey() });
  } catch (error) {
    if (error instanceof ApiUnavailableError) return answer({ phone, problem: "unavailable" }, 503);
    if (error instanceof ApiError && error.code === "NOT_FOUND") {
      return answer({ phone, problem: "notFound" }, 404);
    }
    if (error instanceof ApiError && error.code === "RATE_LIMITED") {
      const seconds = Number(error.details.retryAfterSeconds);
      const minutes = Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds / 60) : 60;
      return answer({ phone, problem: "tooMany", minutes }, 429);
    }
    if (error instanceof ApiError && error.code === "VALIDATION_FAILED") {
      return answer({ phone, problem: "badInput" }, 400);
    }
    throw error;
  }
}

export default function OrderLookup() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();

  if (result?.found) {
    return (
      <>
        <BuyerOrderSummary order={result.found} />
        <ReorderButton items={result.found.items} formKey={result.reorderKey ?? ""} />
        <p>
          <Link to="/orders">{t("buyer.backToOrders")}</Link>
        </p>
      </>
    );
  }

  return (
    <section className="narrow" aria-labelledby="lookup-title">
      <h1 id="lookup-title">{t("buyer.lookup.title")}</h1>
      <p className="lead">{t("buyer.lookup.intro")}</p>
      {result?.problem ? (
        <p className="alert" role="alert" id="lookup-problem">
          {t(`buyer.lookup.problems.${result.problem}`, { minutes: result.minutes ?? 60 })}
        </p>
      ) : null}
      <Form method="post" className="form" aria-describedby={result?.problem ? "lookup-problem" : undefined}>
        <div className="field">
          <label htmlFor="phone" className="field-label">
            {t("buyer.lookup.phoneLabel")}
          </label>
          <input
            id="phone"
            name="phone"
            type="tel"
            inputMode="numeric"
            autoComplete="tel"
            required
            maxLength={20}
            defaultValue={result?.phone ?? ""}
          />
        </div>
        <div className="field">
          <label htmlFor="pickupCode" className="field-label">
            {t("buyer.lookup.codeLabel")}
          </label>
          <input
            id="pickupCode"
            name="pickupCode"
            type="text"
            inputMode="numeric"
            autoComplete="off"
            pattern="[0-9 ]*"
            required
            maxLength={12}
          />
        </div>
        <button
          type="submit"
          className="button button-primary button-block button-big"
          disabled={navigation.state !== "idle"}
        >
          {t("buyer.lookup.submit")}
        </button>
      </Form>
      <p>
        <Link to="/account/sign-in">{t("buyer.signInPrompt.action")}</Link>
      </p>
    </section>
  );
}
