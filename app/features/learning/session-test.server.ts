/**
 * A session's pre-test and post-test (issue 20): the one draw of items (workshop_tests), the
 * participant's own test on the phone, the pembina's typing-in of paper sheets (with
 * correction, audited; a phone result is never overwritten) and the summary on the session page.
 * Pure rules: session-test.ts; grading: quiz-rules.ts.
 */
import { randomInt } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { SessionUser } from "~/auth.server";
import { audit } from "~/audit.server";
import { db, type Tx } from "~/db.server";
import { type TestPhase, type TestSource, workshopTestAnswers, workshopTestResults, workshopTests } from "~/db/schema";
import { getModule } from "~/features/catalogue/content.server";
import { participants } from "~/features/workshops/enrolment.server";
import { PRESENT, participation, rosterOr404, workshopOr404 } from "~/features/workshops/measure-access.server";
import type { Workshop } from "~/features/workshops/access.server";
import { evaluationsByUser } from "~/features/workshops/evaluation.server";
import type { ParticipantMeasures } from "~/features/workshops/exports.server";
import { type Answers, answerKey, type DrawKeys, parseAnswers, scoreAttempt } from "~/features/learning/quiz-rules";
import {
  drawSessionItems,
  summariseTest,
  type TestItemRef,
  type TestQuestion,
  type TestSummary,
  testQuestions,
} from "~/features/learning/session-test";
import { notFound } from "~/lib/http";

const secureRng = () => randomInt(0, 2 ** 32) / 2 ** 32;

export const PHASE_LABEL: Record<TestPhase, string> = { pre: "Pre-test", post: "Post-test" };

export interface SessionTest {
  items: TestItemRef[];
  questions: TestQuestion[];
}

const bankOf = (slug: string) => getModule(slug)?.quiz ?? null;

/** An item's answers are keyed by module slug and question id: banks reuse ids ("k01"). */
const itemKey = (q: TestQuestion) => answerKey(q.slug, q.id);
const TEST_KEYS: DrawKeys<TestQuestion> = { slug: (q) => q.slug, key: itemKey };

/** One participant's rows of one phase, in the results or the answers table. */
function onePhase(
  table: typeof workshopTestResults | typeof workshopTestAnswers,
  workshopId: number,
  userId: string,
  phase: TestPhase,
) {
  return and(eq(table.workshopId, workshopId), eq(table.userId, userId), eq(table.phase, phase));
}

/** The session's test, or null when none was drawn yet. */
export async function getSessionTest(workshopId: number): Promise<SessionTest | null> {
  const [row] = await db
    .select({ items: workshopTests.items })
    .from(workshopTests)
    .where(eq(workshopTests.workshopId, workshopId));
  return row ? { items: row.items, questions: testQuestions(row.items, bankOf) } : null;
}

export type CreateResult = { ok: true; created: boolean } | { ok: false; message: string };

/**
 * Draws the session's one set of items (staff with roster access). A second call returns the
 * existing set: the primary key holds one set per session.
 */
export async function createSessionTest(actor: SessionUser, workshopId: number): Promise<CreateResult> {
  const w = await rosterOr404(actor, workshopId);
  if (await getSessionTest(w.id)) return { ok: true, created: false };
  const banks = w.moduleSlugs.flatMap((slug) => {
    const quiz = bankOf(slug);
    return quiz ? [{ slug, questions: quiz.questions }] : [];
  });
  if (!banks.length)
    return {
      ok: false,
      message: "Kegiatan ini belum memiliki modul berkuis. Pilih modul pada halaman ubah jadwal, lalu buat tes.",
    };
  const items = drawSessionItems(banks, secureRng);
  const inserted = await db
    .insert(workshopTests)
    .values({ workshopId: w.id, items, createdBy: actor.id })
    .onConflictDoNothing()
    .returning({ id: workshopTests.workshopId });
  return { ok: true, created: inserted.length > 0 };
}

export interface StoredResult {
  phase: TestPhase;
  source: TestSource;
  score: number;
  correct: number;
  total: number;
}

async function resultsOf(workshopId: number, userId: string, conn: Tx | typeof db = db): Promise<StoredResult[]> {
  return conn
    .select({
      phase: workshopTestResults.phase,
      source: workshopTestResults.source,
      score: workshopTestResults.score,
      correct: workshopTestResults.correct,
      total: workshopTestResults.total,
    })
    .from(workshopTestResults)
    .where(and(eq(workshopTestResults.workshopId, workshopId), eq(workshopTestResults.userId, userId)));
}

