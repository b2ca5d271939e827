import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { getT } from "../i18next.server";
import { pageMeta } from "../lib/meta";
import { requireStaff } from "../lib/session.server";
import { STAFF_TILES } from "../lib/staff-tiles";
import { useStaffTranslation } from "../staff-i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageMeta(matches, data?.title);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [{ user }, t] = await Promise.all([requireStaff(request, context), getT(request, "staff")]);
  return {
    title: t("staff.console.title"),
    user: { displayName: user.displayName, role: user.role },
    tiles: STAFF_TILES[user.role],
  };
}

export default function StaffConsole() {
  const { user, tiles } = useLoaderData<typeof loader>();
  const { t } = useStaffTranslation();
  const [searchParams] = useSearchParams();
  return (
    <>
      {searchParams.get("passwordChanged") ? (
        <p className="notice notice-info" role="status">
          {t("staff.password.done")}
        </p>
      ) : null}
      <section className="console-head" aria-labelledby="console-title">
        <p className="muted">{t("staff.console.title")}</p>
        <h1 id="console-title">{t("staff.console.greeting", { name: user.displayName })}</h1>
        <p className="role-badge">{t("staff.console.role", { role: t(`staff.roles.${user.role}`) })}</p>
      </section>

      <section aria-labelledby="tiles-title">
        <h2 id="tiles-title">{t("staff.console.tilesTitle")}</h2>
        <ul className="tiles">
          {tiles.map((tile) => (
            <li key={tile.key} className="tile-item">
              {tile.href ? (
                <Link to={tile.href} className="tile">
                  <span className="tile-title">{t(`staff.tiles.${tile.key}`)}</span>
                </Link>
              ) : (
                <div className="tile tile-soon" aria-disabled="true">
                  <span className="tile-title">{t(`staff.tiles.${tile.key}`)}</span>
                  <span className="badge">{t("staff.console.comingSoon")}</span>
                </div>
              )}
            </li>
          ))}
        </ul>
      </section>

      <p>
        <Link to="/staff/password" className="inline-link">
          {t("staff.password.link")}
        </Link>
      </p>
      <Form method="post" action="/staff/logout" className="logout">
        <button type="submit" className="button button-secondary button-block">
          {t("staff.console.logout")}
        </button>
      </Form>
    </>
  );
}
