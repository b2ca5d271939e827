import type { Command } from "../../lib/offline/db";
import { useStaffTranslation } from "../../staff-i18n";

/** Refusals the agent can act on, said in plain words; any other keeps the API's own message. */
const REASONS = {
  ALREADY_EXISTS: "alreadyExists",
  DEVICE_NOT_VALID: "deviceNotValid",
  LOT_NUMBER_TAKEN: "lotNumberTaken",
  VALIDATION_FAILED: "validation",
  FORBIDDEN: "forbidden",
  NOT_FOUND: "notFound",
  IDEMPOTENCY_KEY_REUSED: "keyReused",
} as const;

export function useRefusalReason() {
  const { t } = useStaffTranslation();
  return (command: Command): string => {
    const error = command.lastError;
    if (!error) return "—";
    // A phone registered at another point cannot be registered here at all (only that point serves them).
    const elsewhere =
      error.code === "ALREADY_EXISTS" &&
      command.kind === "registerVillager" &&
      typeof error.details?.servicePointId === "string" &&
      error.details.servicePointId !== command.payload.servicePointId;
    if (elsewhere) return t("offline.reasons.alreadyElsewhere");
    const known = REASONS[error.code as keyof typeof REASONS];
    return known ? t(`offline.reasons.${known}`) : error.message;
  };
}

/** One entry's state in words: 待发送 / 发送中 / 已发送 / 被退回：<reason> / 请重新登录 / blocked behind its villager. */
export function StateLabel({ command, blocked }: { command: Command; blocked: boolean }) {
  const { t } = useStaffTranslation();
  const reasonOf = useRefusalReason();
  if (blocked)
    return <span className="offline-state offline-state-refused">{t("offline.state.blocked")}</span>;
  switch (command.state) {
    case "refused":
      return (
        <span className="offline-state offline-state-refused">
          {t("offline.state.refused", { reason: reasonOf(command) })}
        </span>
      );
    case "needsLogin":
      return <span className="offline-state offline-state-refused">{t("offline.state.needsLogin")}</span>;
    case "sent":
      return <span className="offline-state offline-state-sent">{t("offline.state.sent")}</span>;
    case "sending":
      return <span className="offline-state">{t("offline.state.sending")}</span>;
    default:
      return <span className="offline-state">{t("offline.state.waiting")}</span>;
  }
}
