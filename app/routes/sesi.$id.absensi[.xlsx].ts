import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { attendanceXlsx, fileName } from "~/features/workshops/exports.server";
import { participants } from "~/features/workshops/enrolment.server";
import { workshopIdParam } from "~/features/workshops/sessions.server";
import { requireRosterAccess } from "~/features/workshops/access.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const w = await requireRosterAccess(user, workshopIdParam(params));
  const rows = await participants(w.id);
  return new Response(new Uint8Array(await attendanceXlsx(w, rows)), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${fileName(w, "xlsx")}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
