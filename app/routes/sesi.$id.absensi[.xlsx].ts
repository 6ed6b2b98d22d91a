import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { attendanceXlsx, fileName } from "~/features/workshops/exports.server";
import { participants } from "~/features/workshops/enrolment.server";
import { workshopIdParam } from "~/features/workshops/sessions.server";
import { requireRosterAccess } from "~/features/workshops/access.server";
import { sessionMeasures } from "~/features/learning/session-test.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const w = await requireRosterAccess(user, workshopIdParam(params));
  const rows = await participants(w.id);
  // Pre/post test and evaluation columns (issue 20), when the session has either.
  const measures = await sessionMeasures(w.id);
  return new Response(new Uint8Array(await attendanceXlsx(w, rows, measures)), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${fileName(w, "xlsx")}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
