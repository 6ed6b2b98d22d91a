/**
 * /verifikasi/kunci: the public keys that sign certificates and their Open Badges 3.0
 * credentials, as a JWK Set (JSON): the current key first, then earlier keys that still
 * verify what they signed (after `npm run key:rotate`). With ?format=pem the current key
 * as SPKI PEM (?format=pem&kid=… an earlier one). Stable URL, no login: a third party can
 * verify a credential offline with it.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { jwks } from "~/features/certification/open-badge.server";
import { publicKeyPem } from "~/features/certification/signing.server";
import { notFound } from "~/lib/http";

export async function loader({ request }: LoaderFunctionArgs) {
  const headers = { "Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*" };
  const params = new URL(request.url).searchParams;
  if (params.get("format") === "pem") {
    const kid = params.get("kid") ?? undefined;
    const pem = kid === undefined || /^[0-9a-f]{16}$/.test(kid) ? publicKeyPem(kid) : null;
    if (!pem) throw notFound("Kunci tidak ditemukan.");
    return new Response(pem, { headers: { ...headers, "Content-Type": "application/x-pem-file; charset=us-ascii" } });
  }
  return new Response(JSON.stringify(jwks()), { headers: { ...headers, "Content-Type": "application/jwk-set+json" } });
}
