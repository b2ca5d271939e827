import { createContext, useContext } from "react";

/**
 * The CSP nonce of the page being rendered, given by entry.server.tsx. In the browser it is "" (browsers
 * hide the attribute after the page loads, and scripts added after hydration are not inline).
 */
export const NonceContext = createContext("");

export function useNonce(): string {
  return useContext(NonceContext);
}
