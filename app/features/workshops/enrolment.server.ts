/**
 * Enrolment: capacity held by locking the session row, an ordered waitlist promoted on
 * cancel and when capacity grows, self-enrolment and candidates for bulk enrolment.
 */
import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import type { SessionUser } from "~/auth.server";
import { db, type Tx, rowsOf } from "~/db.server";
import {
  attendance,
  enrolments,
  posyandu,
  regions,
  users,
  workshops,
  type AttendanceMethod,
  type AttendanceStatus,
  type Role,
} from "~/db/schema";
import { forbidden, notFound } from "~/lib/http";
import { codeLineage, isWithinScope } from "~/lib/region";
import { PEMBINA_ROLES } from "~/lib/roles";
import { withinScope } from "~/db/scope";
import { kaderInputsChanged } from "~/features/certification/evaluate.server";
import { type Workshop, getVisibleWorkshop } from "~/features/workshops/access.server";
import { audienceOf, cancelProblem, canEnrolInto, selfEnrolProblem } from "~/features/workshops/rules";

// ---------------------------------------------------------------- enrolment

export async function lockWorkshop(tx: Tx, id: number): Promise<Workshop> {
  const [w] = await tx.select().from(workshops).where(eq(workshops.id, id)).for("update");
  if (!w) throw notFound("Kegiatan tidak ditemukan.");
  return w;
}

export async function countEnrolled(tx: Tx, id: number): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(enrolments)
    .where(and(eq(enrolments.workshopId, id), eq(enrolments.status, "enrolled")));
  return Number(row.n);
}

/** Moves the earliest waitlisted people up while seats are free. */
export async function promoteWaitlist(tx: Tx, id: number, capacity: number): Promise<string[]> {
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
  const rows: (typeof enrolments.$inferInsert)[] = [];
  for (const userId of new Set(userIds)) {
    const status = existing.get(userId);
    if (status === "enrolled" || status === "waitlisted") {
      result.unchanged++;
      continue;
    }
    // In the order given: the first ones take the free places, the rest wait in that order.
    const next = free > 0 ? "enrolled" : "waitlisted";
    if (next === "enrolled") free--;
    result[next]++;
    rows.push({ workshopId: w.id, userId, status: next, at: now, enrolledBy: actorId });
  }
  // One statement for the whole set (chunked to stay far below the bind-parameter limit).
  for (let i = 0; i < rows.length; i += 1000) {
    await tx
      .insert(enrolments)
      .values(rows.slice(i, i + 1000))
      .onConflictDoUpdate({
        target: [enrolments.workshopId, enrolments.userId],
        set: { status: sql`excluded.status`, at: sql`excluded.at`, enrolledBy: sql`excluded.enrolled_by` },
      });
  }
  await kaderInputsChanged(tx, userIds, { certify: false }); // an enrolment is no input of the rule
  return result;
}

/** People a pembina may enrol: inside the actor's scope and the session's region, of the session's audience. */
async function eligibleUsers(
  actor: SessionUser,
  w: Workshop,
  userIds: string[],
): Promise<{ ok: string[]; rejected: number }> {
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
  if (rejected)
    throw forbidden(
      `${rejected} orang berada di luar wilayah Anda atau bukan sasaran kegiatan ini. Tidak ada yang didaftarkan.`,
    );
  return db.transaction(async (tx) => {
    const locked = await lockWorkshop(tx, workshopId);
    return enrolLocked(tx, locked, ok, actor.id);
  });
}

export type SelfEnrolResult = { ok: true; status: "enrolled" | "waitlisted" } | { ok: false; message: string };

/** A kader enrols in a published session open to their area. */
export async function selfEnrol(user: SessionUser, workshopId: number): Promise<SelfEnrolResult> {
  const w = await getVisibleWorkshop(user, workshopId);
  const [mine] = await db
    .select({ status: enrolments.status })
    .from(enrolments)
    .where(and(eq(enrolments.workshopId, workshopId), eq(enrolments.userId, user.id)));
  // Already enrolled or waitlisted: a double tap answers with the same state.
  if (mine && mine.status !== "cancelled") return { ok: true, status: mine.status };
  const problem = selfEnrolProblem(user, w, null);
  if (problem) return { ok: false, message: problem };
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
export type CancelResult = { ok: true; promoted: string[] } | { ok: false; message: string };

/**
 * Cancels an enrolment (her own, or one in the actor's area for those who may enrol). The rule
 * (cancelProblem) is checked inside the transaction, with the session row locked: no cancel
 * after attendance, none of her own after the end; the waitlist moves up only while the
 * session has not ended.
 */
export async function cancelEnrolment(actor: SessionUser, workshopId: number, userId: string): Promise<CancelResult> {
  const w = await getVisibleWorkshop(actor, workshopId);
  if (userId !== actor.id) {
    if (!canEnrolInto(actor, w)) throw forbidden("Anda tidak berhak membatalkan pendaftaran ini.");
    const [target] = await db.select({ scopeCode: users.scopeCode }).from(users).where(eq(users.id, userId));
    if (!target || !isWithinScope(target.scopeCode, actor.scopeCode))
      throw forbidden("Peserta ini berada di luar wilayah Anda.");
  }
  return db.transaction(async (tx): Promise<CancelResult> => {
    const locked = await lockWorkshop(tx, workshopId);
    const [current] = await tx
      .select({ status: enrolments.status })
      .from(enrolments)
      .where(and(eq(enrolments.workshopId, workshopId), eq(enrolments.userId, userId)));
    const [present] = await tx
      .select({ userId: attendance.userId })
      .from(attendance)
      .where(and(eq(attendance.workshopId, workshopId), eq(attendance.userId, userId)));
    const now = new Date();
    // Cancelling twice changes nothing and is not an error.
    if (current?.status === "cancelled") return { ok: true, promoted: [] };
    const problem = cancelProblem({
      self: userId === actor.id,
      enrolment: current?.status ?? null,
      attended: !!present,
      endsAt: locked.endsAt,
      now,
    });
    if (problem) return { ok: false, message: problem };
    await tx
      .update(enrolments)
      .set({ status: "cancelled", at: now })
      .where(and(eq(enrolments.workshopId, workshopId), eq(enrolments.userId, userId)));
    const promoted = locked.endsAt > now ? await promoteWaitlist(tx, workshopId, locked.capacity) : [];
    await kaderInputsChanged(tx, [userId, ...promoted], { certify: false });
    return { ok: true, promoted };
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
export async function participants(
  workshopId: number,
  opts: { includeCancelled?: boolean } = {},
): Promise<ParticipantRow[]> {
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
  const scope =
    filter.regionCode && isWithinScope(filter.regionCode, actor.scopeCode) ? filter.regionCode : actor.scopeCode;
  const roles: Role[] = w.audience === "kader" ? ["kader"] : (PEMBINA_ROLES as Role[]);
  const inSession = or(withinScope(users.scopeCode, w.regionCode), inArray(users.scopeCode, codeLineage(w.regionCode)));
  return db
    .select({
      id: users.id,
      name: users.name,
      posyanduName: posyandu.name,
      desaName: regions.name,
      enrolment: sql<
        string | null
      >`(select e.status from enrolments e where e.workshop_id = ${w.id} and e.user_id = ${users.id})`,
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
