/**
 * QR and code self check-in: the token or code is checked (app/features/workshops/check-in.ts),
 * then attendance is recorded as hadir or terlambat by the moment of the scan.
 */
import { createHash } from "node:crypto";
import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { SessionUser } from "~/auth.server";
import { db } from "~/db.server";
import { attendance, enrolments, workshops, type AttendanceStatus } from "~/db/schema";
import { env } from "~/env.server";
import {
  checkinOpen,
  checkinStatus,
  verifyCheckinCode,
  verifyCheckinToken,
  verifyScanTicket,
} from "~/features/workshops/check-in";
import { codeLineage, isWithinScope } from "~/lib/region";
import type { Workshop } from "~/features/workshops/sessions.server";
import { getWorkshop } from "~/features/workshops/access.server";
import { audienceOf } from "~/features/workshops/rules";
import { afterAttendance } from "~/features/workshops/attendance.server";
import { hitRateLimit } from "~/rate-limit.server";

// ---------------------------------------------------------------- QR / code self check-in

export type CheckinResult =
  | { ok: true; status: "hadir" | "terlambat"; workshopId: number; title: string; already: false }
  | { ok: true; status: AttendanceStatus; workshopId: number; title: string; already: true; at: Date }
  | { ok: false; message: string };

async function checkInTo(user: SessionUser, w: Workshop, method: "qr" | "kode", now: Date): Promise<CheckinResult> {
  if (w.status === "cancelled") return { ok: false, message: "Kegiatan ini dibatalkan." };
  if (w.status === "draft") return { ok: false, message: "Kegiatan ini belum dibuka." };
  if (!checkinOpen(w.startsAt, w.endsAt, now))
    return { ok: false, message: "Absen mandiri hanya dapat dilakukan selama kegiatan berlangsung." };
  if (audienceOf(user.role) !== w.audience || !isWithinScope(user.scopeCode, w.regionCode)) {
    return { ok: false, message: "Kegiatan ini bukan untuk peran atau wilayah Anda." };
  }
  const status = checkinStatus(w.startsAt, w.graceMinutes, now);
  const result = await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(attendance)
      .values({ workshopId: w.id, userId: user.id, status, method, recordedBy: user.id, at: now })
      .onConflictDoNothing()
      .returning({ userId: attendance.userId });
    if (!inserted.length) {
      const [prev] = await tx
        .select({ status: attendance.status, at: attendance.at })
        .from(attendance)
        .where(and(eq(attendance.workshopId, w.id), eq(attendance.userId, user.id)));
      return { already: true as const, prev };
    }
    // A kader who scans in without an enrolment is added as a participant.
    await tx
      .insert(enrolments)
      .values({ workshopId: w.id, userId: user.id, status: "enrolled", at: now, enrolledBy: user.id })
      .onConflictDoUpdate({
        target: [enrolments.workshopId, enrolments.userId],
        set: { status: "enrolled" },
        setWhere: sql`${enrolments.status} <> 'enrolled'`,
      });
    const qualifying = await afterAttendance(tx, w, [{ userId: user.id, status }]);
    return { already: false as const, qualifying };
  });
  if (result.already)
    return {
      ok: true,
      status: result.prev.status,
      workshopId: w.id,
      title: w.title,
      already: true,
      at: result.prev.at,
    };
  return { ok: true, status, workshopId: w.id, title: w.title, already: false };
}

/**
 * QR check-in. `ticket` (from scanTicket) records when the QR was scanned: the token is
 * checked against that moment, and hadir/terlambat follows the scan time, not the time
 * the kader finished logging in. A ticket works only with the scan cookie of the browser
 * that scanned (`nonce`), and records one check-in: a second kader on the same phone (or
 * anyone holding the link and the cookie) is refused once it has been used; its own holder
 * is told her check-in is already recorded.
 */
export async function checkInWithToken(
  user: SessionUser,
  token: string,
  ticket: string | null,
  nonce: string | null,
  now = new Date(),
): Promise<CheckinResult> {
  const secret = env().SESSION_SECRET;
  let at = now;
  if (ticket) {
    const scan = verifyScanTicket(secret, token, ticket, now, nonce);
    if (!scan.ok)
      return {
        ok: false,
        message:
          scan.reason === "expired"
            ? "Waktu pindai sudah lewat 15 menit. Pindai lagi kode QR yang sedang tampil di layar."
            : "Tautan absen ini hanya berlaku di ponsel yang memindai kode QR. Pindai kode QR yang sedang tampil di layar.",
      };
    at = scan.scannedAt;
  }
  const check = verifyCheckinToken(secret, token, at);
  if (!check.ok) {
    return {
      ok: false,
      message:
        check.reason === "format"
          ? "Kode QR tidak dikenali."
          : "Kode QR sudah kedaluwarsa. Pindai lagi kode QR yang sedang tampil di layar.",
    };
  }
  const w = await getWorkshop(check.workshopId);
  if (!w) return { ok: false, message: "Kode QR tidak dikenali." };
  if (ticket) {
    const [prev] = await db
      .select({ status: attendance.status, at: attendance.at })
      .from(attendance)
      .where(and(eq(attendance.workshopId, w.id), eq(attendance.userId, user.id)));
    if (prev) return { ok: true, status: prev.status, workshopId: w.id, title: w.title, already: true, at: prev.at };
    // One check-in per ticket: the first use claims it (atomically, in the shared counters).
    const claim = await hitRateLimit(`pindai:${createHash("sha256").update(ticket).digest("hex").slice(0, 32)}`, 3600);
    if (claim.count > 1)
      return {
        ok: false,
        message: "Tautan absen ini sudah dipakai. Pindai lagi kode QR yang sedang tampil di layar.",
      };
  }
  return checkInTo(user, w, "qr", at);
}

/** The typed 6-digit code: checked against the sessions open now that this user may attend. */
export async function checkInWithCode(user: SessionUser, code: string, now = new Date()): Promise<CheckinResult> {
  if (!/^\d{6}$/.test(code.replace(/\s/g, ""))) return { ok: false, message: "Kode terdiri dari 6 angka." };
  const audience = audienceOf(user.role);
  if (!audience) return { ok: false, message: "Absen mandiri hanya untuk peserta." };
  const open = await db
    .select()
    .from(workshops)
    .where(
      and(
        inArray(workshops.regionCode, codeLineage(user.scopeCode)),
        eq(workshops.audience, audience),
        inArray(workshops.status, ["published", "cancelled"]),
        lt(workshops.startsAt, new Date(now.getTime() + 30 * 60_000)),
        gte(workshops.endsAt, now),
      ),
    );
  const secret = env().SESSION_SECRET;
  const match = open.find((w) => verifyCheckinCode(secret, w.id, code, now));
  if (!match) return { ok: false, message: "Kode salah atau sudah berganti. Lihat kode terbaru di layar." };
  return checkInTo(user, match, "kode", now);
}

/** The :id route param as a workshop id, or 404. */
