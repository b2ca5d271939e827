import { useTranslation } from "react-i18next";
import { spacedCode } from "../../lib/orders";

/** The 6-digit pickup code, as large as the screen allows, split in two halves for reading aloud. */
export function PickupCode({ code, where }: { code: string; where?: string | null }) {
  const { t } = useTranslation();
  return (
    <div className="pickup-code-box">
      <p className="pickup-code-label">{t("order.pickupCode")}</p>
      <p className="pickup-code" data-testid="pickup-code" data-code={code}>
        {spacedCode(code)}
      </p>
      <p className="pickup-code-hint">{t("order.pickupCodeHint")}</p>
      {where ? (
        <p className="pickup-where">
          <span className="pickup-where-label">{t("order.pickupAt")}</span>
          <span className="pickup-where-name" data-testid="pickup-point">
            {where}
          </span>
        </p>
      ) : null}
    </div>
  );
}
