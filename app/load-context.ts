declare module "@remix-run/node" {
  interface AppLoadContext {
    clientIp: string;
    /**
     * Set by handleError (entry.server) when the request failed because PostgreSQL could
     * not be reached: the answer is then 503 with Retry-After and a "coba lagi" page, not 500.
     */
    databaseUnavailable?: boolean;
  }
}
export {};
