/**
 * Who sees which participants of a session on its participants page, and which areas the
 * enrolment picker offers (pure). "Inside" is always the region scope rule (`isWithinScope`:
 * the code itself or the code followed by "."), never a bare string prefix: docs/ARCHITECTURE.md,
 * "Where each rule lives".
 */
import type { EnrolmentStatus, RegionLevel } from "~/db/schema";
import { isWithinScope, levelOfCode } from "~/lib/region";

/** The fields of a participant row (`participants`, enrolment.server.ts) this rule reads. */
export interface ParticipantLike {
  userId: string;
  name: string;
  posyanduName: string | null;
  desaName: string;
  /** The person's own region (a kader's desa). */
  desaCode: string;
  enrolment: EnrolmentStatus | null;
}

export interface VisibleParticipant {
  userId: string;
  name: string;
  /** "Posyandu Melati 1, Senyiur". */
  place: string;
}

export interface ParticipantView {
  /** Everyone enrolled, wherever they come from (the session's seat count). */
  enrolledTotal: number;
  /** Enrolled or waitlisted people outside the viewer's region: shown as a count only. */
  othersHidden: number;
  enrolled: VisibleParticipant[];
  waitlisted: VisibleParticipant[];
}

const isActive = (e: EnrolmentStatus | null) => e === "enrolled" || e === "waitlisted";

/**
 * The participants a viewer of scope `viewerScope` sees by name: those whose region is inside
 * the viewer's scope. A kabupaten-wide session seen by a pembina kecamatan lists only the
 * people of her kecamatan; the rest are a count.
 */
export function participantView(list: readonly ParticipantLike[], viewerScope: string): ParticipantView {
  const mine = (p: ParticipantLike) => isWithinScope(p.desaCode, viewerScope);
  const shown = (status: EnrolmentStatus) =>
    list
      .filter((p) => p.enrolment === status && mine(p))
      .map((p) => ({ userId: p.userId, name: p.name, place: [p.posyanduName, p.desaName].filter(Boolean).join(", ") }));
  return {
    enrolledTotal: list.filter((p) => p.enrolment === "enrolled").length,
    othersHidden: list.filter((p) => isActive(p.enrolment) && !mine(p)).length,
    enrolled: shown("enrolled"),
    waitlisted: shown("waitlisted"),
  };
}

/**
 * The areas the enrolment picker offers, from those in the viewer's scope: the ones inside the
 * session's region and the ones that contain it (a desa session seen from a kecamatan scope).
 */
export function pickerRegions<R extends { code: string }>(regions: readonly R[], sessionRegion: string): R[] {
  return regions.filter((r) => isWithinScope(r.code, sessionRegion) || isWithinScope(sessionRegion, r.code));
}

const PICKABLE: readonly RegionLevel[] = ["kecamatan", "desa"];

/** The kecamatan or desa the picker starts on: the session's region when the viewer covers it, else her own area inside it. */
export function pickerStart(viewerScope: string, sessionRegion: string): string | undefined {
  const pickable = (code: string) => PICKABLE.includes(levelOfCode(code));
  if (isWithinScope(sessionRegion, viewerScope)) return pickable(sessionRegion) ? sessionRegion : undefined;
  if (isWithinScope(viewerScope, sessionRegion) && pickable(viewerScope)) return viewerScope;
  return undefined;
}
