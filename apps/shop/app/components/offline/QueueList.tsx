import { useState } from "react";
import { localized } from "../../i18n";
import { formatDateTime } from "../../lib/dates";
import {
  blockedBy,
  discardCommand,
  editAndResend,
  resolveWithExistingVillager,
  withDependents,
} from "../../lib/offline/commands";
import type { CachedProduct, Command, RegisterVillagerPayload } from "../../lib/offline/db";
import { quantityLine } from "../../lib/quantity-text";
import { useStaffTranslation } from "../../staff-i18n";
import { type IntakeEntry, IntakeForm } from "./IntakeForm";
import { RegisterVillagerForm } from "./RegisterVillagerForm";
import { StateLabel } from "./StateLabel";
import type { QueueState } from "./useIntakeQueue";

/**
 * Every entry on the phone with its state, newest first. Refused entries stay until the agent resends,
 * corrects or discards them on purpose; nothing leaves this list silently.
 */
export function QueueList({ queue, products }: { queue: QueueState; products: readonly CachedProduct[] }) {
  const { t, i18n } = useStaffTranslation();
  const { db, commands, byId } = queue;
  const [editing, setEditing] = useState<string | null>(null);
  const shown = commands.filter((command) => command.kind !== "lotPhoto").reverse();
  const photosOf = (id: string) =>
    commands.filter((c) => c.kind === "lotPhoto" && c.payload.intakeCommandId === id && c.state !== "sent")
      .length;

  async function discard(command: Command) {
    if (!db) return;
    const going = withDependents(command.id, commands);
    const count = commands.filter(
      (c) => going.has(c.id) && c.kind !== "lotPhoto" && c.state !== "sent",
    ).length;
    if (!window.confirm(t("offline.queue.discardConfirm", { count }))) return;
    await discardCommand(db, command.id);
  }

  async function resend(command: Command) {
    if (!db) return;
    await editAndResend(db, command.id, (c) => c);
    queue.kick(true);
  }

  async function saveCorrection(command: Command, payload: RegisterVillagerPayload) {
    if (!db) return;
    await editAndResend(db, command.id, (c) => (c.kind === "registerVillager" ? { ...c, payload } : c));
    setEditing(null);
    queue.kick(true);
  }

  async function saveIntakeCorrection(command: Command, entry: IntakeEntry) {
    if (!db) return;
    await editAndResend(db, command.id, (c) => {
      if (c.kind !== "intake") return c;
      // Optional fields left empty now must not survive from the first try.
      const { grade: _grade, bestBefore: _bestBefore, ...rest } = c.payload;
      return { ...c, payload: { ...rest, ...entry } };
    });
    setEditing(null);
    queue.kick(true);
  }

  async function useExisting(command: Command, consignorId: string) {
    if (!db) return;
    await resolveWithExistingVillager(db, command.id, consignorId);
    queue.kick(true);
  }

  /** A refused intake is corrected on its own product's form, while that product is on sale. */
  const productOf = (command: Command) =>
    command.kind === "intake" ? products.find((p) => p.id === command.payload.productId) : undefined;

  if (shown.length === 0) return <p className="muted">{t("offline.queue.empty")}</p>;

  return (
    <ul className="card-list offline-queue" aria-label={t("offline.queue.title")}>
      {shown.map((command) => {
        const blocked = blockedBy(command, byId) !== null;
        const existing = command.lastError?.details?.consignorId;
        const canUseExisting =
          command.kind === "registerVillager" &&
          command.state === "refused" &&
          command.lastError?.code === "ALREADY_EXISTS" &&
          typeof existing === "string" &&
          command.lastError.details?.servicePointId === command.payload.servicePointId;
        const photos = command.kind === "intake" ? photosOf(command.id) : 0;
        return (
          <li
            key={command.id}
            className="offline-entry"
            data-testid="queue-entry"
            data-state={blocked ? "blocked" : command.state}
            data-kind={command.kind}
          >
            {command.kind === "registerVillager" ? (
              <p className="card-title">{t("offline.queue.registration", { name: command.payload.name })}</p>
            ) : command.kind === "intake" ? (
              <>
                <p className="card-title">
                  {command.result?.lotNo ?? command.payload.lotNo ?? t("offline.receipt.numberLater")}
                </p>
                <p>
                  {command.payload.villager.name} · {localized(command.payload.productName, i18n.language)} ·{" "}
                  {quantityLine(command.payload.quantity, command.payload.unit, t)}
                  {command.payload.qc.passed ? "" : ` · ${t("intake.qcFail")}`}
                </p>
              </>
            ) : null}
            <p className="muted">{formatDateTime(command.createdAt, i18n.language)}</p>
            <p>
              <StateLabel command={command} blocked={blocked} />
              {photos > 0 ? ` · ${t("offline.queue.photosWaiting", { count: photos })}` : ""}
            </p>
            {editing === command.id && command.kind === "registerVillager" ? (
              <RegisterVillagerForm
                servicePointId={command.payload.servicePointId}
                initial={command.payload}
                submitLabel={t("offline.queue.saveAndResend")}
                onSave={(payload) => saveCorrection(command, payload)}
                onCancel={() => setEditing(null)}
              />
            ) : editing === command.id && command.kind === "intake" && productOf(command) ? (
              <IntakeForm
                product={productOf(command)!}
                villagerName={command.payload.villager.name}
                initial={command.payload}
                submitLabel={t("offline.queue.saveAndResend")}
                onSave={(entry) => saveIntakeCorrection(command, entry)}
              />
            ) : command.state === "refused" ? (
              <div className="button-stack">
                {canUseExisting ? (
                  <button
                    type="button"
                    className="button button-primary button-block"
                    onClick={() => useExisting(command, existing)}
                  >
                    {t("offline.queue.useExisting")}
                  </button>
                ) : null}
                {command.kind === "registerVillager" || (command.kind === "intake" && productOf(command)) ? (
                  <button
                    type="button"
                    className="button button-secondary button-block"
                    onClick={() => setEditing(command.id)}
                  >
                    {t("offline.queue.correct")}
                  </button>
                ) : null}
                <button
                  type="button"
                  className="button button-secondary button-block"
                  onClick={() => resend(command)}
                >
                  {t("offline.queue.resend")}
                </button>
                <button
                  type="button"
                  className="button button-danger button-block"
                  onClick={() => discard(command)}
                >
                  {t("offline.queue.discard")}
                </button>
              </div>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
