// /sesi/:id.ics (server.js maps it here, since a route param cannot carry a suffix).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth.server";
import { env } from "~/env.server";
import { publicOrigin } from "~/lib/url";
import { workshopsIcs } from "~/features/workshops/exports.server";
import { workshopIdParam } from "~/features/workshops/sessions.server";
import { getVisibleWorkshop } from "~/features/workshops/access.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const w = await getVisibleWorkshop(user, workshopIdParam(params));
  const body = workshopsIcs([w], publicOrigin(env().APP_URL), "Akademi Posyandu");
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="kegiatan-${w.id}.ics"`,
      "Cache-Control": "private, no-store",
    },
  });
}
