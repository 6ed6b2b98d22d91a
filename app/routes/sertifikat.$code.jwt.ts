/**
 * /sertifikat/AP-XXXX-XXXX.jwt (rewritten to /sertifikat/AP-XXXX-XXXX/jwt, app/lib/suffix-url.ts):
 * the certificate's Open Badges 3.0 credential (VC-JWT), with the same access rules as the PDF.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { env } from "~/env.server";
import { certificateForDownload } from "~/features/certification/certificates.server";
import { openBadgeJwt } from "~/features/certification/open-badge.server";
import { publicOrigin } from "~/lib/url";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const cert = await certificateForDownload(user, params.code);
  const jwt = await openBadgeJwt(cert, publicOrigin(env().APP_URL));
  return new Response(jwt, {
    headers: {
      "Content-Type": "application/jwt; charset=us-ascii",
      "Content-Disposition": `attachment; filename="sertifikat-${cert.code}.jwt"`,
      "Cache-Control": "private, no-store",
    },
  });
}
