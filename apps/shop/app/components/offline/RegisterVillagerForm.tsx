import { CreateConsignor } from "@coop/shared/contract";
import { type FormEvent, useState } from "react";
import type { RegisterVillagerPayload } from "../../lib/offline/db";
import { useStaffTranslation } from "../../staff-i18n";
import { FieldError } from "../staff/FormBits";

type Field = "name" | "phone" | "village";
type Problem = "required" | "phone" | "invalid";

/**
 * Registers a villager on the phone: checked here with the API's own schema, saved as a command, sent when
 * the line allows. The same form corrects a refused registration (`initial`).
 */
export function RegisterVillagerForm({
  servicePointId,
  initial,
  submitLabel,
  onSave,
  onCancel,
}: {
  servicePointId: string;
  initial?: Partial<RegisterVillagerPayload>;
  submitLabel?: string;
  onSave: (payload: RegisterVillagerPayload) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useStaffTranslation();
  const [fields, setFields] = useState<Partial<Record<Field, Problem>>>({});
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const typed = {
      name: String(form.get("name") ?? "").trim(),
      phone: String(form.get("phone") ?? "").replace(/[\s-]/g, ""),
      village: String(form.get("village") ?? "").trim(),
    };
    const parsed = CreateConsignor.safeParse({
      ...typed,
      village: typed.village || undefined,
      servicePointId,
      showOnProductPages: form.get("showOnProductPages") === "yes",
    });
    if (!parsed.success) {
      const problems: Partial<Record<Field, Problem>> = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        if (field === "name") problems.name = typed.name ? "invalid" : "required";
        if (field === "phone") problems.phone = "phone";
        if (field === "village") problems.village = "invalid";
      }
      setFields(problems);
      return;
    }
    setFields({});
    setSaving(true);
    try {
      const { village, ...rest } = parsed.data;
      await onSave(village ? { ...rest, village } : rest);
    } finally {
      setSaving(false);
    }
  }

  return (
    <section aria-labelledby="register-title">
      <h2 id="register-title">{t("register.title")}</h2>
      <p className="lead">{t("offline.register.intro")}</p>
      <form className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="name" className="field-label">
            {t("register.name")}
          </label>
          <input
            id="name"
            name="name"
            type="text"
            maxLength={40}
            autoComplete="off"
            defaultValue={initial?.name ?? ""}
            aria-invalid={fields.name ? true : undefined}
            aria-describedby={fields.name ? "name-error" : undefined}
          />
          <FieldError id="name-error" problem={fields.name} />
        </div>
        <div className="field">
          <label htmlFor="phone" className="field-label">
            {t("register.phone")}
          </label>
          <input
            id="phone"
            name="phone"
            type="tel"
            inputMode="numeric"
            maxLength={20}
            autoComplete="off"
            placeholder={t("register.phonePlaceholder")}
            defaultValue={initial?.phone ?? ""}
            aria-invalid={fields.phone ? true : undefined}
            aria-describedby={fields.phone ? "phone-error" : undefined}
          />
          <FieldError id="phone-error" problem={fields.phone} />
        </div>
        <div className="field">
          <label htmlFor="village" className="field-label">
            {t("register.village")}
          </label>
          <input
            id="village"
            name="village"
            type="text"
            maxLength={60}
            autoComplete="off"
            defaultValue={initial?.village ?? ""}
            aria-describedby="village-hint"
          />
          <p className="field-hint" id="village-hint">
            {t("register.villageHint")}
          </p>
          <FieldError id="village-error" problem={fields.village} />
        </div>
        <div className="field">
          <label className="check">
            <input
              type="checkbox"
              name="showOnProductPages"
              value="yes"
              defaultChecked={initial?.showOnProductPages ?? false}
            />
            <span>{t("register.consent")}</span>
          </label>
          <p className="field-hint">{t("register.consentHint")}</p>
        </div>
        <button type="submit" className="button button-primary button-block button-big" disabled={saving}>
          {submitLabel ?? t("register.submit")}
        </button>
        <button type="button" className="button button-quiet button-block" onClick={onCancel}>
          {t("offline.cancel")}
        </button>
      </form>
    </section>
  );
}
