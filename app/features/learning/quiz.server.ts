/**
 * The quiz attempt lifecycle: start (random draw stored on the server), submit (graded
 * on the server, exactly once), review. Answers never leave the server before submission.
 */
import { refreshKaderProgress } from "~/features/reporting/reports.server";
import { randomInt } from "node:crypto";
import { and, desc, eq, gte, isNotNull, isNull, sql } from "drizzle-orm";
import { generateIdFromEntropySize } from "lucia";
import { db } from "~/db.server";
import { moduleProgress, quizAttemptGrants, quizAttempts, users, type DrawnQuestion } from "~/db/schema";
import type { Conn } from "~/db.server";
import { getModule, programmesOf, type ModuleContent } from "~/features/learning/content.server";
import { evaluateCertification, quizCycleStart } from "~/features/certification/evaluate.server";
import { checkCanStart, drawQuestions, parseAnswers, scoreAttempt, type StartCheck } from "~/features/learning/quiz-rules";
import { notFound } from "~/lib/http";

/** Crypto-strength randomness for draws (a kader cannot predict the next draw). */
const secureRng = () => randomInt(0, 2 ** 32) / 2 ** 32;

export const IDEMPOTENCY_KEY_RE = /^[a-f0-9]{32}$/;

/** The module, or 404 when unknown; 404 as well when it is in no programme (no quiz to take). */
export function requireQuizModule(slug: string | undefined): ModuleContent & { quiz: NonNullable<ModuleContent["quiz"]> } {
  const mod = slug ? getModule(slug) : undefined;
  if (!mod) throw notFound("Modul tidak ditemukan.");
  if (!mod.quiz || programmesOf(mod.slug).length === 0) throw notFound("Modul ini tidak memiliki kuis dalam program sertifikasi.");
  return mod as ModuleContent & { quiz: NonNullable<ModuleContent["quiz"]> };
}

/**
 * Extra attempts granted by Tim Pembina for this quiz in the current cycle (grants made
 * before the cycle began belonged to the earlier cycle).
 */
export async function grantedExtra(userId: string, slug: string, start: Date | null, conn: Conn = db): Promise<number> {
  const [row] = await conn
    .select({ n: sql<number>`coalesce(sum(${quizAttemptGrants.extra}), 0)::int` })
    .from(quizAttemptGrants)
    .where(and(eq(quizAttemptGrants.userId, userId), eq(quizAttemptGrants.slug, slug), start ? gte(quizAttemptGrants.grantedAt, start) : undefined));
  return Number(row?.n ?? 0);
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

export async function quizStatus(userId: string, mod: ReturnType<typeof requireQuizModule>, now = new Date()): Promise<QuizStatus> {
  const rows = await db
    .select({ id: quizAttempts.id, submittedAt: quizAttempts.submittedAt, score: quizAttempts.score, passed: quizAttempts.passed })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.slug, mod.slug)))
    .orderBy(desc(quizAttempts.startedAt));
  const submitted = rows.filter((r) => r.submittedAt) as { id: string; submittedAt: Date; score: number; passed: boolean }[];
  const inProgress = rows.find((r) => !r.submittedAt);
  // After a certificate expired (or was revoked) a new cycle starts: limits and the best score count from there.
  const start = await quizCycleStart(userId, mod.slug, now);
  const inCycle = start ? submitted.filter((r) => r.submittedAt >= start) : submitted;
  let best: { bestScore: number | null; passed: boolean };
  if (start) {
    best = { bestScore: inCycle.length ? Math.max(...inCycle.map((r) => r.score)) : null, passed: inCycle.some((r) => r.passed) };
  } else {
    const [progress] = await db
      .select({ bestScore: moduleProgress.bestScore, passedAt: moduleProgress.passedAt })
      .from(moduleProgress)
      .where(and(eq(moduleProgress.userId, userId), eq(moduleProgress.slug, mod.slug)));
    best = { bestScore: progress?.bestScore ?? null, passed: !!progress?.passedAt };
  }
  const granted = mod.quiz.maxAttempts > 0 ? await grantedExtra(userId, mod.slug, start) : 0;
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
  if (!IDEMPOTENCY_KEY_RE.test(idempotencyKey)) return { ok: false, status: 400, message: "Formulir kuis tidak valid. Muat ulang halaman lalu coba lagi." };
  const start = await quizCycleStart(userId, slug);
  return db.transaction(async (tx) => {
    // One start at a time per kader (serialises concurrent starts on PostgreSQL).
    await tx.execute(sql`select id from ${users} where ${users.id} = ${userId} for update`);
    const [same] = await tx
      .select({ id: quizAttempts.id, userId: quizAttempts.userId, slug: quizAttempts.slug })
      .from(quizAttempts)
      .where(eq(quizAttempts.idempotencyKey, idempotencyKey));
    if (same) {
      if (same.userId !== userId || same.slug !== slug) return { ok: false as const, status: 400 as const, message: "Formulir kuis tidak valid. Muat ulang halaman lalu coba lagi." };
      return { ok: true as const, attemptId: same.id };
    }
    const [open] = await tx
      .select({ id: quizAttempts.id })
      .from(quizAttempts)
      .where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.slug, slug), isNull(quizAttempts.submittedAt)));
    if (open) return { ok: true as const, attemptId: open.id };
    const submitted = await tx
      .select({ submittedAt: quizAttempts.submittedAt })
      .from(quizAttempts)
      .where(
        and(
          eq(quizAttempts.userId, userId),
          eq(quizAttempts.slug, slug),
          isNotNull(quizAttempts.submittedAt),
          start ? gte(quizAttempts.submittedAt, start) : undefined, // attempts of the current certification cycle
        ),
      )
      .orderBy(desc(quizAttempts.submittedAt));
    const granted = mod.quiz.maxAttempts > 0 ? await grantedExtra(userId, slug, start, tx) : 0;
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
export async function getOwnAttempt(userId: string, slug: string, attemptId: string | undefined): Promise<AttemptRecord> {
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
  return draw.map(({ id, type, prompt, options }) => ({ id, type, prompt, options }));
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
  const parsed = parseAnswers(entries, attempt.draw);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  if (parsed.unanswered.length) {
    return { ok: false, message: `Masih ada ${parsed.unanswered.length} pertanyaan yang belum dijawab.`, unanswered: parsed.unanswered, answers: parsed.answers };
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
      .values({ userId, slug, contentHash: attempt.contentHash, bestScore: result.score, passedAt: result.passed ? new Date() : null })
      .onConflictDoUpdate({
        target: [moduleProgress.userId, moduleProgress.slug],
        set: {
          bestScore: sql`greatest(coalesce(${moduleProgress.bestScore}, 0), ${result.score})`,
          passedAt: result.passed ? sql`coalesce(${moduleProgress.passedAt}, now())` : sql`${moduleProgress.passedAt}`,
        },
      });
    await refreshKaderProgress([userId], tx);
    return true;
  });
  if (!graded) {
    const again = await getOwnAttempt(userId, slug, attemptId);
    return { ok: true, alreadySubmitted: true, score: again.score!, passed: !!again.passed };
  }
  // A pass may complete the certification rule. Never fails the grading: errors are logged.
  if (result.passed) await evaluateCertification(userId);
  return { ok: true, alreadySubmitted: false, score: result.score, passed: result.passed };
}
