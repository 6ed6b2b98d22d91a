/** Small HTTP helpers shared by loaders and actions. */

export function forbidden(message = "Anda tidak berhak membuka halaman ini."): Response {
  return new Response(message, { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export function notFound(message = "Halaman tidak ditemukan."): Response {
  return new Response(message, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** C0 control characters other than tab, line feed and carriage return, and DEL. */
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function hasControlChars(value: string): boolean {
  return CONTROL_CHARS.test(value);
}

/** Where relative paths are resolved: never a real host, so nothing can escape it. */
const REDIRECT_BASE = "http://akademi.invalid";

/**
 * Only paths of this site: resolved the way a browser would resolve them (tabs and
 * newlines dropped, backslashes as slashes) and accepted only when they stay on our
 * origin. Anything else falls back.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (!to || typeof to !== "string" || !to.startsWith("/") || to.length > 2000) return fallback;
  if (/[\u0000-\u001F\u007F\\]/.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, REDIRECT_BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== REDIRECT_BASE) return fallback;
  const path = url.pathname + url.search + url.hash;
  return path.startsWith("//") ? fallback : path;
}

function plain(message: string, status: number): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** Largest request body of an ordinary form; uploads have their own limit. */
export const FORM_BODY_LIMIT = 1024 * 1024;

export const BAD_INPUT = {
  contentType: "Permintaan ditolak: isi formulir harus dikirim sebagai formulir biasa.",
  unreadable: "Permintaan ditolak: isi formulir tidak dapat dibaca.",
  control: "Isian mengandung karakter yang tidak diizinkan.",
  tooLarge: "Permintaan terlalu besar.",
} as const;

/** Form bodies: urlencoded, or multipart with a boundary. */
export function isFormContentType(type: string | null | undefined): boolean {
  if (!type) return false;
  return (
    /^application\/x-www-form-urlencoded\s*(;|$)/i.test(type) || /^multipart\/form-data\s*;.*\bboundary=\S/i.test(type)
  );
}

/**
 * The one way an action reads its form: same-origin first (403), then a form content
 * type (415), a readable body (400), and no control characters in any name or value
 * (400). PostgreSQL cannot store a NUL byte, so this also keeps 500s out.
 */
export async function readForm(request: Request): Promise<FormData> {
  assertSameOrigin(request);
  // A POST without any body (a bare button, curl -X POST) is an empty form.
  if (request.body === null && !request.headers.get("Content-Type")) return new FormData();
  if (!isFormContentType(request.headers.get("Content-Type"))) throw plain(BAD_INPUT.contentType, 415);
  const length = Number(request.headers.get("Content-Length") ?? 0);
  if (length > FORM_BODY_LIMIT) throw plain(BAD_INPUT.tooLarge, 413);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw plain(BAD_INPUT.unreadable, 400);
  }
  for (const [name, value] of form) {
    if (hasControlChars(name) || (typeof value === "string" && hasControlChars(value)))
      throw plain(BAD_INPUT.control, 400);
  }
  return form;
}

/** An upload (read by its own streaming parser): same origin, multipart, within the limit. */
export function assertUpload(request: Request, limit: number): void {
  assertSameOrigin(request);
  if (!/^multipart\/form-data\s*;.*\bboundary=\S/i.test(request.headers.get("Content-Type") ?? ""))
    throw plain(BAD_INPUT.contentType, 415);
  if (Number(request.headers.get("Content-Length") ?? 0) > limit) throw plain(BAD_INPUT.tooLarge, 413);
}

/** readForm as a plain object of its last values (the shape zod schemas take). */
export async function readFormObject(request: Request): Promise<Record<string, FormDataEntryValue>> {
  return Object.fromEntries(await readForm(request));
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A mutating request must come from our own pages: the Origin header (or, without it,
 * Sec-Fetch-Site) must not name another site. Requests with neither header come from
 * non-browser clients and carry no cross-site cookie risk.
 */
export function isSameOriginRequest(request: Request): boolean {
  return isSameOrigin(
    request.method,
    request.headers.get("Origin"),
    request.headers.get("Sec-Fetch-Site"),
    new URL(request.url).host,
  );
}

/** The rule itself, on plain header values (the HTTP server checks it before Remix). */
export function isSameOrigin(
  method: string,
  origin: string | null | undefined,
  fetchSite: string | null | undefined,
  host: string,
): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  if (origin) {
    if (origin === "null") return false;
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }
  return !fetchSite || fetchSite === "same-origin" || fetchSite === "none";
}

export const CROSS_SITE_MESSAGE = "Permintaan ditolak: formulir harus dikirim dari situs Akademi Posyandu sendiri.";

export function assertSameOrigin(request: Request): void {
  if (!isSameOriginRequest(request)) {
    throw forbidden(CROSS_SITE_MESSAGE);
  }
}
