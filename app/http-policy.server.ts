/**
 * What the HTTP server checks before Remix sees a request, in one place:
 *
 * - a cross-site POST is answered 403 here (Remix's own check would answer 500 first);
 * - a URL with a control character (`/verifikasi/%00`, a `redirectTo` with a newline) is 400;
 * - a body is refused before it is read: over the limit 413 (1 MB for forms, the upload
 *   limit on the two upload routes), not a form 415, chunked without a length 411;
 * - security headers on every answer, and `Cache-Control: private, no-store` on every
 *   answer to a signed-in browser (pages and exports), each sent once (set here only);
 * - `TRUST_PROXY` is a hop count: the client address is the one the trusted proxy saw,
 *   never a left-most `X-Forwarded-For` that the client wrote itself.
 *
 * The rules for form values themselves live in app/lib/http.ts (`readForm`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { SESSION_COOKIE } from "~/auth.server";
import { BAD_INPUT, CROSS_SITE_MESSAGE, FORM_BODY_LIMIT, isFormContentType, isSameOrigin } from "~/lib/http";
import { MAX_IMPORT_BYTES } from "~/features/roster-import/columns";
import { MAX_REGION_CSV_BYTES } from "~/features/regions/region-csv";

/** Upload routes and their body limits (the file limit plus room for the multipart frame). */
const UPLOAD_LIMITS: Record<string, number> = {
  "/admin/impor": MAX_IMPORT_BYTES + 64 * 1024,
  "/admin/wilayah": MAX_REGION_CSV_BYTES + 64 * 1024,
};

export function bodyLimit(pathname: string): number {
  return UPLOAD_LIMITS[pathname.replace(/\/+$/, "") || "/"] ?? FORM_BODY_LIMIT;
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
};

type Next = (err?: unknown) => void;

function refuse(res: ServerResponse, status: number, message: string): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  // The body is not read: close the connection instead of draining it.
  if (status === 413 || status === 411) res.setHeader("Connection", "close");
  res.end(message);
}

function hasSessionCookie(cookie: string | undefined): boolean {
  return !!cookie && new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=`).test(cookie);
}

/**
 * Sets `headers` now and again just before the head is written: the Remix adapter appends a
 * Response's own headers (res.append), which would otherwise send "nosniff, nosniff".
 */
function setOnce(res: ServerResponse, headers: Record<string, string>): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (!this.headersSent) for (const [k, v] of Object.entries(headers)) this.setHeader(k, v);
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof res.writeHead;
}

/** Express-style middleware: (req, res, next). */
export function httpPolicy(req: IncomingMessage, res: ServerResponse, next: Next): void {
  // Pages and exports of a signed-in browser are never stored, whatever the route says; the
  // hashed build assets (/assets/…, the same for everyone) keep their long immutable caching.
  const signedIn = hasSessionCookie(req.headers.cookie) && !(req.url ?? "").startsWith("/assets/");
  setOnce(res, signedIn ? { ...SECURITY_HEADERS, "Cache-Control": "private, no-store" } : SECURITY_HEADERS);

  const rawUrl = req.url ?? "/";
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawUrl.replace(/\+/g, " "));
  } catch {
    return refuse(res, 400, "Alamat tidak valid.");
  }
  if (/[\u0000-\u001F\u007F]/.test(decoded))
    return refuse(res, 400, "Alamat tidak valid: mengandung karakter yang tidak diizinkan.");

  const method = (req.method ?? "GET").toUpperCase();
  if (!BODY_METHODS.has(method)) return next();

  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  if (!isSameOrigin(method, header("origin"), header("sec-fetch-site"), header("host") ?? "")) {
    return refuse(res, 403, CROSS_SITE_MESSAGE);
  }
  const pathname = rawUrl.split("?")[0];
  const length = header("content-length");
  if (length === undefined) {
    if (header("transfer-encoding"))
      return refuse(res, 411, "Permintaan ditolak: panjang isi permintaan wajib disebutkan.");
    return next(); // no body at all
  }
  const bytes = Number(length);
  if (!Number.isFinite(bytes) || bytes < 0) return refuse(res, 400, BAD_INPUT.unreadable);
  if (bytes > bodyLimit(pathname)) return refuse(res, 413, BAD_INPUT.tooLarge);
  if (bytes > 0 && !isFormContentType(header("content-type"))) return refuse(res, 415, BAD_INPUT.contentType);
  next();
}

/** `TRUST_PROXY` as Express's "trust proxy": a hop count (0 = none). */
export function trustProxySetting(hops: number): number | false {
  return hops > 0 ? hops : false;
}
