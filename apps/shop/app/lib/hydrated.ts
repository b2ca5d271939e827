import { type RefObject, useEffect, useLayoutEffect, useSyncExternalStore } from "react";

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

// useLayoutEffect warns when rendered on the server; there it would do nothing anyway.
const useBrowserLayoutEffect = typeof document === "undefined" ? useEffect : useLayoutEffect;

/**
 * Hands a controlled field what a person typed into its server-rendered twin before the scripts arrived
 * (a slow line can take many seconds). React leaves a field's value alone while hydrating, but its next
 * render writes the state back into it: a state still holding the server's default would wipe what was
 * typed. Runs once, right after hydration and before that render, so the field starts from the page as the
 * person left it. `adopt` gets the field's element (or its container, to query its inputs).
 */
export function useAdoptTypedInput<T extends HTMLElement>(
  ref: RefObject<T | null>,
  adopt: (element: T) => void,
) {
  useBrowserLayoutEffect(() => {
    if (ref.current) adopt(ref.current);
  }, []);
}
