/**
 * Certification: evaluates the rule (app/features/certification/rule.ts) for a kader whenever an
 * input changes, and issues the certificate automatically.
 *
 * Triggers: every writer of an input calls `kaderInputsChanged(tx, userIds)` inside its own
 * transaction (a quiz graded, a module read, attendance recorded or a QR check-in, a session
 * completed, a practice sheet, an account changed): it evaluates the rule on the writer's
 * connection, in a savepoint whose failure is logged and never undoes the write, and then
 * refreshes the projection once. Also: opening /sertifikat (catch-up, standing.server.ts)
 * and `npm run certify -- --region <code>` (docs/ARCHITECTURE.md, "The path of a quiz answer").
 *
 * Issuance is idempotent: one certificate per kader, programme and cycle. Two triggers
 * racing both compute the same cycle number; the unique index
 * (user_id, programme_id, cycle) lets exactly one insert through
 * (`insert … on conflict do nothing`), and the loser reads the winner's row.
 *
 * Evaluation only ever issues: it never revokes. A quiz regraded below the pass mark,
 * a module edited, a programme that later requires more: the certificate stays valid
 * until it expires or a person (DPMD/admin) revokes it with a reason.
 */
import { refreshKaderProgress } from "~/features/projection/projection.server";
import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull } from "drizzle-orm";
import { content, programmesForRole, programmesOf } from "~/features/catalogue/content.server";
import { type Conn, db, type Tx } from "~/db.server";
import { metrics } from "~/metrics.server";
import {
  attendance,
  certificates,
  posyandu,
  practiceObservations,
  quizAttempts,
  moduleProgress,
  regions,
  type Role,
  users,
  workshops,
} from "~/db/schema";
import { generateCertificateCode } from "~/features/certification/code";
import { addMonthsWita, endOfDayWita } from "~/lib/timezone";
import {
  currentCycle,
  evaluateRule,
  type AttemptFact,
  type CertificateTimes,
  type AttendanceFact,
  type PracticeFact,
  type RuleResult,
} from "~/features/certification/rule";
import type { Programme } from "~/features/catalogue/content-schema";
import {
  PAYLOAD_VERSION,
  recordSigningKey,
  signingKeyId,
  signPayload,
  type CertificatePayload,
} from "~/features/certification/signing.server";
import { withinScope } from "~/db/scope";
import { ROLE_LABEL } from "~/lib/roles";
import { signatoryFor } from "~/features/certification/signatories.server";

export interface CertificateRow {
  id: number;
  code: string;
  userId: string;
  programmeId: string;
  cycle: number;
  issuedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  signature: string;
}

/** The columns of a CertificateRow (certificates.server adds the kader and the payload for pages). */
export const certColumns = {
  id: certificates.id,
  code: certificates.code,
  userId: certificates.userId,
  programmeId: certificates.programmeId,
  cycle: certificates.cycle,
  issuedAt: certificates.issuedAt,
  expiresAt: certificates.expiresAt,
  revokedAt: certificates.revokedAt,
  revokedReason: certificates.revokedReason,
  signature: certificates.signature,
};

/** All certificates of these kader, oldest cycle first. */
export async function certificatesOf(
  userIds: string[],
  programmeId?: string,
  conn: Conn = db,
): Promise<CertificateRow[]> {
  if (!userIds.length) return [];
  return conn
    .select(certColumns)
    .from(certificates)
    .where(
      and(inArray(certificates.userId, userIds), programmeId ? eq(certificates.programmeId, programmeId) : undefined),
    )
    .orderBy(asc(certificates.cycle));
}

/**
 * A certificate of this kader issued at or after `since` and not revoked: the page the
 * kader lands on after the last requirement says "Selamat, sertifikat Anda terbit".
 */
export async function certificateIssuedSince(
  userId: string,
  since: Date,
): Promise<{ code: string; programmeId: string } | null> {
  const [row] = await db
    .select({ code: certificates.code, programmeId: certificates.programmeId })
    .from(certificates)
    .where(and(eq(certificates.userId, userId), gte(certificates.issuedAt, since), isNull(certificates.revokedAt)))
    .orderBy(desc(certificates.issuedAt))
    .limit(1);
  return row ?? null;
}

/** When the kader's current cycle in the programme began (null = first cycle). */
export async function cycleStart(userId: string, programmeId: string, now = new Date()): Promise<Date | null> {
  return currentCycle(await certificatesOf([userId], programmeId), now).start;
}