/** Stores one phase's result and its answers; false when that phase is already stored. */
async function storeResult(
  tx: Tx,
  input: {
    workshopId: number;
    userId: string;
    phase: TestPhase;
    source: TestSource;
    enteredBy: string;
    questions: TestQuestion[];
    answers: Answers;
  },
): Promise<boolean> {
  const graded = scoreAttempt(input.questions, input.answers, 100, itemKey);
  const inserted = await tx
    .insert(workshopTestResults)
    .values({
      workshopId: input.workshopId,
      userId: input.userId,
      phase: input.phase,
      source: input.source,
      score: graded.score,
      correct: graded.correct,
      total: graded.total,
      enteredBy: input.enteredBy,
    })
    .onConflictDoNothing()
    .returning({ userId: workshopTestResults.userId });
  if (!inserted.length) return false;
  if (input.questions.length)
    await tx.insert(workshopTestAnswers).values(
      input.questions.map((q) => ({
        workshopId: input.workshopId,
        userId: input.userId,
        phase: input.phase,
        slug: q.slug,
        questionId: q.id,
        section: q.section,
        given: (input.answers[itemKey(q)] ?? []).join(","),
        ok: graded.perQuestion[itemKey(q)] ? 1 : 0,
      })),
    );
  return true;
}

// ---------------------------------------------------------------- on the phone

export interface ParticipantTest {
  workshop: Workshop;
  test: SessionTest | null;
  pre: StoredResult | null;
  post: StoredResult | null;
  /** The phase the page offers: pre until she submitted it, then post; null when both are in. */
  phase: TestPhase | null;
}

/** The participant's view of the session test; 404 for anyone not enrolled in or present at it. */
export async function participantTest(user: SessionUser, workshopId: number): Promise<ParticipantTest> {
  const w = await workshopOr404(user, workshopId);
  const p = await participation(user.id, w.id);
  if (!p.enrolled && !p.attended) throw notFound("Tes ini hanya untuk peserta kegiatan.");
  const test = await getSessionTest(w.id);
  const results = await resultsOf(w.id, user.id);
  const pre = results.find((r) => r.phase === "pre") ?? null;
  const post = results.find((r) => r.phase === "post") ?? null;
  return { workshop: w, test, pre, post, phase: !pre ? "pre" : !post ? "post" : null };
}

export type SubmitResult =
  | { ok: true; phase: TestPhase; stored: boolean }
  | { ok: false; message: string; unanswered?: string[]; answers?: Answers };

/**
 * The participant's own submission of one phase. A double submit stores once (the primary
 * key) and answers the stored result; the post-test needs the pre-test first.
 */
export async function submitPhoneTest(
  user: SessionUser,
  workshopId: number,
  phaseInput: unknown,
  entries: Iterable<[string, FormDataEntryValue]>,
): Promise<SubmitResult> {
  const t = await participantTest(user, workshopId);
  const phase = phaseInput === "pre" || phaseInput === "post" ? phaseInput : null;
  if (!phase) return { ok: false, message: "Tahap tes tidak dikenal. Muat ulang halaman." };
  if (!t.test?.questions.length) return { ok: false, message: "Tes untuk kegiatan ini belum dibuat." };
  if (t.workshop.status === "cancelled") return { ok: false, message: "Kegiatan ini dibatalkan." };
  if ((phase === "pre" ? t.pre : t.post) !== null) return { ok: true, phase, stored: false };
  if (phase === "post" && !t.pre) return { ok: false, message: "Kerjakan pre-test lebih dulu." };
  const parsed = parseAnswers(entries, t.test.questions, TEST_KEYS);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  if (parsed.unanswered.length)
    return {
      ok: false,
      message: `Masih ada ${parsed.unanswered.length} soal yang belum dijawab.`,
      unanswered: parsed.unanswered,
      answers: parsed.answers,
    };
  const questions = t.test.questions;
  const stored = await db.transaction((tx) =>
    storeResult(tx, {
      workshopId: t.workshop.id,
      userId: user.id,
      phase,
      source: "ponsel",
      enteredBy: user.id,
      questions,
      answers: parsed.answers,
    }),
  );
  return { ok: true, phase, stored };
}

// ---------------------------------------------------------------- on paper

