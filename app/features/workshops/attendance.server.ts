/**
 * Attendance by roster and walk-in; qualifying attendance assigns the follow-up modules
 * and evaluates certification.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { SessionUser } from "~/auth.server";
import { db, type Tx } from "~/db.server";
import {
  attendance,
  enrolments,
  moduleAssignments,
  users,
  type AttendanceMethod,
  type AttendanceStatus,
} from "~/db/schema";
import { forbidden } from "~/lib/http";
import { normalizePhone } from "~/lib/phone";
import { isWithinScope } from "~/lib/region";
import { content } from "~/features/catalogue/content.server";
import { presentStatuses } from "~/features/catalogue/present";
import type { Workshop } from "~/features/workshops/sessions.server";
import { requireRosterAccess } from "~/features/workshops/access.server";
import { audienceOf } from "~/features/workshops/rules";
import { participants } from "~/features/workshops/enrolment.server";
import { kaderInputsChanged } from "~/features/certification/evaluate.server";

export interface AttendanceEntry {
  userId: string;
  status: AttendanceStatus;
}

/**
 * Inside the attendance write's transaction: follow-up modules for those present at a
 * pelatihan, then kaderInputsChanged (attendance that counts may complete a kader's
 * certification; a failed evaluation is logged and never undoes the attendance).
 * Returns who counts as present.
 */
export async function afterAttendance(tx: Tx, w: Workshop, entries: AttendanceEntry[]): Promise<string[]> {
  // Present as the programme counts it (content/programme.yaml attendance.statuses).
  const present = presentStatuses(content(), w.kind);
  const qualifying = entries.filter((e) => present.has(e.status)).map((e) => e.userId);
  if (w.kind === "pelatihan" && w.moduleSlugs.length && qualifying.length) {
    const kader = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(inArray(users.id, qualifying), eq(users.role, "kader")));
    const values = kader.flatMap((k) =>
      w.moduleSlugs.map((slug) => ({ userId: k.id, slug, source: "workshop" as const, workshopId: w.id })),
    );
    if (values.length) await tx.insert(moduleAssignments).values(values).onConflictDoNothing();
  }
  await kaderInputsChanged(
    tx,
    entries.map((e) => e.userId),
  );
  return qualifying;
}

/**
 * Records roster attendance for people enrolled in (or already recorded at) the session.
 * Re-recording updates the status; each record keeps who recorded it and how.
 */
export async function recordAttendance(
  actor: SessionUser,
  workshopId: number,
  entries: AttendanceEntry[],
  method: AttendanceMethod = "roster",
): Promise<{ saved: number }> {
  const w = await requireRosterAccess(actor, workshopId);
  if (w.status === "cancelled") throw forbidden("Kegiatan ini dibatalkan; kehadiran tidak dapat dicatat.");
  if (w.status === "draft") throw forbidden("Kegiatan masih draf; umumkan dulu sebelum mencatat kehadiran.");
  if (!entries.length) return { saved: 0 };
  const ids = [...new Set(entries.map((e) => e.userId))];
  const known = new Set(
    (await participants(workshopId, { includeCancelled: true }))
      .filter((p) => p.enrolment === "enrolled" || p.attendance)
      .map((p) => p.userId),
  );
  const outside = ids.filter((id) => !known.has(id));
  if (outside.length)
    throw forbidden("Sebagian orang tidak terdaftar di kegiatan ini. Tambahkan sebagai peserta langsung (walk-in).");
  await db.transaction(async (tx) => {
    const now = new Date();
    // One statement for the whole roster; a person listed twice counts once (the last entry).
    const latest = [...new Map(entries.map((e) => [e.userId, e])).values()];
    for (let i = 0; i < latest.length; i += 1000) {
      await tx
        .insert(attendance)
        .values(
          latest
            .slice(i, i + 1000)
            .map((e) => ({ workshopId, userId: e.userId, status: e.status, method, recordedBy: actor.id, at: now })),
        )
        .onConflictDoUpdate({
          target: [attendance.workshopId, attendance.userId],
          set: {
            status: sql`excluded.status`,
            method: sql`excluded.method`,
            recordedBy: sql`excluded.recorded_by`,
            at: sql`excluded.at`,
          },
          setWhere: sql`${attendance.status} is distinct from excluded.status`,
        });
    }
    return afterAttendance(tx, w, latest);
  });
  return { saved: entries.length };
}

/** "Semua hadir": everyone enrolled who has no record yet becomes hadir. */
export async function markAllPresent(actor: SessionUser, workshopId: number): Promise<{ saved: number }> {
  const list = await participants(workshopId);
  const entries = list
    .filter((p) => p.enrolment === "enrolled" && !p.attendance)
    .map((p) => ({ userId: p.userId, status: "hadir" as const }));
  if (!entries.length) {
    await requireRosterAccess(actor, workshopId);
    return { saved: 0 };
  }
  return recordAttendance(actor, workshopId, entries, "roster");
}

export type WalkInResult = { ok: true; userId: string; name: string } | { ok: false; message: string };

/** A walk-in: someone of the audience inside the actor's scope, found by phone, enrolled and marked hadir. */
/** The one answer for a number the actor cannot use (unknown, inactive or outside their region). */
export const WALK_IN_UNKNOWN =
  "Nomor HP ini tidak ditemukan di wilayah Anda. Bila orangnya kader wilayah Anda, tambahkan dulu akunnya di menu Pengguna.";

export async function addWalkIn(
  actor: SessionUser,
  workshopId: number,
  phoneInput: string,
  status: AttendanceStatus = "hadir",
): Promise<WalkInResult> {
  const w = await requireRosterAccess(actor, workshopId);
  if (w.status !== "published" && w.status !== "completed")
    return { ok: false, message: "Kegiatan ini tidak sedang berjalan." };
  const phone = normalizePhone(phoneInput);
  if (!phone) return { ok: false, message: "Nomor HP tidak valid. Contoh: 0812 3456 7890." };
  const [u] = await db
    .select({ id: users.id, name: users.name, role: users.role, scopeCode: users.scopeCode, active: users.active })
    .from(users)
    .where(eq(users.phone, phone));
  // Not registered, inactive, or registered outside the actor's region: one answer, so the
  // form does not tell whether a number exists in a region the actor may not see.
  if (!u?.active || !isWithinScope(u.scopeCode, actor.scopeCode)) return { ok: false, message: WALK_IN_UNKNOWN };
  if (audienceOf(u.role) !== w.audience) return { ok: false, message: "Orang ini bukan sasaran kegiatan ini." };
  await db.transaction(async (tx) => {
    const now = new Date();
    await tx
      .insert(enrolments)
      .values({ workshopId, userId: u.id, status: "enrolled", at: now, enrolledBy: actor.id })
      .onConflictDoUpdate({ target: [enrolments.workshopId, enrolments.userId], set: { status: "enrolled" } });
    await tx
      .insert(attendance)
      .values({ workshopId, userId: u.id, status, method: "walkin", recordedBy: actor.id, at: now })
      .onConflictDoNothing();
    return afterAttendance(tx, w, [{ userId: u.id, status }]);
  });
  return { ok: true, userId: u.id, name: u.name };
}
