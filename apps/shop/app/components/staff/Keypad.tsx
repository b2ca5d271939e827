import type { KeypadKey } from "../../lib/keypad";
import { useStaffTranslation } from "../../staff-i18n";

const KEYS: readonly KeypadKey[] = ["1", "2", "3", "4", "5", "6", "7", "8", "9", ".", "0", "back"];

/**
 * The big on-screen number keypad (intake quantities, pickup codes, cash taken). It only reports the key
 * pressed; the field that owns it decides what the text becomes. Shown only once scripts run: without
 * them the field is a plain number field and the phone's own keyboard is used.
 */
export function Keypad({
  onPress,
  decimals,
}: {
  onPress: (key: KeypadKey) => void;
  /** Whether the decimal point key works (2.5 斤, ¥12.50) or is greyed out (pieces, codes). */
  decimals: boolean;
}) {
  const { t } = useStaffTranslation();
  return (
    <div className="keypad">
      {KEYS.map((key) => (
        <button
          key={key}
          type="button"
          className="keypad-key"
          disabled={key === "." && !decimals}
          aria-label={key === "back" ? t("intake.keypadBack") : undefined}
          onClick={() => onPress(key)}
        >
          {key === "back" ? "⌫" : key}
        </button>
      ))}
      <button type="button" className="keypad-key keypad-clear" onClick={() => onPress("clear")}>
        {t("intake.keypadClear")}
      </button>
    </div>
  );
}
