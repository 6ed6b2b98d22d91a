/**
 * /sertifikat/AP-XXXX-XXXX.pdf: the certificate PDF (and .jwt: its Open Badges 3.0 credential). A route param cannot carry a
 * suffix, so this resource route takes the whole "<code>.pdf" and parses it; anything
 * else is 404. The owner kader, or staff whose scope contains the kader, may download.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { renderCertificate } from "~/features/certification/pdf.server";
import { env } from "~/env.server";
import { openBadgeJwt } from "~/features/certification/open-badge.server";
import { publicOrigin } from "~/lib/url";
import { certificateForDownload } from "~/features/certification/certificates.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (params.file?.endsWith(".jwt")) {
    // The Open Badges 3.0 credential (VC-JWT) of the certificate.
    const cert = await certificateForDownload(user, params.file, "jwt");
    const jwt = await openBadgeJwt(cert, publicOrigin(env().APP_URL));
    return new Response(jwt, {
      headers: {
        "Content-Type": "application/jwt; charset=us-ascii",
        "Content-Disposition": `attachment; filename="sertifikat-${cert.code}.jwt"`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  }
  const cert = await certificateForDownload(user, params.file);
  const { pdf } = await renderCertificate(cert, publicOrigin(env().APP_URL));
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="sertifikat-${cert.code}.pdf"`,
      "Content-Length": String(pdf.length),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
