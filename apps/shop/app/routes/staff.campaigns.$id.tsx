import { RecordPledge } from "@coop/shared/contract";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Money } from "../components/Money";
import { BackLink, FormAlert, FormKey } from "../components/staff/FormBits";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { SelectField, StaffForm, SubmitButton, TextField, useStaffForm } from "../components/staff/StaffForm";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { formatDate, formatDateTime } from "../lib/dates";
import { pageMeta } from "../lib/meta";
import { agentPoint, apiProblem, formKey, newFormKey, requireRole, staffFailure } from "../lib/staff.server";
import { apiErrorToReply, parseStaffForm, staffReply } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

/**
 * One harvest campaign for staff: its figures and the pledges (an agent: their own point's villagers). The
 * agent records or changes a villager's pledge here; the admin allocates what has reached the warehouse or
 * finishes the campaign (the background sweep does both by itself too).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["agent", "admin"]);
  const api = getApi(context, request);
  const id = params.id ?? "";
  const [t, campaign, pledges, roster] = await Promise.all([
    getT(request, "staff"),
    api.getCampaign(id),
    api.campaignPledges(token, id),
    // The point's villagers to choose from (the first 200, by name: a village point has fewer).
    user.role === "agent" ? api.consignorRoster(token, { servicePointId: agentPoint(user) }) : null,
  ]).catch(staffFailure(request));
  return {
    title: `${t("campaigns.title")} · ${localized(campaign.title, "zh")}`,
    role: user.role,
    campaign,
    pledges: pledges.items,
    villagers: (roster?.items ?? []).map((v) => ({ id: v.id, name: v.name, phone: v.phone })),
    idempotencyKey: newFormKey(),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, token } = await requireRole(request, context, ["agent", "admin"]);
  const api = getApi(context, request);
  const id = params.id ?? "";
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "allocate" || intent === "finish") {
    if (user.role !== "admin") throw data(null, { status: 403 });
    try {
      const run = await api.runCampaign(token, id, intent, formKey(form));
      return data({ ok: true as const, notice: intent, run, problem: null, idempotencyKey: newFormKey() });
    } catch (error) {
      return apiProblem(error);
    }
  }
  const submission = parseStaffForm(form, RecordPledge, { units: "quantity" });
  if (submission.status !== "success") return staffReply(submission);
  try {
    await api.recordPledge(token, id, submission.value, formKey(form));
  } catch (error) {
    return staffReply(submission, apiErrorToReply(error, ["consignorId", "units"]));
  }
  return data({
    ok: true as const,
    notice: "pledged" as const,
    run: null,
    problem: null,
    idempotencyKey: newFormKey(),
  });
}

export default function StaffCampaign() {
  const { role, campaign: c, pledges, villagers, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useStaffTranslation();
  const lang = i18n.language;
  const unit = localized(c.saleUnit.label, lang);
  const [form, fields] = useStaffForm<"consignorId" | "units">(result);
  const notice = result && "notice" in result ? result.notice : null;
  const run = result && "run" in result ? result.run : null;
  const key = (result && "idempotencyKey" in result ? result.idempotencyKey : null) ?? idempotencyKey;
  const open = c.state === "upcoming" || c.state === "open";
  return (
    <>
      <BackLink to="/staff/campaigns">{t("campaigns.title")}</BackLink>
      <h1>{localized(c.title, lang)}</h1>
      <p>
        <span className="badge">{t(`campaigns.state.${c.state}`)}</span> {localized(c.product.name, lang)} ·{" "}
        <Money fen={c.priceFen} /> / {unit}
      </p>
      <dl className="campaign-facts">
        <dt>{t("campaigns.pledgedTitle")}</dt>
        <dd data-testid="campaign-pledged">
          {c.pledgedUnits} {unit}
          {t("campaigns.cap", { cap: c.capUnits, unit })}
        </dd>
        <dt>{t("campaigns.reservedTitle")}</dt>
        <dd>
          {c.reservedUnits} {unit}
        </dd>
        <dt>{t("campaigns.allocatedTitle")}</dt>
        <dd>
          {c.allocatedUnits} {unit}
          {c.shortfallUnits === null
            ? null
            : ` · ${t("campaigns.shortfall", { units: c.shortfallUnits, unit })}`}
        </dd>
        <dt>{t("campaigns.closesTitle")}</dt>
        <dd>{formatDateTime(c.closesAt, lang)}</dd>
        <dt>{t("campaigns.harvestTitle")}</dt>
        <dd>
          {t("campaigns.harvest", {
            from: formatDate(c.harvestFrom, lang),
            to: formatDate(c.harvestTo, lang),
          })}
        </dd>
      </dl>

      <FormAlert problem={result?.problem} />
      {notice ? (
        <p className="notice notice-info" role="status">
          {notice === "pledged"
            ? t("campaigns.pledgedNotice")
            : t(notice === "allocate" ? "campaigns.allocateNotice" : "campaigns.finishNotice", {
                orders: run?.allocatedOrders ?? 0,
                short: run?.shortOrders ?? 0,
              })}
        </p>
      ) : null}

      <section aria-labelledby="pledges-title">
        <h2 id="pledges-title">{t("campaigns.pledgesTitle")}</h2>
        {pledges.length === 0 ? (
          <p className="muted">{t("campaigns.noPledges")}</p>
        ) : (
          <ul className="card-list" data-testid="pledges">
            {pledges.map((p) => (
              <li key={p.id} className="card">
                <strong>{p.consignor.name}</strong>{" "}
                {t("campaigns.pledgeLine", { units: p.units, delivered: p.deliveredUnits, unit })}
                {role === "agent" && c.state !== "finished" ? (
                  <p>
                    <Link
                      className="button button-secondary button-block"
                      to={`/staff/intake?${new URLSearchParams({
                        villager: p.consignor.id,
                        pledge: p.id,
                        product: c.product.id,
                      })}`}
                    >
                      {t("campaigns.takeIn")}
                    </Link>
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      {role === "agent" && open ? (
        <section aria-labelledby="pledge-title">
          <h2 id="pledge-title">{t("campaigns.pledgeTitle")}</h2>
          <p className="muted">{t("campaigns.pledgeHint")}</p>
          <StaffForm form={form} idempotencyKey={key}>
            <SelectField
              field={fields.consignorId}
              label={t("campaigns.villager")}
              required
              options={[
                { value: "", label: t("staffCommon.choose") },
                ...villagers.map((v) => ({ value: v.id, label: `${v.name} · ${v.phone.slice(-4)}` })),
              ]}
            />
            <TextField
              field={fields.units}
              label={t("campaigns.units", { unit })}
              inputMode="numeric"
              required
              autoComplete="off"
            />
            <SubmitButton>{t("campaigns.pledgeSubmit")}</SubmitButton>
          </StaffForm>
        </section>
      ) : null}

      {role === "admin" && c.state !== "finished" ? (
        <section aria-labelledby="run-title">
          <h2 id="run-title">{t("campaigns.runTitle")}</h2>
          <p className="muted">{t("campaigns.runHint")}</p>
          <Form method="post" className="form">
            <FormKey value={key} />
            <input type="hidden" name="intent" value="allocate" />
            <SubmitButton className="button button-secondary button-block">
              {t("campaigns.allocate")}
            </SubmitButton>
          </Form>
          {open ? null : (
            <Form method="post" className="form">
              <FormKey value={key} />
              <input type="hidden" name="intent" value="finish" />
              <SubmitButton className="button button-secondary button-block">
                {t("campaigns.finish")}
              </SubmitButton>
            </Form>
          )}
        </section>
      ) : null}
    </>
  );
}
