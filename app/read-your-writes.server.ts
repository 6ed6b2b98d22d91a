/**
 * The read-your-writes cookie. server.ts sets it on the answer to every write (any non-GET
 * request); for its lifetime this browser's reports read from the primary (`onReplica`,
 * app/db.server.ts) and skip the dashboard cache (dashboard-page.server.tsx), so the person
 * who just checked kader in, imported a roster or revoked a certificate sees exact figures.
 * A module of its own without imports, so that server.ts (the primary process included)
 * reads it without loading the database client.
 */
export const FRESH_COOKIE = "akademi_tulis";
export const FRESH_SECONDS = 10;

/** The Set-Cookie value server.ts appends to the answer to a write. */
export const FRESH_SET_COOKIE = `${FRESH_COOKIE}=1; Max-Age=${FRESH_SECONDS}; Path=/; HttpOnly; SameSite=Lax`;

const FRESH_RE = new RegExp(`(?:^|;\\s*)${FRESH_COOKIE}=`);

/** Whether a request's Cookie header carries the cookie: this browser wrote within FRESH_SECONDS. */
export function hasFreshCookie(cookieHeader: string | null): boolean {
  return FRESH_RE.test(cookieHeader ?? "");
}
