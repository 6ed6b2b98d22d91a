/**
 * Workshops (sosialisasi, pelatihan, pendampingan): scheduling, visibility by role and
 * region, enrolment with capacity and an ordered waitlist, attendance by roster, walk-in
 * and QR/code self check-in, and follow-up module assignment.
 */
import { and, asc, desc, eq, gte, inArray, lt, ne, or, sql } from "drizzle-orm";
import { audit } from "~/audit.server";
import type { SessionUser } from "~/auth.server";
import { content } from "~/features/learning/content.server";
import { db, type Tx } from "~/db.server";
import {
  attendance,
  enrolments,
  moduleAssignments,
  posyandu,
  regions,
  users,
  workshops,
  type AttendanceMethod,
  type AttendanceStatus,
  type Role,
  type WorkshopStatus,
} from "~/db/schema";
import { env } from "~/env.server";
import { checkinOpen, checkinStatus, verifyCheckinCode, verifyCheckinToken, verifyScanTicket } from "~/features/workshops/check-in";
import { forbidden, notFound } from "~/lib/http";
import { normalizePhone } from "~/lib/phone";
import { parseIntId } from "~/lib/query";
import { codeLineage, isWithinScope } from "~/lib/region";
import { PEMBINA_ROLES } from "~/lib/roles";
import { ALLOWED_TRANSITIONS, STATUS_LABEL, type WorkshopForm } from "~/features/workshops/rules";
import { rowsOf } from "~/rate-limit.server";
import { withinScope } from "~/features/regions/regions.server";
import { refreshKaderProgress } from "~/features/reporting/reports.server";

/** Keeps the dashboard inputs of everyone in a session exact (same transaction). */
async function refreshParticipants(tx: Tx, workshopId: number): Promise<void> {
  const rows = rowsOf<{ user_id: string }>(
    await tx.execute(sql`select user_id from enrolments where workshop_id = ${workshopId} union select user_id from attendance where workshop_id = ${workshopId}`),
  );
  await refreshKaderProgress(rows.map((r) => r.user_id), tx);
}

export const SCHEDULER_ROLES: readonly Role[] = ["pembina_kabupaten", "pembina_kecamatan", "dpmd", "admin"];
export const ROSTER_ROLES: readonly Role[] = ["pembina_desa", ...SCHEDULER_ROLES];

export type Workshop = typeof workshops.$inferSelect;

/** Hooks run after attendance that counts for certification (wired by the certification module). */
type AttendanceHook = (userIds: string[]) => Promise<void>;
const attendanceHooks: AttendanceHook[] = [];
export function onQualifyingAttendance(hook: AttendanceHook): void {
  attendanceHooks.push(hook);
}

// ---------------------------------------------------------------- access

export function canSchedule(user: Pick<SessionUser, "role" | "scopeCode">, w: Pick<Workshop, "regionCode">): boolean {
  return SCHEDULER_ROLES.includes(user.role) && isWithinScope(w.regionCode, user.scopeCode);
}

/** Roster and attendance: schedulers and pembina desa, for sessions inside their scope. */
export function canTakeAttendance(user: Pick<SessionUser, "role" | "scopeCode">, w: Pick<Workshop, "regionCode">): boolean {
  return ROSTER_ROLES.includes(user.role) && isWithinScope(w.regionCode, user.scopeCode);
}

/** Pembina may enrol people of their own area into sessions of their area or above it. */
export function canEnrolInto(user: Pick<SessionUser, "role" | "scopeCode">, w: Pick<Workshop, "regionCode" | "status">): boolean {
  if (!ROSTER_ROLES.includes(user.role) || w.status === "cancelled" || w.status === "completed") return false;
  return isWithinScope(w.regionCode, user.scopeCode) || isWithinScope(user.scopeCode, w.regionCode);
}

function audienceOf(role: Role): "kader" | "pembina" | null {
  if (role === "kader") return "kader";
  if (PEMBINA_ROLES.includes(role)) return "pembina";
  return null;
}

/**
 * Who sees a session: those who manage its region; pembina below it once it is
 * published (to enrol their people); people of the audience living inside its region
 * once it is published; anyone enrolled in it.
 */
