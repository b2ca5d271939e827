import { useStaffTranslation } from "../../staff-i18n";
import type { QueueState } from "./useIntakeQueue";

/** On every intake screen: how many entries wait, and what the agent has to do about any of them. */
export function QueueBanner({
  queue,
  onOpenQueue,
  loginHref,
}: {
  queue: QueueState;
  onOpenQueue: () => void;
  loginHref: string;
}) {
  const { t } = useStaffTranslation();
  const { waiting, refused, needsLogin, online, commands } = queue;
  return (
    <div className="offline-banner" data-testid="queue-banner" data-waiting={waiting}>
      {!online ? <p className="offline-banner-line">{t("offline.banner.offline")}</p> : null}
      <p className="offline-banner-count" role="status">
        {waiting > 0
          ? t("offline.banner.waiting", { count: waiting })
          : commands.length > 0
            ? t("offline.banner.allSent")
            : t("offline.banner.nothing")}
      </p>
      {needsLogin ? (
        <p className="offline-banner-alert">
          {t("offline.banner.needsLogin")}{" "}
          <a href={loginHref} className="inline-link">
            {t("offline.banner.login")}
          </a>
        </p>
      ) : null}
      {refused > 0 ? (
        <p className="offline-banner-alert">{t("offline.banner.refused", { count: refused })}</p>
      ) : null}
      <button type="button" className="button button-secondary offline-banner-button" onClick={onOpenQueue}>
        {t("offline.banner.openQueue")}
      </button>
    </div>
  );
}
