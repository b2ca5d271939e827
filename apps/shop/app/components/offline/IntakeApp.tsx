import { useEffect, useMemo, useState } from "react";
import { chinaToday } from "../../lib/dates";
import { useLive } from "../../lib/offline/browser";
import { blockedBy, saveIntake, saveRegistration } from "../../lib/offline/commands";
import type { CachedProduct, CachedVillager, VillagerRef } from "../../lib/offline/db";
import { useStaffTranslation } from "../../staff-i18n";
import { IntakeForm, ProductPicker } from "./IntakeForm";
import { QueueBanner } from "./QueueBanner";
import { QueueList } from "./QueueList";
import { ReceiptPreview } from "./ReceiptPreview";
import { RegisterVillagerForm } from "./RegisterVillagerForm";
import { useIntakeQueue } from "./useIntakeQueue";
import { VillagerFinder } from "./VillagerFinder";

type View =
  | { name: "find" }
  | { name: "register"; initial: { name?: string; phone?: string } }
  | { name: "product"; villager: VillagerRef }
  | { name: "form"; villager: VillagerRef; product: CachedProduct }
  | { name: "receipt"; commandId: string; villager: VillagerRef }
  | { name: "queue" };

/**
 * The agent's whole intake on one screen that needs no network once loaded: find or register the villager,
 * pick the product, enter the lot, show the slip, see what waits. Views change in React state, not by
 * navigation, so nothing here asks the server for a page (docs/decisions/0022).
 */
