/**
 * The quiz attempt lifecycle: start (random draw stored on the server), submit (graded
 * on the server, exactly once), review. Answers never leave the server before submission.
 */
import { IDEMPOTENCY_KEY_RE } from "~/lib/idempotency";
import { randomInt } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { generateIdFromEntropySize } from "lucia";
import { db, rowsOf, type Conn } from "~/db.server";
import { moduleProgress, quizAttemptGrants, quizAttempts, users, type DrawnQuestion } from "~/db/schema";
import { getModule, programmesOf, type ModuleContent } from "~/features/catalogue/content.server";
import { cycleStartOf, kaderInputsChanged } from "~/features/certification/evaluate.server";
import {
  checkCanStart,
  drawQuestions,
  parseAnswers,
  scoreAttempt,
  type StartCheck,
} from "~/features/learning/quiz-rules";
import { notFound } from "~/lib/http";

/** Crypto-strength randomness for draws (a kader cannot predict the next draw). */
const secureRng = () => randomInt(0, 2 ** 32) / 2 ** 32;

/** The module, or 404 when unknown; 404 as well when it is in no programme (no quiz to take). */
export function requireQuizModule(
  slug: string | undefined,
): ModuleContent & { quiz: NonNullable<ModuleContent["quiz"]> } {
  const mod = slug ? getModule(slug) : undefined;
  if (!mod) throw notFound("Modul tidak ditemukan.");
  if (!mod.quiz || programmesOf(mod.slug).length === 0)
    throw notFound("Modul ini tidak memiliki kuis dalam program sertifikasi.");
  return mod as ModuleContent & { quiz: NonNullable<ModuleContent["quiz"]> };
}

/**
 * Extra attempts granted by Tim Pembina for a quiz in the current cycle, over that quiz's
 * grants: grants made before the cycle began belonged to the earlier cycle. The one spelling
 * of this rule (the quiz pages apply it to the grants `quizFacts` read, the Tim Pembina pages
 * to theirs).
 */
export function grantedSince(grants: { extra: number; at: Date }[], start: Date | null): number {
  return grants.filter((g) => !start || g.at >= start).reduce((n, g) => n + g.extra, 0);
}

/** `grantedSince` over the kader's grants of this quiz, read on `conn` (a caller's transaction when given). */
export async function grantedExtra(userId: string, slug: string, start: Date | null, conn: Conn = db): Promise<number> {
  const grants = await conn
    .select({ extra: quizAttemptGrants.extra, at: quizAttemptGrants.grantedAt })
    .from(quizAttemptGrants)
    .where(and(eq(quizAttemptGrants.userId, userId), eq(quizAttemptGrants.slug, slug)));
  return grantedSince(grants, start);
}

export interface QuizStatus {
  submittedCount: number;
  /** The bank's limit plus the attempts granted in this cycle (0 = unlimited). */
  maxAttempts: number;
  /** Attempts added by Tim Pembina in this cycle. */
  granted: number;
  /** The next attempt is the last one allowed. */
  lastChance: boolean;
  /** Every allowed attempt is used and none passed: only Tim Pembina can open another round. */
  lockedOut: boolean;
  inProgressId: string | null;
  bestScore: number | null;
  passed: boolean;
  check: StartCheck;
  attempts: { id: string; submittedAt: Date; score: number; passed: boolean }[];
}

/** A kader's attempts of a module, certificates of its programmes and grants of extra attempts, in one round trip. */
interface QuizFacts {
  attempts: {
    id: string;
    userId: string;
    slug: string;
    key: string | null;
    submittedAt: Date | null;
    score: number | null;
    passed: boolean | null;
  }[];
  certs: { programmeId: string; cycle: number; expiresAt: Date; revokedAt: Date | null }[];
  progress: { bestScore: number | null; passedAt: Date | null } | null;
  grants: { extra: number; at: Date }[];
}

async function quizFacts(
  conn: Conn,
  userId: string,
  slug: string,
  programmeIds: string[],
  idempotencyKey: string | null = null,
): Promise<QuizFacts> {
  const [row] = rowsOf<{
    attempts: Record<string, unknown>[];
    certs: Record<string, unknown>[];
    progress: Record<string, unknown> | null;
    grants: { extra: number; at: string }[];
  }>(
    await conn.execute(sql`
      select
        coalesce((select json_agg(json_build_object('id', id, 'userId', user_id, 'slug', slug, 'key', idempotency_key,
            'submittedAt', submitted_at, 'score', score, 'passed', passed) order by started_at desc)
          from quiz_attempts where (user_id = ${userId} and slug = ${slug}) or idempotency_key = ${idempotencyKey}), '[]'::json) as attempts,
        coalesce((select json_agg(json_build_object('programmeId', programme_id, 'cycle', cycle, 'expiresAt', expires_at, 'revokedAt', revoked_at))
          from certificates where user_id = ${userId} and programme_id = any(${`{${programmeIds.map((id) => JSON.stringify(id)).join(",")}}`}::text[])), '[]'::json) as certs,
        (select json_build_object('bestScore', best_score, 'passedAt', passed_at)
          from module_progress where user_id = ${userId} and slug = ${slug}) as progress,
        coalesce((select json_agg(json_build_object('extra', extra, 'at', granted_at))
          from quiz_attempt_grants where user_id = ${userId} and slug = ${slug}), '[]'::json) as grants`),
  );
  const date = (v: unknown) => (v == null ? null : new Date(v as string));
  return {
    attempts: row.attempts.map((a) => ({ ...(a as QuizFacts["attempts"][number]), submittedAt: date(a.submittedAt) })),
    certs: row.certs.map((c) => ({
      ...(c as QuizFacts["certs"][number]),
      expiresAt: date(c.expiresAt)!,
      revokedAt: date(c.revokedAt),
    })),
    progress: row.progress
      ? { bestScore: row.progress.bestScore as number | null, passedAt: date(row.progress.passedAt) }
      : null,
    grants: row.grants.map((g) => ({ extra: Number(g.extra), at: date(g.at)! })),
  };
}

