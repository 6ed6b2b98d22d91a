/** Presentation of workshops for pages: labels and local times in the region's zone. */
import type { SessionUser } from "~/auth.server";
import type { WorkshopCardData } from "~/features/workshops/types";
import { formatRange, zoneForRegion } from "~/lib/timezone";
import { KIND_LABEL, selfEnrolProblem, STATUS_LABEL } from "~/features/workshops/rules";
import type { WorkshopListItem } from "~/features/workshops/sessions.server";

export function toCard(user: SessionUser, w: WorkshopListItem, now = new Date()): WorkshopCardData {
  const zone = zoneForRegion(w.regionCode);
  return {
    id: w.id,
    title: w.title,
    kindLabel: KIND_LABEL[w.kind],
    statusLabel: STATUS_LABEL[w.status],
    status: w.status,
    when: formatRange(w.startsAt, w.endsAt, zone),
    venue: w.venue,
    regionName: w.regionName,
    enrolled: w.enrolled,
    waitlisted: w.waitlisted,
    capacity: w.capacity,
    myEnrolment: w.myEnrolment,
    canSelfEnrol: selfEnrolProblem(user, w, w.myEnrolment, now) === null,
  };
}
