/** The per-response CSP nonce (entry.server.tsx) for the inline scripts Remix emits when a route hydrates. */
import { createContext, useContext } from "react";

export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