export async function quizStatus(
  userId: string,
  mod: ReturnType<typeof requireQuizModule>,
  now = new Date(),
): Promise<QuizStatus> {
  // One round trip: attempts, certificates (the cycle start), the stored best score and the grants.
  const ids = programmesOf(mod.slug).map((p) => p.id);
  const facts = await quizFacts(db, userId, mod.slug, ids);
  const rows = facts.attempts;
  const submitted = rows
    .filter((r) => r.submittedAt)
    .map((r) => ({ id: r.id, submittedAt: r.submittedAt!, score: r.score!, passed: !!r.passed }));
  const inProgress = rows.find((r) => !r.submittedAt);
  // After a certificate expired (or was revoked) a new cycle starts: limits and the best score count from there.
  const start = cycleStartOf(facts.certs, ids, now);
  const inCycle = start ? submitted.filter((r) => r.submittedAt >= start) : submitted;
  let best: { bestScore: number | null; passed: boolean };
  if (start) {
    best = {
      bestScore: inCycle.length ? Math.max(...inCycle.map((r) => r.score)) : null,
      passed: inCycle.some((r) => r.passed),
    };
  } else {
    best = { bestScore: facts.progress?.bestScore ?? null, passed: !!facts.progress?.passedAt };
  }
  const granted = mod.quiz.maxAttempts > 0 ? grantedSince(facts.grants, start) : 0;
  const maxAttempts = mod.quiz.maxAttempts > 0 ? mod.quiz.maxAttempts + granted : 0;
  return {
    submittedCount: inCycle.length,
    maxAttempts,
    granted,
    lastChance: maxAttempts > 0 && !best.passed && inCycle.length === maxAttempts - 1,
    lockedOut: maxAttempts > 0 && !best.passed && inCycle.length >= maxAttempts,
    inProgressId: inProgress?.id ?? null,
    ...best,
    check: checkCanStart({
      submittedCount: inCycle.length,
      maxAttempts,
      lastSubmittedAt: submitted[0]?.submittedAt ?? null,
      cooldownMinutes: mod.quiz.cooldownMinutes,
      now,
    }),
    attempts: submitted,
  };
}

export type StartResult = { ok: true; attemptId: string } | { ok: false; status: 400 | 429; message: string };

/**
 * Starts an attempt, or returns the one already open. The idempotency key (a hidden
 * field of the start form) makes a double tap or a retried request yield one attempt.
 */
export async function startAttempt(userId: string, slug: string, idempotencyKey: string): Promise<StartResult> {
  const mod = requireQuizModule(slug);
  if (!IDEMPOTENCY_KEY_RE.test(idempotencyKey))
    return { ok: false, status: 400, message: "Formulir kuis tidak valid. Muat ulang halaman lalu coba lagi." };
  const ids = programmesOf(slug).map((p) => p.id);
  return db.transaction(async (tx) => {
    // One start at a time per kader (serialises concurrent starts on PostgreSQL).
    await tx.execute(sql`select id from ${users} where ${users.id} = ${userId} for update`);
    // Then one round trip for the attempt of this key, the open one and the cycle's submitted ones.
    const facts = await quizFacts(tx, userId, slug, ids, idempotencyKey);
    const same = facts.attempts.find((a) => a.key === idempotencyKey);
    if (same) {
      if (same.userId !== userId || same.slug !== slug)
        return {
          ok: false as const,
          status: 400 as const,
          message: "Formulir kuis tidak valid. Muat ulang halaman lalu coba lagi.",
        };
      return { ok: true as const, attemptId: same.id };
    }
    const mine = facts.attempts.filter((a) => a.userId === userId && a.slug === slug);
    const open = mine.find((a) => !a.submittedAt);
    if (open) return { ok: true as const, attemptId: open.id };
    const start = cycleStartOf(facts.certs, ids, new Date());
    const submitted = mine
      .filter((a) => a.submittedAt && (!start || a.submittedAt >= start)) // attempts of the current certification cycle
      .sort((a, b) => b.submittedAt!.getTime() - a.submittedAt!.getTime());
    const granted = mod.quiz.maxAttempts > 0 ? grantedSince(facts.grants, start) : 0;
    const check = checkCanStart({
      submittedCount: submitted.length,
      maxAttempts: mod.quiz.maxAttempts > 0 ? mod.quiz.maxAttempts + granted : 0,
      lastSubmittedAt: submitted[0]?.submittedAt ?? null,
      cooldownMinutes: mod.quiz.cooldownMinutes,
      now: new Date(),
    });
    if (!check.ok) return { ok: false as const, status: 429 as const, message: check.message };
    const draw = drawQuestions(mod.quiz, secureRng);
    const id = generateIdFromEntropySize(10);
    await tx.insert(quizAttempts).values({
      id,
      userId,
      slug,
      contentHash: mod.hash,
      questionIds: draw.map((q) => q.id),
      draw,
      passScore: mod.quiz.passScore,
      idempotencyKey,
    });
    return { ok: true as const, attemptId: id };
  });
}