function visibleWhere(user: SessionUser) {
  const audience = audienceOf(user.role);
  const ancestors = codeLineage(user.scopeCode);
  const roster = ROSTER_ROLES.includes(user.role);
  return or(
    roster ? withinScope(workshops.regionCode, user.scopeCode) : undefined,
    roster ? and(inArray(workshops.regionCode, ancestors), ne(workshops.status, "draft")) : undefined,
    audience ? and(eq(workshops.audience, audience), inArray(workshops.regionCode, ancestors), ne(workshops.status, "draft")) : undefined,
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
  const [visible] = await db.select({ id: workshops.id }).from(workshops).where(and(eq(workshops.id, id), visibleWhere(user)));
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

// ---------------------------------------------------------------- listing

export interface WorkshopListItem {
  id: number;
  title: string;
  kind: Workshop["kind"];
  audience: Workshop["audience"];
  regionCode: string;
  regionName: string;
  venue: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  status: WorkshopStatus;
  enrolled: number;
  waitlisted: number;
  myEnrolment: "enrolled" | "waitlisted" | "cancelled" | null;
}

export async function listWorkshops(
  user: SessionUser,
  opts: { from?: Date; to?: Date; past?: boolean; limit?: number; offset?: number },
): Promise<WorkshopListItem[]> {
  const now = new Date();
  const rows = await db
    .select({
      id: workshops.id,
      title: workshops.title,
      kind: workshops.kind,
      audience: workshops.audience,
      regionCode: workshops.regionCode,
      regionName: regions.name,
      venue: workshops.venue,
      startsAt: workshops.startsAt,
      endsAt: workshops.endsAt,
      capacity: workshops.capacity,
      status: workshops.status,
      enrolled: sql<number>`(select count(*)::int from enrolments e where e.workshop_id = ${workshops.id} and e.status = 'enrolled')`,
      waitlisted: sql<number>`(select count(*)::int from enrolments e where e.workshop_id = ${workshops.id} and e.status = 'waitlisted')`,
      myEnrolment: sql<WorkshopListItem["myEnrolment"]>`(select e.status from enrolments e where e.workshop_id = ${workshops.id} and e.user_id = ${user.id})`,
    })
    .from(workshops)
    .innerJoin(regions, eq(regions.code, workshops.regionCode))
    .where(
      and(
        visibleWhere(user),
        opts.from ? gte(workshops.endsAt, opts.from) : undefined,
        opts.to ? lt(workshops.startsAt, opts.to) : undefined,
        opts.past === true ? lt(workshops.endsAt, now) : opts.past === false ? gte(workshops.endsAt, now) : undefined,
      ),
    )
    .orderBy(opts.past ? desc(workshops.startsAt) : asc(workshops.startsAt))
    .limit(opts.limit ?? 100)
    .offset(opts.offset ?? 0);
  return rows.map((r) => ({ ...r, enrolled: Number(r.enrolled), waitlisted: Number(r.waitlisted) }));
}

// ---------------------------------------------------------------- scheduling

type SaveResult = { ok: true; id: number } | { ok: false; errors: Record<string, string> };

function unknownModules(slugs: string[]): string[] {
  const known = content().bySlug;
  return slugs.filter((s) => !known.has(s));
}

export async function createWorkshop(actor: SessionUser, form: WorkshopForm): Promise<SaveResult> {
  if (!SCHEDULER_ROLES.includes(actor.role)) throw forbidden("Peran Anda tidak dapat menjadwalkan kegiatan.");
  if (!isWithinScope(form.regionCode, actor.scopeCode)) throw forbidden("Wilayah ini berada di luar wilayah tugas Anda.");
  const bad = unknownModules(form.moduleSlugs);
  if (bad.length) return { ok: false, errors: { moduleSlugs: `Modul tidak dikenal: ${bad.join(", ")}.` } };
  const [region] = await db.select({ code: regions.code }).from(regions).where(eq(regions.code, form.regionCode));
  if (!region) return { ok: false, errors: { regionCode: "Wilayah tidak ditemukan." } };
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(workshops)
      .values({ ...form, createdBy: actor.id, status: "draft" })
      .returning({ id: workshops.id });
    await audit({ actorId: actor.id, action: "workshop.create", entity: "workshop", entityId: row.id, regionCode: form.regionCode, detail: { title: form.title, kind: form.kind } }, tx);
    return row.id;
  });
  return { ok: true, id };
}

