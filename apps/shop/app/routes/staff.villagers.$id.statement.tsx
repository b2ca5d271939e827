import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Money } from "../components/Money";
import { BackLink } from "../components/staff/FormBits";
import { PrintButton } from "../components/staff/PrintButton";
import { StaffErrorBoundary } from "../components/staff/StaffErrorBoundary";
import { localized } from "../i18n";
import { getT } from "../i18next.server";
import { getApi } from "../lib/context.server";
import { coopName } from "../lib/coop-name.server";
import { chinaMonth, formatDate, formatDateTime, monthRange, shiftMonth } from "../lib/dates";
import { formatPhone } from "../lib/format";
import { pageMeta } from "../lib/meta";
import { requireRole, staffFailure } from "../lib/staff.server";
import { statementLineText } from "../lib/statement";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);
export const ErrorBoundary = StaffErrorBoundary;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { token } = await requireRole(request, context, ["agent", "admin"]);
  const url = new URL(request.url);
  const thisMonth = chinaMonth();
  const asked = url.searchParams.get("month") ?? "";
  // This month unless another valid month is asked for.
  const month = monthRange(asked) ? asked : thisMonth;
  const range = monthRange(month)!;
  const api = getApi(context, request);
  const id = params.id ?? "";
  const fail = staffFailure(request);
  const [t, villager, statement, coop] = await Promise.all([
    getT(request, "staff"),
    api.getConsignor(token, id).catch(fail),
    api.getStatement(token, id, range).catch(fail),
    coopName(api, token),
  ]);
  return {
    title: t("statement.title", { name: villager.name }),
    villager: { id: villager.id, name: villager.name, phone: villager.phone, village: villager.village },
    statement,
    month,
    thisMonth,
    printedAt: new Date().toISOString(),
    coop,
  };
}

const Signed = ({ fen }: { fen: number }) => (
  <>
    {fen > 0 ? "+" : ""}
    <Money fen={fen} />
  </>
);

export default function StatementPage() {
  const { villager, statement, month, thisMonth, printedAt, coop } = useLoaderData<typeof loader>();
  const { t, i18n } = useStaffTranslation();
  const base = `/staff/villagers/${encodeURIComponent(villager.id)}`;
  const [year, monthNumber] = month.split("-").map(Number);

  return (
    <>
      <BackLink to={base}>{villager.name}</BackLink>
      <Form method="get" className="period no-print" aria-label={t("statement.period")}>
        <label htmlFor="month" className="field-label">
          {t("statement.period")}
        </label>
        <div className="search-row">
          <input id="month" name="month" type="month" defaultValue={month} max={thisMonth} key={month} />
          <button type="submit" className="button button-primary">
            {t("statement.show")}
          </button>
        </div>
        <div className="period-links">
          <Link to={`?month=${shiftMonth(month, -1)}`} className="chip">
            ← {t("statement.previousMonth")}
          </Link>
          {month < thisMonth ? (
            <Link to={`?month=${shiftMonth(month, 1)}`} className="chip">
              {t("statement.nextMonth")} →
            </Link>
          ) : null}
        </div>
      </Form>

      <article className="sheet statement" aria-labelledby="statement-title">
        <header className="sheet-head">
          <p className="slip-coop">{coop ? localized(coop, i18n.language) : t("app.name")}</p>
          <h1 id="statement-title">{t("statement.heading")}</h1>
          <p className="sheet-sub">
            {villager.name} · {formatPhone(villager.phone)}
            {villager.village ? ` · ${villager.village}` : ""}
          </p>
          <p className="sheet-sub">{t("statement.monthLabel", { year, month: monthNumber })}</p>
        </header>

        <p className="statement-total">
          <span>{t("statement.opening")}</span> <Money fen={statement.openingFen} />
        </p>

        {statement.lines.length === 0 ? (
          <p className="muted">{t("statement.empty")}</p>
        ) : (
          <ol className="statement-lines">
            {statement.lines.map((line, index) => {
              const text = statementLineText(line, t, i18n.language);
              return (
                <li
                  key={`${line.at}-${index}`}
                  className={`statement-line statement-line-${line.kind}`}
                  data-kind={line.kind}
                >
                  <div className="statement-line-head">
                    <span className="statement-date">{formatDate(line.at, i18n.language)}</span>
                    <span className="statement-kind">{text.kind}</span>
                  </div>
                  {text.goods ? <p className="statement-goods">{text.goods}</p> : null}
                  {line.grossFen !== undefined && line.commissionFen !== undefined ? (
                    <p className="statement-detail">
                      {t("statement.saleDetail.sold")} <Money fen={line.grossFen} />
                      {t("statement.saleDetail.separator")}
                      {t("statement.saleDetail.commission")} <Money fen={line.commissionFen} />
                    </p>
                  ) : null}
                  {text.note ? <p className="statement-detail">{text.note}</p> : null}
                  <div className="statement-money">
                    <span>
                      <span className="statement-money-label">{t("statement.amount")}</span>{" "}
                      {line.amountFen === 0 ? "—" : <Signed fen={line.amountFen} />}
                    </span>
                    <span>
                      <span className="statement-money-label">{t("statement.balance")}</span>{" "}
                      <Money fen={line.balanceFen} />
                    </span>
                  </div>
                </li>
              );
            })}
          </ol>
        )}

        <p className="statement-total statement-closing">
          <span>{t("statement.closing")}</span> <Money fen={statement.closingFen} />
        </p>
        <p className="slip-small">
          {t("statement.printedAt", { at: formatDateTime(printedAt, i18n.language) })}
        </p>
      </article>

      <div className="slip-actions no-print">
        <PrintButton />
        <Link to={`${base}/payout`} className="button button-secondary button-block">
          {t("villager.payout")}
        </Link>
      </div>
    </>
  );
}
