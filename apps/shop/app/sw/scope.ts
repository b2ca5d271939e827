/**
 * The parts of a service worker's global scope this worker uses. The shop is type-checked as one program with
 * the DOM library, which lacks them and cannot be combined with the WebWorker library; these few
 * declarations keep the worker inside that same check.
 */

export interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}

export interface ExtendableMessageEvent extends ExtendableEvent {
  readonly data: unknown;
}

export interface WindowClient {
  readonly url: string;
}

export interface WorkerScope {
  readonly location: Location;
  readonly registration: ServiceWorkerRegistration;
  readonly clients: {
    matchAll(options: { type: "window"; includeUncontrolled?: boolean }): Promise<readonly WindowClient[]>;
    claim(): Promise<void>;
  };
  skipWaiting(): Promise<void>;
  addEventListener(type: "install" | "activate", listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: "message", listener: (event: ExtendableMessageEvent) => void): void;
}

/** The message a page or the worker itself sends a waiting worker to take over now. */
export const SKIP_WAITING = "coop:skip-waiting";

/**
 * The message an open intake screen sends the active worker: keep a copy of me (and of the lists) if you
 * have none. Its document may never have passed through the worker: the visit that registered it, or a
 * client-side navigation to it.
 */
export interface KeepScreenMessage {
  type: "coop:keep-screen";
  /** Path and query of the screen. */
  path: string;
}

export function isKeepScreenMessage(data: unknown): data is KeepScreenMessage {
  return (
    typeof data === "object" &&
    data !== null &&
    (data as { type?: unknown }).type === "coop:keep-screen" &&
    typeof (data as { path?: unknown }).path === "string"
  );
}