export async function updateWorkshop(actor: SessionUser, id: number, form: WorkshopForm): Promise<SaveResult> {
  const before = await requireSchedulable(actor, id);
  if (before.status === "cancelled" || before.status === "completed") {
    return { ok: false, errors: { form: `Kegiatan yang sudah ${STATUS_LABEL[before.status].toLowerCase()} tidak dapat diubah.` } };
  }
  if (!isWithinScope(form.regionCode, actor.scopeCode)) throw forbidden("Wilayah ini berada di luar wilayah tugas Anda.");
  const bad = unknownModules(form.moduleSlugs);
  if (bad.length) return { ok: false, errors: { moduleSlugs: `Modul tidak dikenal: ${bad.join(", ")}.` } };
  return db.transaction(async (tx) => {
    await lockWorkshop(tx, id);
    const enrolled = await countEnrolled(tx, id);
    if (form.capacity < enrolled) {
      return { ok: false as const, errors: { capacity: `Kapasitas tidak boleh kurang dari jumlah peserta terdaftar (${enrolled} orang).` } };
    }
    await tx
      .update(workshops)
      .set({ ...form, updatedAt: new Date() })
      .where(eq(workshops.id, id));
    await promoteWaitlist(tx, id, form.capacity);
    await refreshParticipants(tx, id);
    await audit(
      {
        actorId: actor.id,
        action: "workshop.update",
        entity: "workshop",
        entityId: id,
        regionCode: form.regionCode,
        detail: { before: { title: before.title, startsAt: before.startsAt, endsAt: before.endsAt, capacity: before.capacity, venue: before.venue }, after: form },
      },
      tx,
    );
    return { ok: true as const, id };
  });
}

export async function transitionWorkshop(
  actor: SessionUser,
  id: number,
  to: WorkshopStatus,
  reason?: string,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const w = await requireSchedulable(actor, id);
  if (w.status === to) return { ok: true }; // double submit
  if (!ALLOWED_TRANSITIONS[w.status].includes(to)) {
    return { ok: false, message: `Kegiatan berstatus ${STATUS_LABEL[w.status].toLowerCase()} tidak dapat diubah menjadi ${STATUS_LABEL[to].toLowerCase()}.` };
  }
  if (to === "cancelled" && (!reason || reason.trim().length < 5)) return { ok: false, message: "Tuliskan alasan pembatalan (minimal 5 karakter)." };
  if (to === "completed" && w.startsAt > new Date()) return { ok: false, message: "Kegiatan belum dimulai, belum dapat ditandai selesai." };
  const updated = await db.transaction(async (tx) => {
    const rows = await tx
      .update(workshops)
      .set({ status: to, cancelledReason: to === "cancelled" ? reason!.trim() : w.cancelledReason, updatedAt: new Date() })
      .where(and(eq(workshops.id, id), eq(workshops.status, w.status)))
      .returning({ id: workshops.id });
    if (rows.length) {
      await refreshParticipants(tx, id);
      await audit({ actorId: actor.id, action: `workshop.${to}`, entity: "workshop", entityId: id, regionCode: w.regionCode, detail: { from: w.status, to, reason } }, tx);
    }
    return rows.length > 0;
  });
  return updated ? { ok: true } : { ok: false, message: "Status kegiatan baru saja diubah orang lain. Muat ulang halaman." };
}

// ---------------------------------------------------------------- enrolment

async function lockWorkshop(tx: Tx, id: number): Promise<Workshop> {
  const [w] = await tx.select().from(workshops).where(eq(workshops.id, id)).for("update");
  if (!w) throw notFound("Kegiatan tidak ditemukan.");
  return w;
}

async function countEnrolled(tx: Tx, id: number): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(enrolments)
    .where(and(eq(enrolments.workshopId, id), eq(enrolments.status, "enrolled")));
  return Number(row.n);
}