/**
 * Start of the current cycle for a module's quiz: attempts before it belong to an
 * earlier cycle (attempt limits and the best score count from here). A module in
 * several programmes takes the most recent start.
 */
export async function quizCycleStart(userId: string, slug: string, now = new Date()): Promise<Date | null> {
  const ids = programmesOf(slug).map((p) => p.id);
  if (!ids.length) return null;
  const certs = await db
    .select(certColumns)
    .from(certificates)
    .where(and(eq(certificates.userId, userId), inArray(certificates.programmeId, ids)));
  return cycleStartOf(certs, ids, now);
}

/** The latest cycle start over these programmes, from the kader's certificates of them. */
export function cycleStartOf(
  certs: (CertificateTimes & { programmeId: string })[],
  programmeIds: string[],
  now: Date,
): Date | null {
  let start: Date | null = null;
  for (const id of programmeIds) {
    const s = currentCycle(
      certs.filter((c) => c.programmeId === id),
      now,
    ).start;
    if (s && (!start || s > start)) start = s;
  }
  return start;
}

// ---------------------------------------------------------------- the facts the rule reads

interface KaderFacts {
  attendance: AttendanceFact[];
  completed: Set<string>;
  attempts: AttemptFact[];
  practice: PracticeFact[];
  certs: CertificateRow[];
}

function allProgrammeSlugs(): string[] {
  return [...new Set(content().programmes.flatMap((p) => p.requiredModules))];
}

/** Attendance, module completion, submitted attempts, practice and certificates of many kader in five queries. */
async function loadFacts(userIds: string[], conn: Conn = db): Promise<Map<string, KaderFacts>> {
  const facts = new Map<string, KaderFacts>(
    userIds.map((id) => [id, { attendance: [], completed: new Set(), attempts: [], practice: [], certs: [] }]),
  );
  if (!userIds.length) return facts;
  const slugs = allProgrammeSlugs();
  const [att, progress, attempts, certs, practice] = await Promise.all([
    conn
      .select({
        userId: attendance.userId,
        workshopId: attendance.workshopId,
        status: attendance.status,
        kind: workshops.kind,
        workshopStatus: workshops.status,
      })
      .from(attendance)
      .innerJoin(workshops, eq(workshops.id, attendance.workshopId))
      .where(inArray(attendance.userId, userIds)),
    conn
      .select({ userId: moduleProgress.userId, slug: moduleProgress.slug })
      .from(moduleProgress)
      .where(and(inArray(moduleProgress.userId, userIds), isNotNull(moduleProgress.completedAt))),
    conn
      .select({
        userId: quizAttempts.userId,
        slug: quizAttempts.slug,
        score: quizAttempts.score,
        passScore: quizAttempts.passScore,
        submittedAt: quizAttempts.submittedAt,
      })
      .from(quizAttempts)
      .where(
        and(
          inArray(quizAttempts.userId, userIds),
          inArray(quizAttempts.slug, slugs),
          isNotNull(quizAttempts.submittedAt),
        ),
      ),
    certificatesOf(userIds, undefined, conn),
    conn
      .select({
        userId: practiceObservations.userId,
        id: practiceObservations.id,
        taskId: practiceObservations.taskId,
        result: practiceObservations.result,
        recordedAt: practiceObservations.recordedAt,
        observedOn: practiceObservations.observedOn,
      })
      .from(practiceObservations)
      .where(inArray(practiceObservations.userId, userIds)),
  ]);
  for (const p of practice) facts.get(p.userId)!.practice.push(p);
  for (const a of att) facts.get(a.userId)!.attendance.push(a);
  for (const p of progress) facts.get(p.userId)!.completed.add(p.slug);
  for (const a of attempts) {
    if (a.score === null || !a.submittedAt) continue;
    facts
      .get(a.userId)!
      .attempts.push({ slug: a.slug, score: a.score, passScore: a.passScore, submittedAt: a.submittedAt });
  }
  for (const c of certs) facts.get(c.userId)!.certs.push(c);
  return facts;
}

export interface ProgrammeStanding {
  programme: Programme;
  rule: RuleResult;
  /** The certificate in force now, if any. */
  valid: CertificateRow | null;
  /** Cycle number a new certificate would get (= valid.cycle when one is in force). */
  cycle: number;
  cycleStart: Date | null;
  certificates: CertificateRow[];
}

