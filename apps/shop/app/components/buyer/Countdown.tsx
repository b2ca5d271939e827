import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

/**
 * "1:02:03" or "02:03": what is left of `ms`, never below zero. A day or more is counted in days first
 * ("7 天 03:02:01") when `days` words them: nobody reads "168:00:00" as a week.
 */
export function countdownText(ms: number, days?: (count: number) => string): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  if (days && total >= 86_400) {
    const d = Math.floor(total / 86_400);
    const rest = total % 86_400;
    const hh = String(Math.floor(rest / 3600)).padStart(2, "0");
    const mm = String(Math.floor((rest % 3600) / 60)).padStart(2, "0");
    return `${days(d)} ${hh}:${mm}:${String(rest % 60).padStart(2, "0")}`;
  }
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mmss = `${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/**
 * A countdown to `to` by the API's clock (`serverTime` when the page was made), so a phone whose clock is
 * wrong still counts right. The server renders the first figure; with JavaScript it ticks each second and
 * calls `onZero` once when it reaches zero (the page then asks for the sale again).
 */
export function Countdown({
  to,
  serverTime,
  onZero,
}: {
  to: string;
  serverTime: string;
  onZero?: () => void;
}) {
  const { t } = useTranslation();
  const target = Date.parse(to);
  const [left, setLeft] = useState(target - Date.parse(serverTime));
  useEffect(() => {
    // The phone's clock may be off: measure from when the page arrived, by the server's time then.
    const offset = Date.parse(serverTime) - Date.now();
    let fired = false;
    const tick = () => {
      const ms = target - (Date.now() + offset);
      setLeft(ms);
      if (ms <= 0 && !fired) {
        fired = true;
        onZero?.();
      }
    };
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [target, serverTime, onZero]);
  return (
    <span className="countdown" role="timer" aria-live="off" data-testid="countdown">
      {countdownText(left, (count) => t("countdown.days", { count }))}
    </span>
  );
}