/** Moves the earliest waitlisted people up while seats are free. */
async function promoteWaitlist(tx: Tx, id: number, capacity: number): Promise<string[]> {
  const free = capacity - (await countEnrolled(tx, id));
  if (free <= 0) return [];
  const next = await tx
    .select({ userId: enrolments.userId })
    .from(enrolments)
    .where(and(eq(enrolments.workshopId, id), eq(enrolments.status, "waitlisted")))
    .orderBy(asc(enrolments.at), asc(enrolments.userId))
    .limit(free);
  if (!next.length) return [];
  const ids = next.map((n) => n.userId);
  await tx
    .update(enrolments)
    .set({ status: "enrolled", at: new Date() })
    .where(and(eq(enrolments.workshopId, id), inArray(enrolments.userId, ids)));
  return ids;
}

export interface EnrolResult {
  enrolled: number;
  waitlisted: number;
  unchanged: number;
}

/**
 * Enrols people in one transaction with the session row locked, so parallel requests
 * never overbook: seats go in order, the rest join the waitlist.
 */
async function enrolLocked(tx: Tx, w: Workshop, userIds: string[], actorId: string): Promise<EnrolResult> {
  const existing = new Map(
    (
      await tx
        .select({ userId: enrolments.userId, status: enrolments.status })
        .from(enrolments)
        .where(and(eq(enrolments.workshopId, w.id), inArray(enrolments.userId, userIds)))
    ).map((e) => [e.userId, e.status]),
  );
  let free = w.capacity - (await countEnrolled(tx, w.id));
  const result: EnrolResult = { enrolled: 0, waitlisted: 0, unchanged: 0 };
  const now = new Date();
  for (const userId of userIds) {
    const status = existing.get(userId);
    if (status === "enrolled" || status === "waitlisted") {
      result.unchanged++;
      continue;
    }
    const next = free > 0 ? "enrolled" : "waitlisted";
    if (next === "enrolled") free--;
    result[next]++;
    await tx
      .insert(enrolments)
      .values({ workshopId: w.id, userId, status: next, at: now, enrolledBy: actorId })
      .onConflictDoUpdate({ target: [enrolments.workshopId, enrolments.userId], set: { status: next, at: now, enrolledBy: actorId } });
  }
  await refreshKaderProgress(userIds, tx);
  return result;
}

/** People a pembina may enrol: inside the actor's scope and the session's region, of the session's audience. */
async function eligibleUsers(actor: SessionUser, w: Workshop, userIds: string[]): Promise<{ ok: string[]; rejected: number }> {
  if (!userIds.length) return { ok: [], rejected: 0 };
  const rows = await db
    .select({ id: users.id, role: users.role, scopeCode: users.scopeCode, active: users.active })
    .from(users)
    .where(inArray(users.id, userIds));
  const ok = rows
    .filter(
      (u) =>
        u.active &&
        audienceOf(u.role) === w.audience &&
        isWithinScope(u.scopeCode, actor.scopeCode) &&
        (isWithinScope(u.scopeCode, w.regionCode) || isWithinScope(w.regionCode, u.scopeCode)),
    )
    .map((u) => u.id);
  return { ok, rejected: userIds.length - ok.length };
}

export async function enrolUsers(actor: SessionUser, workshopId: number, userIds: string[]): Promise<EnrolResult> {
  const w = await getVisibleWorkshop(actor, workshopId);
  if (!canEnrolInto(actor, w)) throw forbidden("Anda tidak berhak mendaftarkan peserta ke kegiatan ini.");
  const unique = [...new Set(userIds)];
  const { ok, rejected } = await eligibleUsers(actor, w, unique);
  if (rejected) throw forbidden(`${rejected} orang berada di luar wilayah Anda atau bukan sasaran kegiatan ini. Tidak ada yang didaftarkan.`);
  return db.transaction(async (tx) => {
    const locked = await lockWorkshop(tx, workshopId);
    return enrolLocked(tx, locked, ok, actor.id);
  });
}

export type SelfEnrolResult = { ok: true; status: "enrolled" | "waitlisted" } | { ok: false; message: string };