export interface PaperParticipant {
  userId: string;
  name: string;
  posyanduName: string | null;
  pre: TestSource | null;
  post: TestSource | null;
}

/** Who may have a paper sheet typed in: enrolled or present; with the source of each phase stored. */
export async function paperParticipants(workshopId: number): Promise<PaperParticipant[]> {
  const rows = await participants(workshopId);
  const results = await db
    .select({
      userId: workshopTestResults.userId,
      phase: workshopTestResults.phase,
      source: workshopTestResults.source,
    })
    .from(workshopTestResults)
    .where(eq(workshopTestResults.workshopId, workshopId));
  const present = new Set<string>(PRESENT);
  const source = new Map(results.map((x) => [`${x.userId}:${x.phase}`, x.source]));
  return rows
    .filter((r) => r.enrolment === "enrolled" || (r.attendance && present.has(r.attendance)))
    .map((r) => ({
      userId: r.userId,
      name: r.name,
      posyanduName: r.posyanduName,
      pre: source.get(`${r.userId}:pre`) ?? null,
      post: source.get(`${r.userId}:post`) ?? null,
    }));
}

export type PaperResult =
  | { ok: true; outcome: "stored" | "corrected" | "unchanged"; score: number }
  | { ok: false; message: string };

/**
 * The pembina types one participant's paper sheet of one phase (blank items allowed). A paper
 * result may be corrected (replaced, audited); a phone result is never overwritten.
 */
export async function enterPaperTest(
  actor: SessionUser,
  workshopId: number,
  input: { userId: unknown; phase: unknown },
  entries: Iterable<[string, FormDataEntryValue]>,
): Promise<PaperResult> {
  const w = await rosterOr404(actor, workshopId);
  const phase: TestPhase | null = input.phase === "pre" || input.phase === "post" ? input.phase : null;
  if (!phase) return { ok: false, message: "Pilih tahap: pre-test atau post-test." };
  const userId = typeof input.userId === "string" ? input.userId : "";
  const people = await paperParticipants(w.id);
  if (!people.some((p) => p.userId === userId)) return { ok: false, message: "Pilih peserta kegiatan ini." };
  const test = await getSessionTest(w.id);
  if (!test?.questions.length) return { ok: false, message: "Tes untuk kegiatan ini belum dibuat." };
  const parsed = parseAnswers(entries, test.questions, TEST_KEYS);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  const answers = parsed.answers;
  const score = scoreAttempt(test.questions, answers, 100, itemKey).score;
  return db.transaction(async (tx) => {
    const [prev] = await tx
      .select({ source: workshopTestResults.source, score: workshopTestResults.score })
      .from(workshopTestResults)
      .where(onePhase(workshopTestResults, w.id, userId, phase))
      .for("update");
    if (prev?.source === "ponsel")
      return {
        ok: false,
        message: "Peserta ini sudah mengerjakan tes tahap ini di ponsel: hasilnya tidak dapat diganti.",
      };
    const row = {
      workshopId: w.id,
      userId,
      phase,
      source: "kertas" as const,
      enteredBy: actor.id,
      questions: test.questions,
      answers,
    };
    if (prev) {
      const old = await tx
        .select({
          slug: workshopTestAnswers.slug,
          questionId: workshopTestAnswers.questionId,
          given: workshopTestAnswers.given,
        })
        .from(workshopTestAnswers)
        .where(onePhase(workshopTestAnswers, w.id, userId, phase));
      const same =
        old.length === test.questions.length &&
        old.every((o) => o.given === (answers[answerKey(o.slug, o.questionId)] ?? []).join(","));
      if (same) return { ok: true, outcome: "unchanged", score } as const;
      await tx.delete(workshopTestAnswers).where(onePhase(workshopTestAnswers, w.id, userId, phase));
      await tx.delete(workshopTestResults).where(onePhase(workshopTestResults, w.id, userId, phase));
    }
    const stored = await storeResult(tx, row);
    if (!stored) return { ok: true, outcome: "unchanged", score } as const;
    await audit(
      {
        actorId: actor.id,
        action: prev ? "session-test.paper-correct" : "session-test.paper",
        entity: "workshop",
        entityId: w.id,
        regionCode: w.regionCode,
        detail: { userId, phase, score, ...(prev ? { previousScore: prev.score } : {}) },
      },
      tx,
    );
    return { ok: true, outcome: prev ? "corrected" : "stored", score } as const;
  });
}

// ---------------------------------------------------------------- summary and exports

