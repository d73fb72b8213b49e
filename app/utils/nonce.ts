import { createContext, useContext } from 'react'

// The Content-Security-Policy nonce of this response (server.ts makes one per
// request). Only the server render knows it; in the browser, and under `vite dev`,
// it is undefined, which is fine: scripts are already running by then.
const NonceContext = createContext<string | undefined>(undefined)

export const NonceProvider = NonceContext.Provider

export function useNonce(): string | undefined {
  return useContext(NonceContext)
}