/** A kader enrols in a published session open to their area. */
export async function selfEnrol(user: SessionUser, workshopId: number): Promise<SelfEnrolResult> {
  const w = await getVisibleWorkshop(user, workshopId);
  if (w.status !== "published") return { ok: false, message: "Pendaftaran hanya untuk kegiatan yang sedang dibuka." };
  if (w.endsAt < new Date()) return { ok: false, message: "Kegiatan ini sudah berakhir." };
  if (audienceOf(user.role) !== w.audience || !isWithinScope(user.scopeCode, w.regionCode)) {
    return { ok: false, message: "Kegiatan ini bukan untuk peran atau wilayah Anda." };
  }
  return db.transaction(async (tx) => {
    const locked = await lockWorkshop(tx, workshopId);
    await enrolLocked(tx, locked, [user.id], user.id);
    const [row] = await tx
      .select({ status: enrolments.status })
      .from(enrolments)
      .where(and(eq(enrolments.workshopId, workshopId), eq(enrolments.userId, user.id)));
    return { ok: true as const, status: row.status as "enrolled" | "waitlisted" };
  });
}

/** Cancels an enrolment (own, or by a pembina in scope); the first on the waitlist moves up. */
export async function cancelEnrolment(actor: SessionUser, workshopId: number, userId: string): Promise<{ promoted: string[] }> {
  const w = await getVisibleWorkshop(actor, workshopId);
  if (userId !== actor.id) {
    if (!canEnrolInto(actor, w)) throw forbidden("Anda tidak berhak membatalkan pendaftaran ini.");
    const [target] = await db.select({ scopeCode: users.scopeCode }).from(users).where(eq(users.id, userId));
    if (!target || !isWithinScope(target.scopeCode, actor.scopeCode)) throw forbidden("Peserta ini berada di luar wilayah Anda.");
  }
  return db.transaction(async (tx) => {
    const locked = await lockWorkshop(tx, workshopId);
    const rows = await tx
      .update(enrolments)
      .set({ status: "cancelled", at: new Date() })
      .where(and(eq(enrolments.workshopId, workshopId), eq(enrolments.userId, userId), ne(enrolments.status, "cancelled")))
      .returning({ userId: enrolments.userId });
    if (!rows.length) return { promoted: [] };
    const promoted = await promoteWaitlist(tx, workshopId, locked.capacity);
    await refreshKaderProgress([userId, ...promoted], tx);
    return { promoted };
  });
}

export interface ParticipantRow {
  userId: string;
  name: string;
  phone: string;
  role: Role;
  posyanduName: string | null;
  desaName: string;
  desaCode: string;
  enrolment: "enrolled" | "waitlisted" | "cancelled" | null;
  enrolledAt: Date | null;
  attendance: AttendanceStatus | null;
  method: AttendanceMethod | null;
  recordedAt: Date | null;
}

/**
 * Everyone enrolled, waitlisted or with an attendance record, in the order of the printed
 * daftar hadir: desa, posyandu, name. The roster screen uses the same order.
 */
export async function participants(workshopId: number, opts: { includeCancelled?: boolean } = {}): Promise<ParticipantRow[]> {
  const rows = rowsOf<ParticipantRow & { enrolledAt: string | Date | null; recordedAt: string | Date | null }>(
    await db.execute(sql`
      select u.id as "userId", u.name, u.phone, u.role, p.name as "posyanduName", r.name as "desaName", u.scope_code as "desaCode",
             e.status as enrolment, e.at as "enrolledAt", a.status as attendance, a.method, a.at as "recordedAt"
      from users u
      left join enrolments e on e.workshop_id = ${workshopId} and e.user_id = u.id
      left join attendance a on a.workshop_id = ${workshopId} and a.user_id = u.id
      left join posyandu p on p.id = u.posyandu_id
      join regions r on r.code = u.scope_code
      where (e.user_id is not null ${opts.includeCancelled ? sql`` : sql`and e.status <> 'cancelled'`}) or a.user_id is not null
      order by r.name, u.scope_code, p.name nulls first, u.name, u.id`),
  );
  return rows.map((r) => ({
    ...r,
    enrolledAt: r.enrolledAt ? new Date(r.enrolledAt) : null,
    recordedAt: r.recordedAt ? new Date(r.recordedAt) : null,
  }));
}

export interface Candidate {
  id: string;
  name: string;
  posyanduName: string | null;
  desaName: string;
  enrolment: string | null;
}

