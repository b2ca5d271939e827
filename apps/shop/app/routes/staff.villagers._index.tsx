import { truncateText } from "@coop/shared";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Money } from "../components/Money";
import { BackLink } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatPhone, looksLikePhone } from "../lib/format";
import { pageMeta } from "../lib/meta";
import { requireRole, staffFailure } from "../lib/staff.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

/** What the agent came to do with the villager they look for; the result links straight there. */
const NEXT_STEPS = ["intake", "statement", "payout", "order"] as const;
type NextStep = (typeof NEXT_STEPS)[number];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["agent", "admin"]);
  const url = new URL(request.url);
  const q = truncateText((url.searchParams.get("q") ?? "").trim(), 40);
  const forParam = url.searchParams.get("for");
  const next = (NEXT_STEPS as readonly string[]).includes(forParam ?? "") ? (forParam as NextStep) : null;
  const t = await getT(request, "staff");
  const result = q
    ? await getApi(context, request)
        .searchConsignors(token, { q, servicePointId: user.servicePointId ?? undefined })
        .catch(staffFailure(request))
    : null;
  return { title: t("villagers.title"), q, next, result, isPhone: looksLikePhone(q) };
}

export default function FindVillager() {
  const { q, next, result, isPhone } = useLoaderData<typeof loader>();
  const { t, i18n } = useStaffTranslation();
  const target = (id: string) => `/staff/villagers/${encodeURIComponent(id)}${next ? `/${next}` : ""}`;
  const registerHref = `/staff/villagers/new?${new URLSearchParams(isPhone ? { phone: q } : q ? { name: q } : {})}`;

  return (
    <>
      <BackLink to="/staff">{t("staffCommon.backToConsole")}</BackLink>
      <h1>{t("villagers.title")}</h1>
      {next ? <p className="notice notice-info">{t(`villagers.nextHint.${next}`)}</p> : null}

      <Form method="get" className="search" role="search">
        {next ? <input type="hidden" name="for" value={next} /> : null}
        <label htmlFor="q" className="field-label">
          {t("villagers.searchLabel")}
        </label>
        <div className="search-row">
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={q}
            key={q}
            placeholder={t("villagers.searchPlaceholder")}
            maxLength={40}
            enterKeyHint="search"
            autoComplete="off"
            required
          />
          <button type="submit" className="button button-primary">
            {t("villagers.searchButton")}
          </button>
        </div>
      </Form>

      {result ? (
        <section aria-labelledby="results-title">
          <h2 id="results-title">{t("villagers.resultsFor", { q })}</h2>
          {result.items.length === 0 && result.elsewhere.length === 0 ? (
            <p className="notice">{t("villagers.noneFound")}</p>
          ) : null}
          <ul className="card-list">
            {result.items.map((villager) => (
              <li key={villager.id}>
                <Link to={target(villager.id)} className="card-link">
                  <span className="card-title">{villager.name}</span>
                  <span>
                    {formatPhone(villager.phone)}
                    {villager.village ? ` · ${villager.village}` : ""}
                  </span>
                  <span className="muted">
                    {t("villagers.balance")} <Money fen={villager.balanceFen} />
                  </span>
                </Link>
              </li>
            ))}
          </ul>
          {result.elsewhere.map((other) => (
            <p key={other.id} className="notice" data-testid="registered-elsewhere">
              {t("villagers.registeredElsewhere", {
                name: other.name,
                point: localized(other.servicePointName, i18n.language),
              })}
            </p>
          ))}
        </section>
      ) : null}

      {result === null || result.elsewhere.length === 0 ? (
        <p>
          <Link to={registerHref} className="button button-secondary button-block">
            {t("villagers.registerNew")}
          </Link>
        </p>
      ) : null}
    </>
  );
}
