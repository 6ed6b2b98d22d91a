/**
 * Who may see and manage a session (workshop): the visibility rule and the guards every
 * workshops module and route uses. Below sessions.server.ts and enrolment.server.ts, which
 * both need it (it used to sit in sessions.server.ts, and the two imported each other).
 */
import { and, eq, inArray, ne, or, sql } from "drizzle-orm";
import type { SessionUser } from "~/auth.server";
import { db } from "~/db.server";
import { enrolments, workshops } from "~/db/schema";
import { withinScope } from "~/db/scope";
import { audienceOf, canSchedule, canTakeAttendance, ROSTER_ROLES } from "~/features/workshops/rules";
import { forbidden, notFound } from "~/lib/http";
import { codeLineage } from "~/lib/region";

export type Workshop = typeof workshops.$inferSelect;

// ---------------------------------------------------------------- access

/**
 * Who sees a session: those who manage its region; pembina below it once it is
 * published (to enrol their people); people of the audience living inside its region
 * once it is published; anyone enrolled in it.
 */
export function visibleWhere(user: SessionUser) {
  const audience = audienceOf(user.role);
  const ancestors = codeLineage(user.scopeCode);
  const roster = ROSTER_ROLES.includes(user.role);
  return or(
    roster ? withinScope(workshops.regionCode, user.scopeCode) : undefined,
    roster ? and(inArray(workshops.regionCode, ancestors), ne(workshops.status, "draft")) : undefined,
    audience
      ? and(eq(workshops.audience, audience), inArray(workshops.regionCode, ancestors), ne(workshops.status, "draft"))
      : undefined,
    sql`exists (select 1 from ${enrolments} e where e.workshop_id = ${workshops.id} and e.user_id = ${user.id})`,
  )!;
}

export async function getWorkshop(id: number): Promise<Workshop | undefined> {
  const [row] = await db.select().from(workshops).where(eq(workshops.id, id));
  return row;
}

/** The session, or 404 when unknown and 403 when the user may not see it. */
export async function getVisibleWorkshop(user: SessionUser, id: number): Promise<Workshop> {
  const w = await getWorkshop(id);
  if (!w) throw notFound("Kegiatan tidak ditemukan.");
  const [visible] = await db
    .select({ id: workshops.id })
    .from(workshops)
    .where(and(eq(workshops.id, id), visibleWhere(user)));
  if (!visible) throw forbidden("Kegiatan ini berada di luar wilayah Anda.");
  return w;
}

export async function requireSchedulable(user: SessionUser, id: number): Promise<Workshop> {
  const w = await getVisibleWorkshop(user, id);
  if (!canSchedule(user, w)) throw forbidden("Anda tidak berhak mengubah kegiatan ini.");
  return w;
}

export async function requireRosterAccess(user: SessionUser, id: number): Promise<Workshop> {
  const w = await getVisibleWorkshop(user, id);
  if (!canTakeAttendance(user, w)) throw forbidden("Anda tidak berhak mencatat kehadiran kegiatan ini.");
  return w;
}
