/**
 * One kader's progress for Tim Pembina (modules, quiz attempts, attendance, practice,
 * certificate), another round of quiz attempts granted with a reason, and the report of
 * kader locked out of a quiz (every attempt used, none passed) per kecamatan.
 */
import { and, asc, desc, eq, gte, inArray, isNotNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { audit } from "~/audit.server";
import type { SessionUser } from "~/auth.server";
import { db } from "~/db.server";
import {
  attendance,
  practiceObservations,
  quizAttemptGrants,
  quizAttempts,
  regions,
  users,
  workshops,
  type Role,
} from "~/db/schema";
import { getUserInScope } from "~/features/accounts/users.server";
import { kaderStanding, quizCycleStart } from "~/features/certification/evaluate.server";
import { stateOf, STATE_LABEL } from "~/features/certification/certificates.server";
import { PRACTICE_RESULT_LABEL } from "~/features/certification/rule";
import { content, getModule } from "~/features/catalogue/content.server";
import { grantedExtra, grantedSince } from "~/features/learning/quiz.server";
import { IDEMPOTENCY_KEY_RE } from "~/lib/idempotency";
import { withinScope } from "~/db/scope";
import { notFound } from "~/lib/http";
import { formatPhone } from "~/lib/phone";
import { parentOfCode } from "~/lib/region";
import { ROLE_LABEL } from "~/lib/roles";
import { whatsappChatUrl } from "~/features/workshops/rules";
import { formatDate, formatTime, type Zone, zoneForRegion } from "~/lib/timezone";
import { rowsOf } from "~/db.server";
import { formatIsoDay, tanggalWita } from "~/lib/timezone";
import { rolesFor } from "~/lib/permissions";

/** Who opens a kader's progress page, grants another round of attempts and sees the locked-out list (/admin/kader-terkunci), each in her scope. */
export const PROGRESS_VIEWERS: readonly Role[] = rolesFor("kader-progress");

/** The kader (role kader) in the actor's scope: 404 for an unknown id or a non-kader, 403 outside the scope. */
export async function requireKaderInScope(actor: Pick<SessionUser, "scopeCode">, id: string | undefined) {
  if (!id || !/^[a-z0-9]{8,40}$/.test(id)) throw notFound("Kader tidak ditemukan.");
  const k = await getUserInScope(actor, id);
  if (k.role !== "kader") throw notFound("Kader tidak ditemukan.");
  return k;
}

type Standing = Awaited<ReturnType<typeof kaderStanding>>[number];
type ProgressRecords = Awaited<ReturnType<typeof progressRecords>>;

/** A moment as the progress page writes it: date, time and the zone's label. */
function momentIn(d: Date, zone: Zone): string {
  return `${formatDate(d, zone)} ${formatTime(d, zone)} ${zone.label}`;
}

/** The kader's graded quiz attempts, attempt grants, attendance and practice observations. */
async function progressRecords(userId: string) {
  const [attempts, grants, att, practice] = await Promise.all([
    db
      .select({
        id: quizAttempts.id,
        slug: quizAttempts.slug,
        submittedAt: quizAttempts.submittedAt,
        score: quizAttempts.score,
        passed: quizAttempts.passed,
      })
      .from(quizAttempts)
      .where(and(eq(quizAttempts.userId, userId), isNotNull(quizAttempts.submittedAt)))
      .orderBy(asc(quizAttempts.submittedAt)),
    db
      .select({
        slug: quizAttemptGrants.slug,
        extra: quizAttemptGrants.extra,
        reason: quizAttemptGrants.reason,
        at: quizAttemptGrants.grantedAt,
        by: users.name,
      })
      .from(quizAttemptGrants)
      .innerJoin(users, eq(users.id, quizAttemptGrants.grantedBy))
      .where(eq(quizAttemptGrants.userId, userId))
      .orderBy(asc(quizAttemptGrants.grantedAt)),
    db
      .select({ title: workshops.title, kind: workshops.kind, startsAt: workshops.startsAt, status: attendance.status })
      .from(attendance)
      .innerJoin(workshops, eq(workshops.id, attendance.workshopId))
      .where(eq(attendance.userId, userId))
      .orderBy(desc(workshops.startsAt)),
    db
      .select({
        id: practiceObservations.id,
        taskId: practiceObservations.taskId,
        observedOn: practiceObservations.observedOn,
        place: practiceObservations.place,
        steps: practiceObservations.steps,
        result: practiceObservations.result,
        note: practiceObservations.note,
        correctsId: practiceObservations.correctsId,
        observer: users.name,
      })
      .from(practiceObservations)
      .innerJoin(users, eq(users.id, practiceObservations.observerId))
      .where(eq(practiceObservations.userId, userId))
      .orderBy(desc(practiceObservations.recordedAt), desc(practiceObservations.id)),
  ]);
  return { attempts, grants, att, practice };
}

/**
 * The quiz status per required module with a quiz: attempts used of the allowed ones in the
 * current cycle (bank limit + grants), passed or locked out, every attempt and grant.
 */
async function quizStatuses(kaderId: string, records: ProgressRecords, zone: Zone, now: Date) {
  const slugs = [...new Set(content().programmes.flatMap((p) => p.requiredModules))];
  const quizzes = [];
  for (const slug of slugs) {
    const mod = getModule(slug);
    if (!mod?.quiz) continue;
    const start = await quizCycleStart(kaderId, slug, now);
    const mine = records.attempts.filter((a) => a.slug === slug);
    const inCycle = mine.filter((a) => !start || a.submittedAt! >= start);
    const granted =
      mod.quiz.maxAttempts > 0
        ? grantedSince(
            records.grants.filter((g) => g.slug === slug),
            start,
          )
        : 0;
    const max = mod.quiz.maxAttempts > 0 ? mod.quiz.maxAttempts + granted : 0;
    const passed = inCycle.some((a) => a.passed);
    quizzes.push({
      slug,
      title: mod.frontmatter.title,
      passScore: mod.quiz.passScore,
      used: inCycle.length,
      max,
      passed,
      lockedOut: max > 0 && !passed && inCycle.length >= max,
      roundSize: mod.quiz.maxAttempts,
      attempts: mine.map((a) => ({
        when: momentIn(a.submittedAt!, zone),
        score: a.score ?? 0,
        passed: !!a.passed,
        earlierCycle: !!start && a.submittedAt! < start,
      })),
      grants: records.grants
        .filter((g) => g.slug === slug)
        .map((g) => ({ when: momentIn(g.at, zone), extra: g.extra, reason: g.reason, by: g.by })),
    });
  }
  return quizzes;
}

/** One programme's standing: modules, attendance, practice tasks (with labels) and the latest certificate. */
function programmeStatus(s: Standing, now: Date) {
  const latest = s.certificates[s.certificates.length - 1] ?? null;
  return {
    id: s.programme.id,
    title: s.programme.title,
    summary: s.rule.summary,
    certified: s.rule.certified,
    modules: s.rule.modules.map((m) => ({
      slug: m.slug,
      title: getModule(m.slug)?.frontmatter.title ?? m.slug,
      completed: m.completed,
      quizPassed: m.quizPassed,
      bestScore: m.bestScore,
    })),
    attendance: s.rule.attendance,
    practice: {
      ...s.rule.practice,
      tasks: s.rule.practice.tasks.map((t) => ({
        ...t,
        resultLabel: t.result ? PRACTICE_RESULT_LABEL[t.result] : "Belum diamati",
      })),
    },
    certificate: latest
      ? {
          code: latest.code,
          state: s.valid ? "berlaku" : stateOf(latest, now),
          stateLabel: STATE_LABEL[s.valid ? "berlaku" : stateOf(latest, now)],
          issued: tanggalWita(latest.issuedAt),
          expires: tanggalWita(latest.expiresAt),
        }
      : null,
  };
}

/** The sessions the kader's attendance was recorded at, latest first. */
function attendanceList(att: ProgressRecords["att"], zone: Zone) {
  return att.map((a) => ({
    title: a.title,
    kind: a.kind,
    when: formatDate(a.startsAt, zone),
    status: a.status,
  }));
}

/** Every practice observation (corrections included), latest first, with the task's title and steps met. */
function practiceList(practice: ProgressRecords["practice"]) {
  const taskTitle = new Map(content().programmes.flatMap((p) => p.practice.tasks.map((t) => [t.id, t] as const)));
  return practice.map((p) => {
    const task = taskTitle.get(p.taskId);
    return {
      id: p.id,
      task: task?.title ?? p.taskId,
      observedOn: formatIsoDay(p.observedOn),
      place: p.place,
      stepsMet: p.steps.filter(Boolean).length,
      stepsTotal: p.steps.length,
      result: PRACTICE_RESULT_LABEL[p.result],
      note: p.note,
      observer: p.observer,
      correction: p.correctsId !== null,
    };
  });
}

/** One kader's progress page for Tim Pembina: programmes, quizzes, attendance and practice. */
export async function kaderProgressPage(actor: SessionUser, id: string | undefined, now = new Date()) {
  const k = await requireKaderInScope(actor, id);
  const zone = zoneForRegion(k.scopeCode);
  const standings = await kaderStanding(k.id, now);
  const records = await progressRecords(k.id);
  const quizzes = await quizStatuses(k.id, records, zone, now);
  return {
    kader: {
      id: k.id,
      name: k.name,
      posyanduId: k.posyanduId,
      posyanduName: k.posyanduName,
      desa: k.scopeName,
      active: k.active,
    },
    programmes: standings.map((s) => programmeStatus(s, now)),
    quizzes,
    attendance: attendanceList(records.att, zone),
    practice: practiceList(records.practice),
  };
}

// ---------------------------------------------------------------- another round of attempts

export const grantSchema = z.object({
  slug: z.string({ error: "Pilih kuis." }).regex(/^[a-z0-9-]{1,80}$/, "Kuis tidak dikenal."),
  reason: z
    .string({ error: "Tulis alasan pemberian kesempatan." })
    .trim()
    .min(5, "Tulis alasan pemberian kesempatan (minimal 5 huruf).")
    .max(500, "Alasan terlalu panjang (maksimal 500 huruf)."),
  idempotencyKey: z.string().regex(IDEMPOTENCY_KEY_RE, "Formulir tidak valid. Muat ulang halaman lalu coba lagi."),
});

export type GrantResult =
  | { ok: true; granted: boolean; extra: number }
  | { ok: false; status: 400 | 409; errors: Record<string, string> };

/**
 * Grants another round (the quiz bank's maxAttempts) of one quiz to a locked-out kader.
 * One transaction: the kader row is locked, the lock-out re-checked, the grant and its
 * audit entry written together. The same form submitted twice grants once.
 */
export async function grantAttempts(
  actor: SessionUser,
  kaderId: string | undefined,
  input: Record<string, unknown>,
): Promise<GrantResult> {
  const k = await requireKaderInScope(actor, kaderId);
  const parsed = grantSchema.safeParse(input);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const i of parsed.error.issues) errors[String(i.path[0] ?? "form")] ??= i.message;
    return { ok: false, status: 400, errors };
  }
  const { slug, reason, idempotencyKey } = parsed.data;
  const mod = getModule(slug);
  if (!mod?.quiz || !content().programmes.some((p) => p.requiredModules.includes(slug)))
    return { ok: false, status: 400, errors: { slug: "Kuis tidak dikenal." } };
  if (mod.quiz.maxAttempts === 0)
    return { ok: false, status: 400, errors: { slug: "Kuis ini tidak membatasi kesempatan." } };
  const start = await quizCycleStart(k.id, slug);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select id from ${users} where ${users.id} = ${k.id} for update`);
    const [same] = await tx
      .select({ id: quizAttemptGrants.id, userId: quizAttemptGrants.userId, extra: quizAttemptGrants.extra })
      .from(quizAttemptGrants)
      .where(eq(quizAttemptGrants.idempotencyKey, idempotencyKey));
    if (same) {
      if (same.userId !== k.id)
        return {
          ok: false as const,
          status: 400 as const,
          errors: { form: "Formulir tidak valid. Muat ulang halaman lalu coba lagi." },
        };
      return { ok: true as const, granted: false, extra: same.extra };
    }
    const rows = await tx
      .select({ passed: quizAttempts.passed })
      .from(quizAttempts)
      .where(
        and(
          eq(quizAttempts.userId, k.id),
          eq(quizAttempts.slug, slug),
          isNotNull(quizAttempts.submittedAt),
          start ? gte(quizAttempts.submittedAt, start) : undefined,
        ),
      );
    const granted = await grantedExtra(k.id, slug, start, tx);
    if (rows.some((r) => r.passed) || rows.length < mod.quiz!.maxAttempts + granted) {
      return {
        ok: false as const,
        status: 409 as const,
        errors: {
          form: "Kader ini masih punya kesempatan atau sudah lulus kuis ini: tidak perlu kesempatan tambahan.",
        },
      };
    }
    const extra = mod.quiz!.maxAttempts;
    const [g] = await tx
      .insert(quizAttemptGrants)
      .values({ userId: k.id, slug, extra, reason, grantedBy: actor.id, idempotencyKey })
      .returning({ id: quizAttemptGrants.id });
    await audit(
      {
        actorId: actor.id,
        action: "quiz.grant_attempts",
        entity: "user",
        entityId: k.id,
        regionCode: k.scopeCode,
        detail: { grantId: g.id, slug, extra, reason },
      },
      tx,
    );
    return { ok: true as const, granted: true, extra };
  });
}

// ---------------------------------------------------------------- locked-out report

export interface LockedOutRow {
  userId: string;
  name: string;
  desaCode: string;
  posyanduId: number | null;
  slug: string;
  title: string;
  used: number;
  lastAt: Date;
}

export interface LockedOutFilter {
  /** Only the required quizzes of this programme (default: of every programme). */
  programmeId?: string;
  /** Only the kader of this posyandu. */
  posyanduId?: number;
}

/**
 * Active kader in the scope whose allowed attempts of a required quiz (bank limit +
 * grants, in the current cycle) are all used without a pass, grouped per kecamatan: the
 * one definition of "locked out" (the list, the dashboard's counts, the marks in the
 * kader tables).
 */
export async function lockedOutReport(
  scope: string,
  now = new Date(),
  filter: LockedOutFilter = {},
): Promise<{ kecamatan: { code: string; name: string; rows: LockedOutRow[] }[]; total: number }> {
  const programmes = content().programmes.filter((p) => !filter.programmeId || p.id === filter.programmeId);
  const limits = [...new Set(programmes.flatMap((p) => p.requiredModules))]
    .map((slug) => ({ slug, max: getModule(slug)?.quiz?.maxAttempts ?? 0 }))
    .filter((l) => l.max > 0);
  if (!limits.length) return { kecamatan: [], total: 0 };
  const values = sql.join(
    limits.map((l) => sql`(${l.slug}::text, ${l.max}::int)`),
    sql`, `,
  );
  const result = await db.execute(sql`
    with k as (
      select ${users.id} as user_id, ${users.name} as name, ${users.scopeCode} as desa_code,
        ${users.posyanduId} as posyandu_id,
        (select max(least(coalesce(c.revoked_at, c.expires_at), c.expires_at)) from certificates c
          where c.user_id = ${users.id} and least(coalesce(c.revoked_at, c.expires_at), c.expires_at) <= ${now.toISOString()}::timestamptz) as cycle_start
      from ${users}
      where ${users.role} = 'kader' and ${users.active} and ${withinScope(users.scopeCode, scope)}
        ${filter.posyanduId === undefined ? sql`` : sql`and ${users.posyanduId} = ${filter.posyanduId}`}
    ), lim(slug, max) as (values ${values}),
    a as (
      select q.user_id, q.slug, count(*)::int as used, bool_or(q.passed) as passed, max(q.submitted_at) as last_at
      from quiz_attempts q join k on k.user_id = q.user_id
      where q.submitted_at is not null and (k.cycle_start is null or q.submitted_at >= k.cycle_start)
      group by q.user_id, q.slug
    ),
    g as (
      select gr.user_id, gr.slug, sum(gr.extra)::int as extra
      from quiz_attempt_grants gr join k on k.user_id = gr.user_id
      where k.cycle_start is null or gr.granted_at >= k.cycle_start
      group by gr.user_id, gr.slug
    )
    select k.user_id, k.name, k.desa_code, k.posyandu_id, a.slug, a.used, a.last_at
    from a join k on k.user_id = a.user_id join lim on lim.slug = a.slug
    left join g on g.user_id = a.user_id and g.slug = a.slug
    where not coalesce(a.passed, false) and a.used >= lim.max + coalesce(g.extra, 0)
    order by k.desa_code, k.name, a.slug`);
  const rows = rowsOf<{
    user_id: string;
    name: string;
    desa_code: string;
    posyandu_id: number | null;
    slug: string;
    used: number;
    last_at: Date | string;
  }>(result);
  const kecCodes = [...new Set(rows.map((r) => r.desa_code.split(".").slice(0, 3).join(".")))];
  const names = kecCodes.length
    ? await db.select({ code: regions.code, name: regions.name }).from(regions).where(inArray(regions.code, kecCodes))
    : [];
  const nameOf = new Map(names.map((n) => [n.code, n.name]));
  const groups = new Map<string, LockedOutRow[]>();
  for (const r of rows) {
    const kec = r.desa_code.split(".").slice(0, 3).join(".");
    const list = groups.get(kec) ?? [];
    list.push({
      userId: r.user_id,
      name: r.name,
      desaCode: r.desa_code,
      posyanduId: r.posyandu_id === null ? null : Number(r.posyandu_id),
      slug: r.slug,
      title: getModule(r.slug)?.frontmatter.title ?? r.slug,
      used: Number(r.used),
      lastAt: new Date(r.last_at),
    });
    groups.set(kec, list);
  }
  return {
    kecamatan: [...groups].map(([code, list]) => ({ code, name: nameOf.get(code) ?? code, rows: list })),
    total: rows.length,
  };
}

/** The locked-out kader among these rows: kader id → the quizzes (slug, title) she is locked out of. */
export function lockedByKader(
  report: Awaited<ReturnType<typeof lockedOutReport>>,
): Map<string, { slug: string; title: string }[]> {
  const out = new Map<string, { slug: string; title: string }[]>();
  for (const r of report.kecamatan.flatMap((k) => k.rows)) {
    const list = out.get(r.userId) ?? [];
    list.push({ slug: r.slug, title: r.title });
    out.set(r.userId, list);
  }
  return out;
}

/** Locked-out kader of one posyandu (its desa is the scope), for the marks in its kader tables. */
export async function lockedKaderOfPosyandu(
  posyanduId: number,
  desaCode: string,
  programmeId?: string,
): Promise<Map<string, { slug: string; title: string }[]>> {
  return lockedByKader(await lockedOutReport(desaCode, new Date(), { posyanduId, programmeId }));
}

// ---------------------------------------------------------------- who the kader asks

/** A pembina a kader can reach: name, role, phone and a WhatsApp link with a prepared message. */
export interface PembinaContact {
  name: string;
  role: string;
  /** 0812… as people write it. */
  phone: string;
  /** https://wa.me/62…?text=… */
  whatsapp: string;
}

const CONTACT_ORDER: Partial<Record<Role, number>> = { pembina_desa: 0, pembina_kecamatan: 1, pembina_kabupaten: 2 };

/**
 * Who opens another round of a quiz for a kader: the active pembina desa of her desa and
 * pembina kecamatan of her kecamatan (the pembina kabupaten when neither has an account),
 * nearest first, at most four, each with a WhatsApp link carrying `message`.
 */
export async function pembinaContacts(
  kader: { name: string; scopeCode: string },
  message: string,
): Promise<PembinaContact[]> {
  const desa = kader.scopeCode;
  const kec = parentOfCode(desa) ?? desa;
  const kab = parentOfCode(kec) ?? kec;
  const rows = await db
    .select({ name: users.name, phone: users.phone, role: users.role })
    .from(users)
    .where(
      and(
        eq(users.active, true),
        or(
          and(eq(users.role, "pembina_desa"), eq(users.scopeCode, desa)),
          and(eq(users.role, "pembina_kecamatan"), eq(users.scopeCode, kec)),
          and(eq(users.role, "pembina_kabupaten"), eq(users.scopeCode, kab)),
        ),
      ),
    )
    .orderBy(asc(users.name));
  const near = rows.filter((r) => r.role !== "pembina_kabupaten");
  return (near.length ? near : rows)
    .sort((a, b) => (CONTACT_ORDER[a.role] ?? 9) - (CONTACT_ORDER[b.role] ?? 9))
    .slice(0, 4)
    .map((r) => ({
      name: r.name,
      role: ROLE_LABEL[r.role],
      phone: formatPhone(r.phone),
      whatsapp: whatsappChatUrl(r.phone, `Halo ${r.name}, saya ${kader.name}, kader Posyandu. ${message}`),
    }));
}

/** The WhatsApp message of a kader locked out of a quiz. */
export function lockoutMessage(moduleTitle: string): string {
  return `Kesempatan kuis "${moduleTitle}" saya di Akademi Posyandu sudah habis. Mohon dibukakan kesempatan baru.`;
}
