/**
 * Guards of the pages that measure a session (pre/post test, evaluation, narasumber; issue 20):
 * a session outside the user's sight answers 404 (never says that it exists), a visible one
 * that the role may not manage answers 403, and a participant is someone enrolled in it or
 * recorded as present.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { SessionUser } from "~/auth.server";
import { db } from "~/db.server";
import { attendance, enrolments } from "~/db/schema";
import { getVisibleWorkshop, requireRosterAccess, requireSchedulable, type Workshop } from "./access.server";
import { notFound } from "~/lib/http";

/** getVisibleWorkshop, with "outside your region" as 404. */
export async function workshopOr404(user: SessionUser, id: number): Promise<Workshop> {
  try {
    return await getVisibleWorkshop(user, id);
  } catch (e) {
    if (e instanceof Response && e.status === 403) throw notFound("Kegiatan tidak ditemukan.");
    throw e;
  }
}

/** Roster access (session-roster): 404 outside the region, 403 for a role that may not. */
export async function rosterOr404(user: SessionUser, id: number): Promise<Workshop> {
  await workshopOr404(user, id);
  return requireRosterAccess(user, id);
}

/** Schedule access (session-schedule): 404 outside the region, 403 for a role that may not. */
export async function schedulableOr404(user: SessionUser, id: number): Promise<Workshop> {
  await workshopOr404(user, id);
  return requireSchedulable(user, id);
}

export interface Participation {
  enrolled: boolean;
  /** Recorded hadir or terlambat. */
  attended: boolean;
}

export const PRESENT = ["hadir", "terlambat"] as const;

/** Whether a person is enrolled in (not waitlisted, not cancelled) or attended a session. */
export async function participation(userId: string, workshopId: number): Promise<Participation> {
  const [e] = await db
    .select({ s: enrolments.status })
    .from(enrolments)
    .where(
      and(eq(enrolments.workshopId, workshopId), eq(enrolments.userId, userId), eq(enrolments.status, "enrolled")),
    );
  const [a] = await db
    .select({ s: attendance.status })
    .from(attendance)
    .where(
      and(
        eq(attendance.workshopId, workshopId),
        eq(attendance.userId, userId),
        inArray(attendance.status, [...PRESENT]),
      ),
    );
  return { enrolled: !!e, attended: !!a };
}