export function IntakeApp({
  servicePointId,
  agentName,
  pointName,
  startVillager,
  startView,
  prefill,
  startPledge = null,
}: {
  servicePointId: string;
  agentName: string;
  pointName: string | null;
  startVillager: VillagerRef | null;
  startView: "find" | "register" | "queue";
  prefill?: { name: string; phone: string };
  /** Came from the villager's harvest-campaign pledge: its product is taken in against it. */
  startPledge?: { pledgeId: string; productId: string } | null;
}) {
  const { t } = useStaffTranslation();
  const queue = useIntakeQueue(servicePointId);
  const { db } = queue;
  const [view, setView] = useState<View>(
    startVillager
      ? { name: "product", villager: startVillager }
      : startView === "register"
        ? { name: "register", initial: { name: prefill?.name, phone: prefill?.phone } }
        : startView === "queue"
          ? { name: "queue" }
          : { name: "find" },
  );
  const productsQuery = useMemo(() => (db ? () => db.products.toArray() : null), [db]);
  const products = useLive(productsQuery, [] as CachedProduct[]);
  const villagersQuery = useMemo(() => (db ? () => db.villagers.toArray() : null), [db]);
  const villagers = useLive(villagersQuery, [] as CachedVillager[]);

  /** A villager registered offline whose registration has gone through since: use the co-op's id. */
  function current(ref: VillagerRef): VillagerRef {
    if ("consignorId" in ref) return ref;
    const registration = queue.byId.get(ref.commandId);
    const consignorId = registration?.result?.consignorId;
    return consignorId ? { consignorId, name: ref.name } : ref;
  }

  function phoneOf(ref: VillagerRef): string | null {
    if ("commandId" in ref) {
      const registration = queue.byId.get(ref.commandId);
      return registration?.kind === "registerVillager" ? registration.payload.phone : null;
    }
    return villagers.find((villager) => villager.id === ref.consignorId)?.phone ?? null;
  }

  /** The pledge an entry delivers on: the starting villager's, for the pledge's product. */
  function pledgeOf(villager: VillagerRef, productId: string): string | undefined {
    if (!startPledge || !startVillager || !("consignorId" in startVillager)) return undefined;
    const same = "consignorId" in villager && villager.consignorId === startVillager.consignorId;
    return same && productId === startPledge.productId ? startPledge.pledgeId : undefined;
  }

  // From a pledge, the product is known: go straight to the entry once the phone's products are loaded
  // (once: the agent may change the product, or take in something else afterwards).
  const pledgeProduct = startPledge ? products.find((p) => p.id === startPledge.productId) : undefined;
  const [pledgeOpened, setPledgeOpened] = useState(false);
  useEffect(() => {
    if (pledgeOpened || !pledgeProduct || !startVillager || view.name !== "product") return;
    setPledgeOpened(true);
    setView({ name: "form", villager: startVillager, product: pledgeProduct });
  }, [pledgeOpened, pledgeProduct, startVillager, view.name]);

  const sorted = [...products].sort((a, b) => a.name.zh.localeCompare(b.name.zh, "zh-CN"));
  const receiptCommand = view.name === "receipt" ? queue.byId.get(view.commandId) : undefined;

  return (
    <div className="offline-intake">
      <QueueBanner
        queue={queue}
        onOpenQueue={() => setView({ name: "queue" })}
        loginHref={`/staff/login?${new URLSearchParams({ redirectTo: "/staff/intake" })}`}
      />

      {view.name !== "find" ? (
        <p className="no-print">
          <button type="button" className="back-link button-link" onClick={() => setView({ name: "find" })}>
            ← {t("offline.backToFind")}
          </button>
        </p>
      ) : null}

      {view.name === "find" ? (
        <VillagerFinder
          db={db}
          queue={queue}
          servicePointId={servicePointId}
          onPick={(villager) => setView({ name: "product", villager })}
          onRegister={(typed) =>
            setView({ name: "register", initial: /^\d+$/.test(typed) ? { phone: typed } : { name: typed } })
          }
        />
      ) : null}

      {view.name === "register" && db ? (
        <RegisterVillagerForm
          servicePointId={servicePointId}
          initial={view.initial}
          onSave={async (payload) => {
            const command = await saveRegistration(db, payload);
            queue.kick();
            setView({ name: "product", villager: { commandId: command.id, name: payload.name } });
          }}
          onCancel={() => setView({ name: "find" })}
        />
      ) : null}

      {view.name === "product" ? (
        <ProductPicker
          products={sorted}
          villagerName={view.villager.name}
          onPick={(product) => setView({ name: "form", villager: view.villager, product })}
        />
      ) : null}

      {view.name === "form" && db ? (
        <IntakeForm
          product={view.product}
          villagerName={view.villager.name}
          pledged={pledgeOf(view.villager, view.product.id) !== undefined}
          onChangeProduct={() => setView({ name: "product", villager: view.villager })}
          onSave={async (entry, photos) => {
            const pledgeId = pledgeOf(view.villager, view.product.id);
            const command = await saveIntake(
              db,
              {
                ...entry,
                villager: current(view.villager),
                servicePointId,
                productId: view.product.id,
                productName: view.product.name,
                unit: view.product.unit,
                day: chinaToday(),
                ...(pledgeId ? { pledgeId } : {}),
              },
              photos,
            );
            queue.kick();
            setView({ name: "receipt", commandId: command.id, villager: view.villager });
          }}
        />
      ) : null}

      {view.name === "receipt" ? (
        <>
          {receiptCommand?.kind === "intake" ? (
            <ReceiptPreview
              command={receiptCommand}
              villagerPhone={phoneOf(view.villager)}
              agentName={agentName}
              pointName={pointName}
              blocked={blockedBy(receiptCommand, queue.byId) !== null}
            />
          ) : null}
          <div className="button-stack no-print">
            <button
              type="button"
              className="button button-primary button-block button-big"
              onClick={() => setView({ name: "product", villager: view.villager })}
            >
              {t("receipt.another")}
            </button>
            <button
              type="button"
              className="button button-secondary button-block"
              onClick={() => setView({ name: "find" })}
            >
              {t("offline.receipt.otherVillager")}
            </button>
          </div>
        </>
      ) : null}

      {view.name === "queue" ? (
        <section aria-labelledby="queue-title">
          <h2 id="queue-title">{t("offline.queue.title")}</h2>
          <QueueList queue={queue} products={products} />
        </section>
      ) : null}
    </div>
  );
}
