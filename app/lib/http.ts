/** Small HTTP helpers shared by loaders and actions. */

export function forbidden(message = "Anda tidak berhak membuka halaman ini."): Response {
  return new Response(message, { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export function notFound(message = "Halaman tidak ditemukan."): Response {
  return new Response(message, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** Only same-site relative paths; anything else falls back (indie-stack safeRedirect). */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (!to || typeof to !== "string") return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A mutating request must come from our own pages: the Origin header (or, without it,
 * Sec-Fetch-Site) must not name another site. Requests with neither header come from
 * non-browser clients and carry no cross-site cookie risk.
 */
export function isSameOriginRequest(request: Request): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return true;
  const origin = request.headers.get("Origin");
  if (origin) {
    if (origin === "null") return false;
    try {
      return new URL(origin).host === new URL(request.url).host;
    } catch {
      return false;
    }
  }
  const site = request.headers.get("Sec-Fetch-Site");
  return !site || site === "same-origin" || site === "none";
}

export function assertSameOrigin(request: Request): void {
  if (!isSameOriginRequest(request)) {
    throw forbidden("Permintaan ditolak: formulir harus dikirim dari situs Akademi Posyandu sendiri.");
  }
}