export interface AttemptRecord {
  id: string;
  userId: string;
  slug: string;
  contentHash: string;
  draw: DrawnQuestion[];
  passScore: number;
  startedAt: Date;
  submittedAt: Date | null;
  answers: Record<string, string[]> | null;
  score: number | null;
  passed: boolean | null;
}

/** The attempt if it belongs to this user and module; 404 otherwise (no hint that it exists). */
export async function getOwnAttempt(
  userId: string,
  slug: string,
  attemptId: string | undefined,
): Promise<AttemptRecord> {
  if (!attemptId || !/^[a-z0-9]{8,40}$/.test(attemptId)) throw notFound("Percobaan kuis tidak ditemukan.");
  const [row] = await db
    .select({
      id: quizAttempts.id,
      userId: quizAttempts.userId,
      slug: quizAttempts.slug,
      contentHash: quizAttempts.contentHash,
      draw: quizAttempts.draw,
      passScore: quizAttempts.passScore,
      startedAt: quizAttempts.startedAt,
      submittedAt: quizAttempts.submittedAt,
      answers: quizAttempts.answers,
      score: quizAttempts.score,
      passed: quizAttempts.passed,
    })
    .from(quizAttempts)
    .where(eq(quizAttempts.id, attemptId));
  if (!row || row.userId !== userId || row.slug !== slug) throw notFound("Percobaan kuis tidak ditemukan.");
  return row;
}

/** The questions as the form shows them: no answers, no explanations. */
export function questionsForForm(draw: DrawnQuestion[]) {
  return draw.map(({ id, type, prompt, options, chart }) => ({ id, type, prompt, options, chart: chart ?? null }));
}

export type SubmitResult =
  | { ok: true; alreadySubmitted: boolean; score: number; passed: boolean }
  | { ok: false; message: string; unanswered?: string[]; answers?: Record<string, string[]> };

/** Grades once: a second submit (double tap, retry on a flaky connection) changes nothing. */
export async function submitAttempt(
  userId: string,
  slug: string,
  attemptId: string,
  entries: Iterable<[string, FormDataEntryValue]>,
): Promise<SubmitResult> {
  const attempt = await getOwnAttempt(userId, slug, attemptId);
  if (attempt.submittedAt) return { ok: true, alreadySubmitted: true, score: attempt.score!, passed: !!attempt.passed };
  // Fields named q_<slug>.<id> (answerField); answers keyed by question id, as stored.
  const parsed = parseAnswers(entries, attempt.draw, { slug: () => slug });
  if (!parsed.ok) return { ok: false, message: parsed.message };
  if (parsed.unanswered.length) {
    return {
      ok: false,
      message: `Masih ada ${parsed.unanswered.length} pertanyaan yang belum dijawab.`,
      unanswered: parsed.unanswered,
      answers: parsed.answers,
    };
  }
  const result = scoreAttempt(attempt.draw, parsed.answers, attempt.passScore);
  const graded = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(quizAttempts)
      .set({ submittedAt: new Date(), answers: parsed.answers, score: result.score, passed: result.passed })
      .where(and(eq(quizAttempts.id, attemptId), eq(quizAttempts.userId, userId), isNull(quizAttempts.submittedAt)))
      .returning({ id: quizAttempts.id });
    if (!row) return false;
    await tx
      .insert(moduleProgress)
      .values({
        userId,
        slug,
        contentHash: attempt.contentHash,
        bestScore: result.score,
        passedAt: result.passed ? new Date() : null,
      })
      .onConflictDoUpdate({
        target: [moduleProgress.userId, moduleProgress.slug],
        set: {
          bestScore: sql`greatest(coalesce(${moduleProgress.bestScore}, 0), ${result.score})`,
          passedAt: result.passed ? sql`coalesce(${moduleProgress.passedAt}, now())` : sql`${moduleProgress.passedAt}`,
        },
      });
    // A pass may complete the certification rule: evaluated here, in a savepoint whose
    // failure is logged and never fails the grading; the projection refreshed once.
    await kaderInputsChanged(tx, [userId], { certify: result.passed });
    return true;
  });
  if (!graded) {
    const again = await getOwnAttempt(userId, slug, attemptId);
    return { ok: true, alreadySubmitted: true, score: again.score!, passed: !!again.passed };
  }
  return { ok: true, alreadySubmitted: false, score: result.score, passed: result.passed };
}
