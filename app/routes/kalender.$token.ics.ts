// Personal calendar feed: /kalender/<userId>.<signature>.ics, rewritten to /kalender/<token>/ics by
// app/lib/suffix-url.ts (no login: calendar apps cannot log in).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { db } from "~/db.server";
import { users } from "~/db/schema";
import { env } from "~/env.server";
import { notFound } from "~/lib/http";
import { publicOrigin } from "~/lib/url";
import { feedWorkshops, userIdFromFeedToken, workshopsIcs } from "~/features/workshops/exports.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const userId = userIdFromFeedToken(params.token ?? "");
  if (!userId) throw notFound("Kalender tidak ditemukan.");
  const [user] = await db
    .select({ id: users.id, role: users.role, scopeCode: users.scopeCode, active: users.active })
    .from(users)
    .where(eq(users.id, userId));
  if (!user?.active) throw notFound("Kalender tidak ditemukan.");
  const list = await feedWorkshops(user);
  return new Response(workshopsIcs(list, publicOrigin(env().APP_URL), "Akademi Posyandu"), {
    headers: { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, max-age=900" },
  });
}
