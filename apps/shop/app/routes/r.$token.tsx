import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import styles from "../components/rating/rating.css?url";
import { getT } from "../i18next.server";
import { ApiError, ApiUnavailableError } from "../lib/api.server";
import { getApi } from "../lib/context.server";
import { formatDate } from "../lib/dates";
import { text } from "../lib/forms.server";
import { pageMeta } from "../lib/meta";
import type { RatingRequestView } from "../lib/ratings-api.server";

/**
 * The page of a rating link (decision 0046), opened from the SMS on the person's own phone — never from the
 * staff console. No login: the signed token is the only key. Five big buttons, each a plain form submit, so
 * it works without JavaScript; an optional comment above them. A used, expired or wrong link says so plainly.
 */
const PRIVATE_HEADERS = { "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow" };
const LEVELS = ["5", "4", "3", "2", "1"] as const;
const COMMENT_MAX = 500;

type Closed = "used" | "expired" | "invalid";
type Problem = "tooMany" | "badInput" | "unavailable";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const headers: HeadersFunction = () => PRIVATE_HEADERS;
export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  ...pageMeta(matches, data?.title),
  { name: "robots", content: "noindex, nofollow" },
  { name: "referrer", content: "no-referrer" },
];

/** The state an API refusal of the link stands for, or null for anything else. */
function closedBy(error: unknown): Closed | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === "RATING_ALREADY_GIVEN") return "used";
  if (error.code === "RATING_LINK_EXPIRED") return "expired";
  if (error.code === "RATING_LINK_INVALID" || error.status === 404) return "invalid";
  return null;
}

const STATUS: Record<Closed, number> = { used: 410, expired: 410, invalid: 404 };

type LoaderData = { title: string } & ({ state: "open"; request: RatingRequestView } | { state: Closed });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const t = await getT(request);
  const title = t("rating.title");
  try {
    const view = await getApi(context, request).ratingRequest(params.token ?? "");
    return data<LoaderData>({ title, state: "open", request: view }, { headers: PRIVATE_HEADERS });
  } catch (error) {
    if (error instanceof ApiUnavailableError) throw data(null, { status: 503, headers: PRIVATE_HEADERS });
    const closed = closedBy(error);
    // A token the API's validator refuses (too long) is as wrong as an altered one.
    const state = closed ?? (error instanceof ApiError && error.status === 400 ? "invalid" : null);
    if (!state) throw error;
    return data<LoaderData>({ title, state }, { status: STATUS[state], headers: PRIVATE_HEADERS });
  }
}

type ActionData =
  | { state: "thanks"; followUp: boolean }
  | { state: Closed }
  | { state: "problem"; problem: Problem; minutes?: number; comment: string };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const level = Number(text(form, "level", 2));
  const comment = text(form, "comment", COMMENT_MAX + 100).trim();
  const problem = (p: Problem, status: number, minutes?: number) =>
    data<ActionData>({ state: "problem", problem: p, comment, ...(minutes ? { minutes } : {}) }, { status });
  if (!Number.isInteger(level) || level < 1 || level > 5 || comment.length > COMMENT_MAX) {
    return problem("badInput", 400);
  }
  try {
    const given = await getApi(context, request).giveRating(params.token ?? "", {
      level,
      ...(comment ? { comment } : {}),
    });
    return data<ActionData>({ state: "thanks", followUp: given.followUp }, { status: 201 });
  } catch (error) {
    if (error instanceof ApiUnavailableError) return problem("unavailable", 503);
    const closed = closedBy(error);
    if (closed) return data<ActionData>({ state: closed }, { status: STATUS[closed] });
    if (error instanceof ApiError && error.code === "RATE_LIMITED") {
      const seconds = Number(error.details.retryAfterSeconds);
      return problem("tooMany", 429, Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds / 60) : 10);
    }
    if (error instanceof ApiError && error.code === "VALIDATION_FAILED") return problem("badInput", 400);
    throw error;
  }
}

export default function RatingPage() {
  const loaded = useLoaderData<typeof loader>();
  const answered = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();

  const state = answered && answered.state !== "problem" ? answered.state : loaded.state;
  if (state === "thanks") {
    const followUp = answered?.state === "thanks" && answered.followUp;
    return (
      <section className="rating-page" aria-labelledby="rating-title" data-state="thanks">
        <h1 id="rating-title">{t("rating.thanksTitle")}</h1>
        <p className="rating-done" role="status">
          {t("rating.thanksText")}
        </p>
        {followUp ? <p>{t("rating.followUpText")}</p> : null}
      </section>
    );
  }
  if (state !== "open" || loaded.state !== "open") {
    const closed = (state === "open" ? "invalid" : state) as Closed;
    return (
      <section className="rating-page" aria-labelledby="rating-title" data-state={closed}>
        <h1 id="rating-title">{t(`rating.${closed}Title`)}</h1>
        <p className="lead">{t(`rating.${closed}Text`)}</p>
      </section>
    );
  }

  const { request } = loaded;
  const problem = answered?.state === "problem" ? answered : null;
  return (
    <section className="rating-page" aria-labelledby="rating-title" data-state="open">
      <h1 id="rating-title">{t("rating.title")}</h1>
      <p className="rating-what">
        {t(`rating.kind.${request.kind}`, {
          point: request.servicePoint[i18n.language === "en" ? "en" : "zh"],
        })}
      </p>
      <p className="rating-day">{t("rating.when", { day: formatDate(request.eventDay, i18n.language) })}</p>
      {problem ? (
        <p className="alert" role="alert" id="rating-problem">
          {t(`rating.${problem.problem}`, { minutes: problem.minutes ?? 10 })}
        </p>
      ) : null}
      <Form method="post" aria-describedby={problem ? "rating-problem" : undefined}>
        <div className="field rating-comment">
          <label htmlFor="comment" className="field-label">
            {t("rating.commentLabel")}
          </label>
          <textarea
            id="comment"
            name="comment"
            rows={3}
            maxLength={COMMENT_MAX}
            defaultValue={problem?.comment ?? ""}
            aria-describedby="comment-hint"
          />
          <p className="field-hint" id="comment-hint">
            {t("rating.commentHint")}
          </p>
        </div>
        <fieldset className="rating-levels">
          <legend className="rating-question">{t("rating.question")}</legend>
          {LEVELS.map((level) => (
            <button
              key={level}
              type="submit"
              name="level"
              value={level}
              data-level={level}
              className="button rating-level"
              disabled={navigation.state !== "idle"}
            >
              {t(`rating.levels.${level}`)}
            </button>
          ))}
        </fieldset>
        <p className="field-hint">{t("rating.submitHint")}</p>
      </Form>
      <p className="rating-privacy">{t("rating.privacy")}</p>
    </section>
  );
}