function standing(programme: Programme, f: KaderFacts, now: Date): ProgrammeStanding {
  const certs = f.certs.filter((c) => c.programmeId === programme.id);
  const cyc = currentCycle(certs, now);
  const rule = evaluateRule(programme, {
    attendance: f.attendance,
    completed: f.completed,
    attempts: f.attempts,
    practice: f.practice,
    cycleStart: cyc.start,
  });
  return { programme, rule, valid: cyc.valid, cycle: cyc.cycle, cycleStart: cyc.start, certificates: certs };
}

/** Where the kader stands in each programme (for /sertifikat): rule progress and certificates. */
export async function kaderStanding(userId: string, now = new Date()): Promise<ProgrammeStanding[]> {
  const [u] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId));
  if (!u) return [];
  const f = (await loadFacts([userId])).get(userId)!;
  return programmesForRole(u.role).map((p) => standing(p, f, now));
}

/** The standing of many users in one programme, from one load of their facts (the Tim Pembina list). */
export async function standingsIn(
  programme: Programme,
  userIds: string[],
  now = new Date(),
): Promise<Map<string, ProgrammeStanding>> {
  const facts = await loadFacts(userIds);
  return new Map(userIds.map((id) => [id, standing(programme, facts.get(id)!, now)]));
}

// ---------------------------------------------------------------- issuance

export type OutcomeStatus = "issued" | "valid" | "not_yet" | "skipped" | "failed";

export interface Outcome {
  programmeId: string;
  status: OutcomeStatus;
  /** The certificate issued now or already in force. */
  code?: string;
  cycle?: number;
  summary?: string;
  error?: string;
  /** This evaluation tried to issue, but a concurrent one inserted the certificate first. */
  lostRace?: boolean;
}

interface KaderRecord {
  id: string;
  name: string;
  role: string;
  active: boolean;
  scopeCode: string;
  posyanduId: number | null;
}

export class CertificationError extends Error {}

/** Names printed on the certificate: posyandu, desa (with kecamatan) and the issuing kabupaten. */
async function printedPlace(
  k: KaderRecord,
  conn: Conn,
): Promise<{ posyandu: string; desa: string; issuer: string; issuerCode: string }> {
  const [pos] = k.posyanduId
    ? await conn
        .select({ name: posyandu.name, desaCode: posyandu.desaCode })
        .from(posyandu)
        .where(eq(posyandu.id, k.posyanduId))
    : [];
  const place = pos?.desaCode ?? k.scopeCode;
  const parts = place.split(".");
  if (parts.length < 2)
    throw new CertificationError(
      `Kader ${k.id} tidak berada di wilayah kabupaten/kota (wilayah ${k.scopeCode}): sertifikat tidak dapat diterbitkan.`,
    );
  const kabupatenCode = parts.slice(0, 2).join(".");
  const codes = [kabupatenCode, parts.slice(0, 3).join("."), place];
  const rows = await conn
    .select({ code: regions.code, name: regions.name, level: regions.level })
    .from(regions)
    .where(inArray(regions.code, codes));
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const kab = byCode.get(kabupatenCode);
  if (kab?.level !== "kabupaten") throw new CertificationError(`Wilayah kabupaten ${kabupatenCode} tidak ditemukan.`);
  const desa = byCode.get(place);
  const kec = parts.length >= 3 ? byCode.get(parts.slice(0, 3).join(".")) : undefined;
  let desaText = "";
  if (desa?.level === "desa") {
    // Kemendagri codes: 1xxx = kelurahan, 2xxx = desa.
    desaText = `${parts[3]?.startsWith("1") ? "Kelurahan" : "Desa"} ${desa.name}`;
    if (kec) desaText += `, Kecamatan ${kec.name}`;
  } else if (kec) {
    desaText = `Kecamatan ${kec.name}`;
  }
  return { posyandu: pos?.name ?? "", desa: desaText, issuer: kab.name, issuerCode: kab.code };
}

/**
 * Inserts the certificate for this cycle unless one exists. Returns the code in force
 * afterwards (ours, or the one a concurrent evaluation inserted first).
 */