/** People the actor could enrol, filtered by region (kecamatan or desa code) and posyandu. */
export async function enrolCandidates(
  actor: SessionUser,
  w: Workshop,
  filter: { regionCode?: string; posyanduId?: number; q?: string },
): Promise<Candidate[]> {
  const scope = filter.regionCode && isWithinScope(filter.regionCode, actor.scopeCode) ? filter.regionCode : actor.scopeCode;
  const roles: Role[] = w.audience === "kader" ? ["kader"] : (PEMBINA_ROLES as Role[]);
  const inSession = or(withinScope(users.scopeCode, w.regionCode), inArray(users.scopeCode, codeLineage(w.regionCode)));
  return db
    .select({
      id: users.id,
      name: users.name,
      posyanduName: posyandu.name,
      desaName: regions.name,
      enrolment: sql<string | null>`(select e.status from enrolments e where e.workshop_id = ${w.id} and e.user_id = ${users.id})`,
    })
    .from(users)
    .innerJoin(regions, eq(regions.code, users.scopeCode))
    .leftJoin(posyandu, eq(posyandu.id, users.posyanduId))
    .where(
      and(
        withinScope(users.scopeCode, scope),
        inSession,
        inArray(users.role, roles),
        eq(users.active, true),
        filter.posyanduId ? eq(users.posyanduId, filter.posyanduId) : undefined,
        filter.q ? sql`${users.name} ilike ${"%" + filter.q.replace(/[\\%_]/g, (c) => "\\" + c) + "%"}` : undefined,
      ),
    )
    .orderBy(asc(regions.name), asc(posyandu.name), asc(users.name))
    .limit(500);
}

// ---------------------------------------------------------------- attendance

export interface AttendanceEntry {
  userId: string;
  status: AttendanceStatus;
}

async function afterAttendance(tx: Tx, w: Workshop, entries: AttendanceEntry[]): Promise<string[]> {
  await refreshKaderProgress(entries.map((e) => e.userId), tx);
  const qualifying = entries.filter((e) => e.status === "hadir" || e.status === "terlambat").map((e) => e.userId);
  if (w.kind === "pelatihan" && w.moduleSlugs.length && qualifying.length) {
    const kader = await tx.select({ id: users.id }).from(users).where(and(inArray(users.id, qualifying), eq(users.role, "kader")));
    const values = kader.flatMap((k) => w.moduleSlugs.map((slug) => ({ userId: k.id, slug, source: "workshop" as const, workshopId: w.id })));
    if (values.length) await tx.insert(moduleAssignments).values(values).onConflictDoNothing();
  }
  return qualifying;
}

async function runHooks(userIds: string[]): Promise<void> {
  if (!userIds.length) return;
  for (const hook of attendanceHooks) {
    try {
      await hook(userIds);
    } catch (e) {
      console.error("Evaluasi setelah absensi gagal:", e);
    }
  }
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
    (await participants(workshopId, { includeCancelled: true })).filter((p) => p.enrolment === "enrolled" || p.attendance).map((p) => p.userId),
  );
  const outside = ids.filter((id) => !known.has(id));
  if (outside.length) throw forbidden("Sebagian orang tidak terdaftar di kegiatan ini. Tambahkan sebagai peserta langsung (walk-in).");
  const qualifying = await db.transaction(async (tx) => {
    const now = new Date();
    for (const e of entries) {
      await tx
        .insert(attendance)
        .values({ workshopId, userId: e.userId, status: e.status, method, recordedBy: actor.id, at: now })
        .onConflictDoUpdate({
          target: [attendance.workshopId, attendance.userId],
          set: { status: e.status, method, recordedBy: actor.id, at: now },
          setWhere: sql`${attendance.status} is distinct from excluded.status`,
        });
    }
    return afterAttendance(tx, w, entries);
  });
  await runHooks(qualifying);
  return { saved: entries.length };
}

/** "Semua hadir": everyone enrolled who has no record yet becomes hadir. */
export async function markAllPresent(actor: SessionUser, workshopId: number): Promise<{ saved: number }> {
  const list = await participants(workshopId);
  const entries = list.filter((p) => p.enrolment === "enrolled" && !p.attendance).map((p) => ({ userId: p.userId, status: "hadir" as const }));
  if (!entries.length) {
    await requireRosterAccess(actor, workshopId);
    return { saved: 0 };
  }
  return recordAttendance(actor, workshopId, entries, "roster");
}

