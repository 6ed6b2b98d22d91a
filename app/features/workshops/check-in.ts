/**
 * QR self check-in tokens, derived (not stored): HMAC of the session id and the
 * minute window, so any app process can check them. The QR shows /hadir/<id>-<tag>;
 * the short code is 6 digits from the same HMAC, for when the camera or QR fails.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const WINDOW_MS = 60_000;
/** A check-in may start this long before the session and ends with it. */
export const OPEN_BEFORE_MS = 30 * 60_000;

function mac(secret: string, workshopId: number, window: number): Buffer {
  return createHmac("sha256", secret).update(`hadir:${workshopId}:${window}`).digest();
}

export function windowOf(now: Date): number {
  return Math.floor(now.getTime() / WINDOW_MS);
}

export function checkinToken(secret: string, workshopId: number, now: Date): string {
  return `${workshopId}-${mac(secret, workshopId, windowOf(now)).subarray(0, 12).toString("base64url")}`;
}

export function checkinCode(secret: string, workshopId: number, now: Date): string {
  const n = mac(secret, workshopId, windowOf(now)).readUInt32BE(16) % 1_000_000;
  return String(n).padStart(6, "0");
}

export type TokenCheck = { ok: true; workshopId: number } | { ok: false; reason: "format" | "expired" };

/**
 * Valid for the current and the previous minute, so a scan at the turn of the minute
 * still works; older or forged tokens are rejected.
 */
export function verifyCheckinToken(secret: string, token: string, now: Date): TokenCheck {
  const m = /^(\d{1,9})-([A-Za-z0-9_-]{16})$/.exec(token);
  if (!m) return { ok: false, reason: "format" };
  const id = Number(m[1]);
  const given = Buffer.from(m[2], "base64url");
  for (const w of [windowOf(now), windowOf(now) - 1]) {
    const expected = mac(secret, id, w).subarray(0, 12);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true, workshopId: id };
  }
  return { ok: false, reason: "expired" };
}

export function verifyCheckinCode(secret: string, workshopId: number, code: string, now: Date): boolean {
  const clean = code.replace(/\D/g, "");
  if (clean.length !== 6) return false;
  return [windowOf(now), windowOf(now) - 1].some((w) => {
    const n = mac(secret, workshopId, w).readUInt32BE(16) % 1_000_000;
    return String(n).padStart(6, "0") === clean;
  });
}

/** Is the session open for check-in at `now`? */
export function checkinOpen(startsAt: Date, endsAt: Date, now: Date): boolean {
  return now.getTime() >= startsAt.getTime() - OPEN_BEFORE_MS && now.getTime() <= endsAt.getTime();
}

/** hadir within the grace period after the start, terlambat after it. */
export function checkinStatus(startsAt: Date, graceMinutes: number, now: Date): "hadir" | "terlambat" {
  return now.getTime() <= startsAt.getTime() + graceMinutes * 60_000 ? "hadir" : "terlambat";
}

/** How long after scanning the QR a kader may finish logging in and confirm. */
export const SCAN_TICKET_MS = 15 * 60_000;

/** The cookie that binds a scan ticket to the browser that scanned the QR (path /hadir, 15 minutes). */
export const SCAN_COOKIE = "ap_pindai";

/** A fresh random value for the scan cookie. */
export function newScanNonce(): string {
  return randomBytes(16).toString("base64url");
}

export function scanCookie(nonce: string, secure: boolean): string {
  return `${SCAN_COOKIE}=${nonce}; Max-Age=${SCAN_TICKET_MS / 1000}; Path=/hadir; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

export function clearScanCookie(secure: boolean): string {
  return `${SCAN_COOKIE}=; Max-Age=0; Path=/hadir; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/** The scan cookie's value in a Cookie header, or null. */
export function readScanNonce(cookieHeader: string | null): string | null {
  const m = new RegExp(`(?:^|;\\s*)${SCAN_COOKIE}=([A-Za-z0-9_-]{22})(?:;|$)`).exec(cookieHeader ?? "");
  return m ? m[1] : null;
}

/**
 * A signed record of the moment a valid QR was scanned, carried through the login
 * redirect, so a kader who has to log in first (slowly, on a weak connection) is not
 * refused because the on-screen QR has rotated meanwhile. The signature covers the scan
 * cookie's value: the ticket works only in the browser that scanned (another phone that
 * gets the link has no cookie), and check-in.server.ts lets it record one check-in only.
 */
export function scanTicket(secret: string, token: string, scannedAt: Date, nonce: string): string {
  const ts = scannedAt.getTime();
  const sig = createHmac("sha256", secret)
    .update(`scan:${token}:${ts}:${nonce}`)
    .digest()
    .subarray(0, 12)
    .toString("base64url");
  return `${ts}.${sig}`;
}

export type ScanTicketCheck =
  | { ok: true; scannedAt: Date }
  | { ok: false; reason: "format" | "other-browser" | "expired" };

export function verifyScanTicket(
  secret: string,
  token: string,
  ticket: string,
  now: Date,
  nonce: string | null,
): ScanTicketCheck {
  const m = /^(\d{13})\.([A-Za-z0-9_-]{16})$/.exec(ticket);
  if (!m) return { ok: false, reason: "format" };
  if (!nonce) return { ok: false, reason: "other-browser" };
  const ts = Number(m[1]);
  const expected = scanTicket(secret, token, new Date(ts), nonce).split(".")[1];
  if (!timingSafeEqual(Buffer.from(m[2]), Buffer.from(expected))) return { ok: false, reason: "other-browser" };
  if (ts > now.getTime() + 5_000 || now.getTime() - ts > SCAN_TICKET_MS) return { ok: false, reason: "expired" };
  return { ok: true, scannedAt: new Date(ts) };
}
