import { useMemo, useState } from "react";
import { maskPhone } from "../../lib/format";
import { searchVillagersOnline, useLive } from "../../lib/offline/browser";
import type { CachedVillager, IntakeDb, VillagerRef } from "../../lib/offline/db";
import { useStaffTranslation } from "../../staff-i18n";
import type { QueueState } from "./useIntakeQueue";

/** A villager to pick: the cached list of the point plus those registered on this phone and not sent yet. */
interface Choice {
  ref: VillagerRef;
  name: string;
  phone: string | null;
  village: string | null;
  pending: boolean;
}

export function VillagerFinder({
  db,
  queue,
  servicePointId,
  onPick,
  onRegister,
}: {
  db: IntakeDb | null;
  queue: QueueState;
  servicePointId: string;
  onPick: (villager: VillagerRef) => void;
  onRegister: (typed: string) => void;
}) {
  const { t } = useStaffTranslation();
  const [q, setQ] = useState("");
  const [searching, setSearching] = useState(false);
  const query = useMemo(
    () => (db ? () => db.villagers.where("servicePointId").equals(servicePointId).toArray() : null),
    [db, servicePointId],
  );
  const cached = useLive(query, [] as CachedVillager[]);

  const choices = useMemo(() => {
    const pending: Choice[] = queue.commands.flatMap((command) =>
      command.kind === "registerVillager" && !command.result?.consignorId
        ? [
            {
              ref: { commandId: command.id, name: command.payload.name },
              name: command.payload.name,
              phone: command.payload.phone,
              village: command.payload.village ?? null,
              pending: true,
            },
          ]
        : [],
    );
    const known: Choice[] = cached.map((villager) => ({
      ref: { consignorId: villager.id, name: villager.name },
      name: villager.name,
      phone: villager.phone,
      village: villager.village,
      pending: false,
    }));
    const all = [...pending, ...known.sort((a, b) => a.name.localeCompare(b.name, "zh-CN"))];
    const needle = q.trim().replace(/\s+/g, "");
    if (!needle) return all;
    return all.filter(
      (choice) => choice.name.includes(needle) || (choice.phone ?? "").includes(needle.replace(/-/g, "")),
    );
  }, [cached, queue.commands, q]);

  async function searchOnline() {
    if (!db || !q.trim()) return;
    setSearching(true);
    await searchVillagersOnline(db, q.trim());
    setSearching(false);
  }

  return (
    <section aria-labelledby="finder-title">
      <h2 id="finder-title">{t("offline.find.title")}</h2>
      <div className="field">
        <label htmlFor="villager-search" className="field-label">
          {t("offline.find.searchLabel")}
        </label>
        <input
          id="villager-search"
          type="search"
          value={q}
          autoComplete="off"
          placeholder={t("offline.find.placeholder")}
          onChange={(event) => setQ(event.target.value)}
        />
        {queue.online && q.trim() ? (
          <button type="button" className="button button-quiet" onClick={searchOnline} disabled={searching}>
            {searching ? t("offline.find.searching") : t("offline.find.searchOnline")}
          </button>
        ) : null}
      </div>
      {choices.length === 0 ? <p className="muted">{t("offline.find.none")}</p> : null}
      <ul className="card-list offline-villagers">
        {choices.map((choice) => (
          <li key={"commandId" in choice.ref ? choice.ref.commandId : choice.ref.consignorId}>
            <button
              type="button"
              className="card-link offline-card-button"
              onClick={() => onPick(choice.ref)}
            >
              <span className="card-title">{choice.name}</span>
              <span className="muted">
                {[choice.phone ? maskPhone(choice.phone) : null, choice.village].filter(Boolean).join(" · ")}
                {choice.pending ? ` ${t("offline.find.notSentYet")}` : ""}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="button button-primary button-block button-big"
        onClick={() => onRegister(q.trim())}
      >
        {t("offline.find.register")}
      </button>
    </section>
  );
}