async function issue(
  k: KaderRecord,
  programme: Programme,
  cycle: number,
  now: Date,
  rule: RuleResult,
  conn: Conn,
  refresh: boolean,
): Promise<{ code: string; issued: boolean }> {
  const place = await printedPlace(k, conn);
  // The signatory in office at issue is copied into the certificate: a later change does not alter it.
  const signatory = await signatoryFor(place.issuerCode, conn);
  const practice = rule.practice.tasks.filter((t) => t.result === "kompeten").map((t) => t.title);
  const issuedAt = new Date(now.getTime());
  // Valid through the whole expiry date (WITA): the dashboard counts validity by that date.
  const expiresAt = endOfDayWita(addMonthsWita(issuedAt, programme.validityMonths));
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = generateCertificateCode((n) => randomBytes(n));
    const payload: CertificatePayload = {
      v: PAYLOAD_VERSION,
      code,
      name: k.name,
      posyandu: place.posyandu,
      desa: place.desa,
      programmeId: programme.id,
      programme: programme.title,
      issued: issuedAt.toISOString(),
      expires: expiresAt.toISOString(),
      issuer: place.issuer,
      issuerCode: place.issuerCode,
      kid: signingKeyId(),
      ...(signatory
        ? { signatoryName: signatory.name, signatoryTitle: signatory.title, signatoryNip: signatory.nip ?? "" }
        : {}),
      ...(practice.length ? { practice: practice.join(" | ") } : {}),
      // A Tim Pembina member's certificate names her team (issue 20); a kader's names her posyandu.
      ...(k.role !== "kader"
        ? { peran: ROLE_LABEL[k.role as Role].replace("Tim Pembina", "Tim Pembina Posyandu") }
        : {}),
    };
    const signature = signPayload(payload);
    // Its own transaction, or a savepoint inside the writer's (kaderInputsChanged).
    const inserted = await conn.transaction(async (tx) => {
      // The first issue records the signing key; a process with another key does not sign.
      await recordSigningKey(tx);
      const rows = await tx
        .insert(certificates)
        .values({
          code,
          userId: k.id,
          programmeId: programme.id,
          cycle,
          issuedAt,
          expiresAt,
          issuingRegion: place.issuerCode,
          payload,
          signature,
          signatoryLogo: signatory?.logo ?? null,
        })
        .onConflictDoNothing()
        .returning({ code: certificates.code });
      // Inside kaderInputsChanged the writer refreshes the projection once, after this.
      if (rows.length && refresh) await refreshKaderProgress([k.id], tx);
      return rows;
    });
    if (inserted.length) {
      metrics().certificatesIssued.inc();
      return { code: inserted[0].code, issued: true };
    }
    // Conflict: another evaluation issued this cycle first, or (astronomically rarely) the code was taken.
    const [existing] = await conn
      .select({ code: certificates.code })
      .from(certificates)
      .where(
        and(eq(certificates.userId, k.id), eq(certificates.programmeId, programme.id), eq(certificates.cycle, cycle)),
      );
    if (existing) return { code: existing.code, issued: false };
  }
  throw new CertificationError("Kode sertifikat unik tidak dapat dibuat setelah 5 percobaan.");
}

async function evaluateMany(
  kader: KaderRecord[],
  now: Date,
  conn: Conn = db,
  refresh = true,
): Promise<Map<string, Outcome[]>> {
  const out = new Map<string, Outcome[]>();
  // Kader in the kader programme, Tim Pembina in theirs (programme.yaml `roles`); DPMD and admin take none.
  const eligible = kader.filter((k) => k.active && programmesForRole(k.role as Role).length > 0);
  for (const k of kader) if (!eligible.includes(k)) out.set(k.id, [{ programmeId: "*", status: "skipped" }]);
  const facts = await loadFacts(
    eligible.map((k) => k.id),
    conn,
  );
  for (const k of eligible) {
    const outcomes: Outcome[] = [];
    for (const programme of programmesForRole(k.role as Role)) {
      const s = standing(programme, facts.get(k.id)!, now);
      if (s.valid) {
        outcomes.push({
          programmeId: programme.id,
          status: "valid",
          code: s.valid.code,
          cycle: s.valid.cycle,
          summary: s.rule.summary,
        });
      } else if (!s.rule.certified) {
        outcomes.push({ programmeId: programme.id, status: "not_yet", cycle: s.cycle, summary: s.rule.summary });
      } else {
        try {
          const r = await issue(k, programme, s.cycle, now, s.rule, conn, refresh);
          outcomes.push({
            programmeId: programme.id,
            status: r.issued ? "issued" : "valid",
            code: r.code,
            cycle: s.cycle,
            summary: s.rule.summary,
            ...(r.issued ? {} : { lostRace: true }),
          });
        } catch (e) {
          outcomes.push({
            programmeId: programme.id,
            status: "failed",
            cycle: s.cycle,
            error: e instanceof Error ? e.message : String(e),
          });
        }
      }
    }
    out.set(k.id, outcomes);
  }
  return out;
}

const kaderColumns = {
  id: users.id,
  name: users.name,
  role: users.role,
  active: users.active,
  scopeCode: users.scopeCode,
  posyanduId: users.posyanduId,
};

