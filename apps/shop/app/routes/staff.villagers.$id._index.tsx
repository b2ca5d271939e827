import { UpdateConsignor } from "@coop/shared/contract";
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Money } from "../components/Money";
import { Quantity } from "../components/Quantity";
import { BackLink, Fact, FormAlert } from "../components/staff/FormBits";
import { LotStatus } from "../components/staff/LotStatus";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import {
  CheckboxField,
  StaffForm,
  SubmitButton,
  TextField,
  useStaffForm,
} from "../components/staff/StaffForm";
import { localized } from "../i18n";
import { getApi } from "../lib/context.server";
import { formatDate } from "../lib/dates";
import { formatPhone } from "../lib/format";
import { pageMeta } from "../lib/meta";
import { requireRole, staffFailure } from "../lib/staff.server";
import { apiErrorToReply, checkbox, parseStaffForm, staffReply } from "../lib/staff-form.server";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { token, user } = await requireRole(request, context, ["agent", "admin"]);
  const id = params.id ?? "";
  const api = getApi(context, request);
  const [villager, lots] = await Promise.all([
    api.getConsignor(token, id).catch(staffFailure(request)),
    // The latest lots are a convenience: the page stands without them.
    api
      .listLots(token, { consignorId: id })
      .then((page) => page.items.slice(0, 10))
      .catch(() => null),
  ]);
  // Intake is the agent's, on the point's own phone (decision 0022); an admin sees the rest of the page.
  return { title: villager.name, villager, lots, canTakeIn: user.role === "agent" };
}

/** The edit box: the name stays required, an emptied village clears it (null), consent unticked withdraws it. */
const EditForm = UpdateConsignor.extend({
  name: UpdateConsignor.shape.name.unwrap(),
  village: UpdateConsignor.shape.village.transform((village) => village ?? null),
  showOnProductPages: checkbox,
});

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { token } = await requireRole(request, context, ["agent", "admin"]);
  const submission = parseStaffForm(await request.formData(), EditForm);
  if (submission.status !== "success") return staffReply(submission);
  try {
    await getApi(context, request).updateConsignor(token, params.id ?? "", submission.value);
    return data({ ok: true as const, problem: null });
  } catch (error) {
    return staffReply(submission, apiErrorToReply(error));
  }
}

export default function VillagerPage() {
  const { villager, lots, canTakeIn } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t, i18n } = useStaffTranslation();
  const base = `/staff/villagers/${encodeURIComponent(villager.id)}`;
  const [form, fields] = useStaffForm(result, {
    defaultValue: {
      name: villager.name,
      village: villager.village ?? "",
      showOnProductPages: villager.showOnProductPages ? "on" : undefined,
    },
  });

  return (
    <>
      <BackLink to="/staff/villagers">{t("villagers.title")}</BackLink>
      {searchParams.get("registered") ? (
        <p className="notice notice-info" role="status">
          {t("villager.registered")}
        </p>
      ) : null}
      <h1>{villager.name}</h1>
      <p className="balance">
        <span>{t("villager.balance")}</span> <Money fen={villager.balanceFen} />
      </p>

      <nav className="action-grid" aria-label={t("villager.actions")}>
        {canTakeIn ? (
          <Link to={`${base}/intake`} className="button button-primary">
            {t("villager.intake")}
          </Link>
        ) : null}
        <Link to={`${base}/statement`} className="button button-secondary">
          {t("villager.statement")}
        </Link>
        <Link to={`${base}/payout`} className="button button-secondary">
          {t("villager.payout")}
        </Link>
        <Link to={`${base}/order`} className="button button-secondary">
          {t("villager.order")}
        </Link>
      </nav>

      <dl className="facts">
        <Fact label={t("register.phone")}>{formatPhone(villager.phone)}</Fact>
        <Fact label={t("register.village")}>{villager.village ?? "—"}</Fact>
        <Fact label={t("villager.consent")}>
          {villager.showOnProductPages ? t("staffCommon.yes") : t("staffCommon.no")}
        </Fact>
        <Fact label={t("villager.since")}>{formatDate(villager.createdAt, i18n.language)}</Fact>
      </dl>

      <section aria-labelledby="lots-title">
        <h2 id="lots-title">{t("villager.recentLots")}</h2>
        {lots === null ? (
          <p className="muted">{t("villager.lotsUnavailable")}</p>
        ) : lots.length === 0 ? (
          <p className="muted">{t("villager.noLots")}</p>
        ) : (
          <ul className="card-list">
            {lots.map((lot) => (
              <li key={lot.id}>
                <Link to={`/staff/lots/${encodeURIComponent(lot.id)}/receipt`} className="card-link">
                  <span className="card-title">{localized(lot.productName, i18n.language)}</span>
                  <span>
                    <Quantity quantity={lot.quantityReceived} unit={lot.unit} /> ·{" "}
                    <LotStatus status={lot.status} />
                  </span>
                  <span className="muted">
                    {lot.lotNo} · {formatDate(lot.createdAt, i18n.language)}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <details className="edit-box">
        <summary>{t("villager.edit")}</summary>
        <FormAlert problem={result?.problem} />
        {result?.ok ? (
          <p className="notice notice-info" role="status">
            {t("staffCommon.saved")}
          </p>
        ) : null}
        <StaffForm form={form}>
          <TextField field={fields.name} label={t("register.name")} required maxLength={40} />
          <TextField field={fields.village} label={t("register.village")} maxLength={60} />
          <CheckboxField
            field={fields.showOnProductPages}
            label={<span>{t("register.consent")}</span>}
            className="field"
          />
          <SubmitButton className="button button-secondary button-block">
            {t("staffCommon.save")}
          </SubmitButton>
        </StaffForm>
      </details>
    </>
  );
}
