/**
 * /sertifikat/AP-XXXX-XXXX.pdf (rewritten to /sertifikat/AP-XXXX-XXXX/pdf by the one
 * suffix-URL table, app/lib/suffix-url.ts): the certificate PDF. The owner kader, or staff
 * whose scope contains the kader, may download.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { env } from "~/env.server";
import { certificateForDownload } from "~/features/certification/certificates.server";
import { renderCertificate } from "~/features/certification/pdf.server";
import { publicOrigin } from "~/lib/url";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const cert = await certificateForDownload(user, params.code);
  const { pdf } = await renderCertificate(cert, publicOrigin(env().APP_URL));
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="sertifikat-${cert.code}.pdf"`,
      "Content-Length": String(pdf.length),
      "Cache-Control": "private, no-store",
    },
  });
}
