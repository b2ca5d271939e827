import { useEffect, useState } from "react";
import { useHydrated } from "../../lib/hydrated";
import {
  type PrinterTransport,
  printerTransports,
  printOverBluetooth,
  printOverUsb,
  receiptBytesFrom,
} from "../../lib/receipt-printer";
import { useStaffTranslation } from "../../staff-i18n";

type Width = 58 | 80;
const WIDTH_KEY = "coop.receiptWidth";

type Outcome = { kind: "printing" } | { kind: "printed" } | { kind: "failed"; cancelled: boolean };

/**
 * 打印小票: sends the receipt to the point's thermal printer over USB or Bluetooth where this browser can,
 * and otherwise (or before the page's scripts run) offers the PDF. The paper width is remembered on the
 * phone, since a point has one printer.
 */
export function ThermalPrintButton({ lotPath, paperPrints }: { lotPath: string; paperPrints: number }) {
  const { t } = useStaffTranslation();
  const hydrated = useHydrated();
  const [width, setWidth] = useState<Width>(80);
  const [transports, setTransports] = useState<PrinterTransport[]>([]);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  useEffect(() => {
    setTransports(printerTransports(navigator));
    if (window.localStorage.getItem(WIDTH_KEY) === "58") setWidth(58);
  }, []);

  const pdfUrl = `${lotPath}/receipt.pdf?width=${width}`;
  const chooseWidth = (next: Width) => {
    setWidth(next);
    window.localStorage.setItem(WIDTH_KEY, String(next));
  };

  async function print(transport: PrinterTransport) {
    setOutcome({ kind: "printing" });
    const bytes = receiptBytesFrom(`${lotPath}/receipt.escpos?width=${width}`);
    try {
      if (transport === "usb" && navigator.usb) await printOverUsb(navigator.usb, bytes);
      else if (navigator.bluetooth) await printOverBluetooth(navigator.bluetooth, bytes);
      setOutcome({ kind: "printed" });
    } catch (error) {
      // NotFoundError: the person closed the chooser without picking a printer.
      setOutcome({
        kind: "failed",
        cancelled: error instanceof DOMException && error.name === "NotFoundError",
      });
    }
  }

  return (
    <div className="thermal-print no-print" data-testid="thermal-print">
      {paperPrints > 0 ? (
        <p className="notice">{t("receipt.printedBefore", { count: paperPrints })}</p>
      ) : null}
      <fieldset className="thermal-width">
        <legend>{t("receipt.paperWidth")}</legend>
        {([58, 80] as const).map((w) => (
          <label key={w} className="thermal-width-option">
            <input
              type="radio"
              name="receipt-width"
              value={w}
              checked={width === w}
              onChange={() => chooseWidth(w)}
            />{" "}
            {t("receipt.widthMm", { width: w })}
          </label>
        ))}
      </fieldset>
      {hydrated && transports.length > 0 ? (
        <>
          {transports.map((transport, index) => (
            <button
              key={transport}
              type="button"
              className={`button button-block ${index === 0 ? "button-primary button-big" : "button-secondary"}`}
              disabled={outcome?.kind === "printing"}
              onClick={() => print(transport)}
            >
              {t(index === 0 ? "receipt.printThermal" : `receipt.printVia.${transport}`)}
            </button>
          ))}
          <p className="muted">
            {t(transports[0] === "usb" ? "receipt.printerHint.usb" : "receipt.printerHint.bluetooth")}
          </p>
        </>
      ) : (
        <p className="muted">{t("receipt.noPrinterHere")}</p>
      )}
      {outcome ? (
        <p className={outcome.kind === "failed" ? "field-error" : "notice"} role="status">
          {outcome.kind === "failed"
            ? t(outcome.cancelled ? "receipt.printCancelled" : "receipt.printFailed")
            : t(`receipt.${outcome.kind}`)}
        </p>
      ) : null}
      <a href={pdfUrl} className="button button-secondary button-block">
        {t("receipt.printPdf")}
      </a>
    </div>
  );
}
