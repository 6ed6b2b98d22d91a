/**
 * /sertifikat/AP-XXXX-XXXX.pdf: the certificate PDF. A route param cannot carry a
 * suffix, so this resource route takes the whole "<code>.pdf" and parses it; anything
 * else is 404. The owner kader, or staff whose scope contains the kader, may download.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { renderCertificate } from "~/features/certification/pdf.server";
import { publicOrigin } from "~/lib/url";
import { env } from "~/env.server";
import { certificateForDownload } from "~/features/certification/certificates.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
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
