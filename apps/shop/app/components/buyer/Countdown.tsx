import { useEffect, useState } from "react";

/** "1:02:03" or "02:03": what is left of `ms`, never below zero. */
export function countdownText(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
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
      {countdownText(left)}
    </span>
  );
}
