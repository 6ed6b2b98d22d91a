/**
 * /verifikasi/kunci: the public key that signs certificates and their Open Badges 3.0
 * credentials, as a JWK Set (JSON) or, with ?format=pem, as SPKI PEM. Stable URL, no
 * login: a third party can verify a credential offline with it.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { jwks } from "~/features/certification/open-badge.server";
import { publicKeyPem } from "~/features/certification/signing.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const headers = {
    "Cache-Control": "public, max-age=3600",
    "Access-Control-Allow-Origin": "*",
    "X-Content-Type-Options": "nosniff",
  };
  if (new URL(request.url).searchParams.get("format") === "pem") {
    return new Response(publicKeyPem(), {
      headers: { ...headers, "Content-Type": "application/x-pem-file; charset=us-ascii" },
    });
  }
  return new Response(JSON.stringify(jwks()), { headers: { ...headers, "Content-Type": "application/jwk-set+json" } });
}
