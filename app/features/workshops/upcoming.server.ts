/** A kader's own upcoming sessions (enrolled or waitlisted, published, not yet ended), for the home page. */
import { and, eq, gte, inArray } from "drizzle-orm";
import { db } from "~/db.server";
import { enrolments, regions, workshops } from "~/db/schema";
import { KIND_LABEL } from "~/features/workshops/rules";
import { formatRange, zoneForRegion } from "~/lib/timezone";

export interface UpcomingSession {
  id: number;
  title: string;
  kind: string;
  kindLabel: string;
  when: string;
  venue: string;
  place: string;
  waitlisted: boolean;
}

export async function upcomingSessions(userId: string, now = new Date(), limit = 5): Promise<UpcomingSession[]> {
  const rows = await db
    .select({
      id: workshops.id,
      title: workshops.title,
      kind: workshops.kind,
      startsAt: workshops.startsAt,
      endsAt: workshops.endsAt,
      venue: workshops.venue,
      regionCode: workshops.regionCode,
      regionName: regions.name,
      status: enrolments.status,
    })
    .from(enrolments)
    .innerJoin(workshops, eq(workshops.id, enrolments.workshopId))
    .innerJoin(regions, eq(regions.code, workshops.regionCode))
    .where(
      and(
        eq(enrolments.userId, userId),
        inArray(enrolments.status, ["enrolled", "waitlisted"]),
        eq(workshops.status, "published"),
        gte(workshops.endsAt, now),
      ),
    )
    .orderBy(workshops.startsAt)
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    kind: r.kind,
    kindLabel: KIND_LABEL[r.kind],
    when: formatRange(r.startsAt, r.endsAt, zoneForRegion(r.regionCode)),
    venue: r.venue,
    place: r.regionName,
    waitlisted: r.status === "waitlisted",
  }));
}