/** Evaluates one kader in every programme and issues what is due. Throws on failure. */
export async function evaluateCertificationStrict(userId: string, now = new Date()): Promise<Outcome[]> {
  const [k] = await db.select(kaderColumns).from(users).where(eq(users.id, userId));
  if (!k) return [];
  const outcomes = (await evaluateMany([k], now)).get(userId) ?? [];
  const failed = outcomes.find((o) => o.status === "failed");
  if (failed) throw new CertificationError(failed.error);
  return outcomes;
}

/**
 * Call after any input of the rule changed (attendance recorded, module read, quiz
 * graded), after the change is committed. Never throws: a failure is logged and
 * returns [] so the action that triggered it still succeeds; the next trigger, a visit
 * to /sertifikat or `npm run certify` evaluates again.
 */
export async function evaluateCertification(userId: string, now = new Date()): Promise<Outcome[]> {
  try {
    return await evaluateCertificationStrict(userId, now);
  } catch (e) {
    console.error(`[sertifikasi] evaluasi gagal untuk pengguna ${userId}:`, e instanceof Error ? e.message : e);
    return [];
  }
}

/**
 * "A kader's inputs changed": the one entry every writer of a rule input calls, inside its
 * own transaction (docs/ARCHITECTURE.md, "Where each rule lives"). It evaluates the
 * certification rule for these kader on the writer's connection, so it sees the write,
 * issuing what is due, in a savepoint: a failure is logged ("[sertifikasi] evaluasi gagal …")
 * and never undoes the write. Then it refreshes the projection (kader_progress) once for
 * all of them, certificates included. `certify: false` for a write that is no input of the
 * rule (an enrolment, a revocation, a roster import's placement): the projection only.
 */
export async function kaderInputsChanged(
  tx: Tx,
  userIds: readonly string[],
  opts: { certify?: boolean; now?: Date } = {},
): Promise<void> {
  const ids = [...new Set(userIds)];
  if (!ids.length) return;
  if (opts.certify ?? true) {
    const now = opts.now ?? new Date();
    for (let i = 0; i < ids.length; i += 200) {
      const chunk = ids.slice(i, i + 200);
      try {
        const outcomes = await tx.transaction(async (sp) => {
          const kader = await sp.select(kaderColumns).from(users).where(inArray(users.id, chunk));
          return evaluateMany(kader, now, sp, false);
        });
        for (const [userId, list] of outcomes)
          for (const o of list)
            if (o.status === "failed") console.error(`[sertifikasi] evaluasi gagal untuk pengguna ${userId}:`, o.error);
      } catch (e) {
        console.error(
          `[sertifikasi] evaluasi gagal untuk ${chunk.length === 1 ? `pengguna ${chunk[0]}` : `${chunk.length} pengguna`}:`,
          e instanceof Error ? e.message : e,
        );
      }
    }
  }
  await refreshKaderProgress(ids, tx);
}

export interface RegionRunResult {
  kader: number;
  issued: number;
  valid: number;
  notYet: number;
  failed: { userId: string; error: string }[];
}

/** Re-evaluates every active kader inside a region (npm run certify -- --region 64.08). */
export async function evaluateRegion(
  regionCode: string,
  opts: { now?: Date; batchSize?: number; onBatch?: (done: number) => void } = {},
): Promise<RegionRunResult> {
  const now = opts.now ?? new Date();
  const batchSize = opts.batchSize ?? 500;
  const result: RegionRunResult = { kader: 0, issued: 0, valid: 0, notYet: 0, failed: [] };
  let after = "";
  for (;;) {
    const batch = await db
      .select(kaderColumns)
      .from(users)
      .where(
        and(
          eq(users.role, "kader"),
          eq(users.active, true),
          withinScope(users.scopeCode, regionCode),
          gt(users.id, after),
        ),
      )
      .orderBy(asc(users.id))
      .limit(batchSize);
    if (!batch.length) break;
    after = batch[batch.length - 1].id;
    // One kader's failure (e.g. no kabupaten to print) is reported and does not stop the others.
    const outcomes = await evaluateMany(batch, now);
    for (const [userId, list] of outcomes) {
      result.kader++;
      for (const o of list) {
        if (o.status === "issued") result.issued++;
        else if (o.status === "valid") result.valid++;
        else if (o.status === "not_yet") result.notYet++;
        else if (o.status === "failed") result.failed.push({ userId, error: o.error ?? "" });
      }
    }
    opts.onBatch?.(result.kader);
  }
  return result;
}
