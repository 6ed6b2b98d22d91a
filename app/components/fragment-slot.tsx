/**
 * Where a page's pre-rendered content goes (app/html-fragment.server.ts). Rendered by the
 * server for a response (entry.server.tsx gives the nonce), it is only the marker, and
 * entry.server splices the content's bytes in there (the route's loader hands them over as
 * `context.htmlFragment`); rendered anywhere else (tests), it is the content itself.
 */
import { useNonce } from "~/components/nonce";
import { fragmentMarker } from "~/lib/fragment-marker";

export function FragmentSlot({ html, className }: { html: string; className?: string }) {
  const nonce = useNonce();
  return <section className={className} dangerouslySetInnerHTML={{ __html: nonce ? fragmentMarker(nonce) : html }} />;
}
