import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False while the page is server-rendered or not yet hydrated, true once its scripts run. Controls
 * that need JavaScript (the keypad, the print button) appear only then; without it the page is plain HTML.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
