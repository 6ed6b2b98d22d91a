import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { daftarHadirPdf, fileName } from "~/features/workshops/exports.server";
import { participants } from "~/features/workshops/enrolment.server";
import { workshopIdParam } from "~/features/workshops/sessions.server";
import { requireRosterAccess } from "~/features/workshops/access.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const w = await requireRosterAccess(user, workshopIdParam(params));
  const rows = (await participants(w.id)).filter((p) => p.enrolment === "enrolled" || p.attendance);
  const pdf = await daftarHadirPdf(w, rows);
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${fileName(w, "pdf").replace("absensi-", "daftar-hadir-")}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