export type WalkInResult = { ok: true; userId: string; name: string } | { ok: false; message: string };

/** A walk-in: someone of the audience inside the actor's scope, found by phone, enrolled and marked hadir. */
export async function addWalkIn(actor: SessionUser, workshopId: number, phoneInput: string, status: AttendanceStatus = "hadir"): Promise<WalkInResult> {
  const w = await requireRosterAccess(actor, workshopId);
  if (w.status !== "published" && w.status !== "completed") return { ok: false, message: "Kegiatan ini tidak sedang berjalan." };
  const phone = normalizePhone(phoneInput);
  if (!phone) return { ok: false, message: "Nomor HP tidak valid. Contoh: 0812 3456 7890." };
  const [u] = await db
    .select({ id: users.id, name: users.name, role: users.role, scopeCode: users.scopeCode, active: users.active })
    .from(users)
    .where(eq(users.phone, phone));
  if (!u || !u.active) return { ok: false, message: "Nomor HP ini belum terdaftar. Tambahkan dulu akunnya di menu Pengguna." };
  if (!isWithinScope(u.scopeCode, actor.scopeCode)) return { ok: false, message: "Orang ini terdaftar di luar wilayah Anda." };
  if (audienceOf(u.role) !== w.audience) return { ok: false, message: "Orang ini bukan sasaran kegiatan ini." };
  const qualifying = await db.transaction(async (tx) => {
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
  await runHooks(qualifying);
  return { ok: true, userId: u.id, name: u.name };
}

// ---------------------------------------------------------------- QR / code self check-in

export type CheckinResult =
  | { ok: true; status: "hadir" | "terlambat"; workshopId: number; title: string; already: false }
  | { ok: true; status: AttendanceStatus; workshopId: number; title: string; already: true; at: Date }
  | { ok: false; message: string };

async function checkInTo(user: SessionUser, w: Workshop, method: "qr" | "kode", now: Date): Promise<CheckinResult> {
  if (w.status === "cancelled") return { ok: false, message: "Kegiatan ini dibatalkan." };
  if (w.status === "draft") return { ok: false, message: "Kegiatan ini belum dibuka." };
  if (!checkinOpen(w.startsAt, w.endsAt, now)) return { ok: false, message: "Absen mandiri hanya dapat dilakukan selama kegiatan berlangsung." };
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
      .onConflictDoUpdate({ target: [enrolments.workshopId, enrolments.userId], set: { status: "enrolled" }, setWhere: sql`${enrolments.status} <> 'enrolled'` });
    const qualifying = await afterAttendance(tx, w, [{ userId: user.id, status }]);
    return { already: false as const, qualifying };
  });
  if (result.already) return { ok: true, status: result.prev.status, workshopId: w.id, title: w.title, already: true, at: result.prev.at };
  await runHooks(result.qualifying);
  return { ok: true, status, workshopId: w.id, title: w.title, already: false };
}

/**
 * QR check-in. `ticket` (from scanTicket) records when the QR was scanned: the token is
 * checked against that moment, and hadir/terlambat follows the scan time, not the time
 * the kader finished logging in.
 */
export async function checkInWithToken(user: SessionUser, token: string, ticket: string | null, now = new Date()): Promise<CheckinResult> {
  const secret = env().SESSION_SECRET;
  const scannedAt = ticket ? verifyScanTicket(secret, token, ticket, now) : null;
  if (ticket && !scannedAt) return { ok: false, message: "Waktu pindai sudah lewat 15 menit. Pindai lagi kode QR yang sedang tampil di layar." };
  const at = scannedAt ?? now;
  const check = verifyCheckinToken(secret, token, at);
  if (!check.ok) {
    return { ok: false, message: check.reason === "format" ? "Kode QR tidak dikenali." : "Kode QR sudah kedaluwarsa. Pindai lagi kode QR yang sedang tampil di layar." };
  }
  const w = await getWorkshop(check.workshopId);
  if (!w) return { ok: false, message: "Kode QR tidak dikenali." };
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
export function workshopIdParam(params: { id?: string }): number {
  const id = parseIntId(params.id);
  if (!id) throw notFound("Kegiatan tidak ditemukan.");
  return id;
}