export interface SectionRow {
  moduleTitle: string;
  sectionTitle: string;
  pairs: number;
  preRight: number | null;
  postRight: number | null;
}

export interface SessionTestSummary extends Omit<TestSummary, "sections"> {
  sections: SectionRow[];
}

/** The summary of the session page: averages over the pairs and the sections in item order. */
export async function sessionTestSummary(workshopId: number): Promise<SessionTestSummary> {
  const [results, answers, test] = await Promise.all([
    db
      .select({
        userId: workshopTestResults.userId,
        phase: workshopTestResults.phase,
        score: workshopTestResults.score,
      })
      .from(workshopTestResults)
      .where(eq(workshopTestResults.workshopId, workshopId)),
    db
      .select({
        userId: workshopTestAnswers.userId,
        phase: workshopTestAnswers.phase,
        slug: workshopTestAnswers.slug,
        section: workshopTestAnswers.section,
        ok: workshopTestAnswers.ok,
      })
      .from(workshopTestAnswers)
      .where(eq(workshopTestAnswers.workshopId, workshopId)),
    getSessionTest(workshopId),
  ]);
  const summary = summariseTest(results, answers);
  const order = (test?.questions ?? []).map((q) => `${q.slug}#${q.section}`);
  const rank = (key: string) => {
    const i = order.indexOf(key);
    return i < 0 ? order.length : i;
  };
  const sections = [...summary.sections]
    .sort((a, b) => rank(`${a.slug}#${a.section}`) - rank(`${b.slug}#${b.section}`))
    .map((s) => {
      const mod = getModule(s.slug);
      return {
        moduleTitle: mod?.frontmatter.title ?? s.slug,
        sectionTitle: mod?.headings.find((h) => h.id === s.section)?.text ?? s.section,
        pairs: s.pairs,
        preRight: s.preRight,
        postRight: s.postRight,
      };
    });
  return { ...summary, sections };
}

/** Each participant's pre and post score, for the attendance exports. */
export async function testScoresByUser(
  workshopId: number,
): Promise<Map<string, { pre: number | null; post: number | null }>> {
  const rows = await db
    .select({ userId: workshopTestResults.userId, phase: workshopTestResults.phase, score: workshopTestResults.score })
    .from(workshopTestResults)
    .where(eq(workshopTestResults.workshopId, workshopId));
  const out = new Map<string, { pre: number | null; post: number | null }>();
  for (const r of rows) {
    const cur = out.get(r.userId) ?? { pre: null, post: null };
    cur[r.phase] = r.score;
    out.set(r.userId, cur);
  }
  return out;
}

/**
 * The measures of the attendance exports: test scores and evaluation per participant, or
 * undefined when the session has neither a test nor an evaluation (the columns are left out).
 */
export async function sessionMeasures(workshopId: number): Promise<Map<string, ParticipantMeasures> | undefined> {
  const [test, scores, evaluations] = await Promise.all([
    getSessionTest(workshopId),
    testScoresByUser(workshopId),
    evaluationsByUser(workshopId),
  ]);
  if (!test && !evaluations.size) return undefined;
  const out = new Map<string, ParticipantMeasures>();
  for (const id of new Set([...scores.keys(), ...evaluations.keys()])) {
    const s = scores.get(id);
    const e = evaluations.get(id);
    out.set(id, {
      pre: s?.pre ?? null,
      post: s?.post ?? null,
      relevance: e?.relevance ?? null,
      clarity: e?.clarity ?? null,
      speaker: e?.speaker ?? null,
    });
  }
  return out;
}

/** A participant's stored answers of one phase (to correct a paper sheet), keyed by slug and id, or null. */
export async function storedAnswers(
  workshopId: number,
  userId: string,
  phase: TestPhase,
): Promise<{ source: TestSource; score: number; given: Answers } | null> {
  const [result] = (await resultsOf(workshopId, userId)).filter((r) => r.phase === phase);
  if (!result) return null;
  const rows = await db
    .select({
      slug: workshopTestAnswers.slug,
      questionId: workshopTestAnswers.questionId,
      given: workshopTestAnswers.given,
    })
    .from(workshopTestAnswers)
    .where(onePhase(workshopTestAnswers, workshopId, userId, phase));
  const given: Answers = {};
  for (const r of rows) given[answerKey(r.slug, r.questionId)] = r.given ? r.given.split(",") : [];
  return { source: result.source, score: result.score, given };
}
