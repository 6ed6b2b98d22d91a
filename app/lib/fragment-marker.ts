/**
 * Where a page's pre-rendered fragment goes (app/html-fragment.server.ts): an HTML comment with
 * the response's nonce, so no content of the page can forge it. Pure: the route components
 * render it, entry.server.tsx replaces it.
 */
export function fragmentMarker(nonce: string | undefined): string {
  return `<!--isi ${nonce ?? ""}-->`;
}
