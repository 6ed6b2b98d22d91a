import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { attendanceCsv, fileName } from "~/features/workshops/exports.server";
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
  return new Response(attendanceCsv(w, rows, measures), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName(w, "csv")}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
