/** Presentation of workshops for pages: labels and local times in the region's zone. */
import type { SessionUser } from "~/auth.server";
import type { WorkshopCardData } from "~/features/workshops/workshop-card";
import { isWithinScope } from "~/lib/region";
import { formatRange, zoneForRegion } from "~/lib/timezone";
import { KIND_LABEL, STATUS_LABEL } from "~/features/workshops/rules";
import type { WorkshopListItem } from "~/features/workshops/sessions.server";

export function toCard(user: SessionUser, w: WorkshopListItem, now = new Date()): WorkshopCardData {
  const zone = zoneForRegion(w.regionCode);
  const canSelfEnrol =
    w.status === "published" &&
    w.endsAt > now &&
    (w.myEnrolment === null || w.myEnrolment === "cancelled") &&
    ((user.role === "kader" && w.audience === "kader") || (user.role.startsWith("pembina") && w.audience === "pembina" && w.regionCode !== user.scopeCode)) &&
    isWithinScope(user.scopeCode, w.regionCode);
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
    canSelfEnrol,
  };
}
