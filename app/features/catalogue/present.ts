/**
 * Which attendance statuses count as "present" (docs/ARCHITECTURE.md, "Where each rule
 * lives"): `attendance.statuses` of the programmes in content/programme.yaml, never a list
 * spelled in code. Pure: pass it `content()`.
 */
import type { AttendanceStatus, WorkshopKind } from "~/db/schema";
import type { Programme } from "~/features/catalogue/content-schema";

/**
 * The statuses that count as present at a session of `kind`: those of every programme that
 * counts sessions of that kind (its `attendance.kind`), or the default programme's when none
 * does (a sosialisasi while only pelatihan count towards a certificate).
 */
export function presentStatuses(
  catalogue: { programmes: readonly Programme[]; defaultProgramme: Programme },
  kind: WorkshopKind,
): ReadonlySet<AttendanceStatus> {
  const counting = catalogue.programmes.filter((p) => p.attendance.kind === kind);
  return new Set((counting.length ? counting : [catalogue.defaultProgramme]).flatMap((p) => p.attendance.statuses));
}
