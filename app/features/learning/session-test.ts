/**
 * A session's pre-test and post-test as pure functions (issue 20): the one draw of items over
 * the session's modules, the questions in the order printed and shown, and the summary
 * (average gain and Hake's normalised gain on class averages, per module section).
 */
import type { DrawnQuestion, TestPhase } from "~/db/schema";
import type { Question, QuizBank } from "~/features/catalogue/content-schema";
import { pickGrouped, type Rng, TRUE_FALSE_OPTIONS } from "~/features/learning/quiz-rules";

/** Items of a session test. */
export const SESSION_TEST_ITEMS = 10;

export interface TestItemRef {
  slug: string;
  questionId: string;
}

/** A drawn item as shown and graded: the quiz shape plus its module. */
export type TestQuestion = DrawnQuestion & { slug: string; section: string };

/** The units a bank can give without two of one kelompok. */
function unitCount(questions: readonly Question[]): number {
  return new Set(questions.map((q) => (q.kelompok ? `k:${q.kelompok}` : `i:${q.id}`))).size;
}

/**
 * Draws up to `n` items spread over the modules (round robin, module order), at most one
 * item of each kelompok of a bank (pickGrouped). Two modules' banks may give one id ("k01"):
 * items are told apart by slug and id (answerField, answerKey).
 */
export function drawSessionItems(
  banks: readonly { slug: string; questions: readonly Question[] }[],
  rng: Rng,
  n = SESSION_TEST_ITEMS,
): TestItemRef[] {
  const usable = banks.filter((b) => b.questions.length > 0);
  const caps = usable.map((b) => unitCount(b.questions));
  const alloc = usable.map(() => 0);
  let left = n;
  while (left > 0) {
    let grew = false;
    for (let m = 0; m < usable.length && left > 0; m++) {
      if (alloc[m] < caps[m]) {
        alloc[m]++;
        left--;
        grew = true;
      }
    }
    if (!grew) break;
  }
  const out: TestItemRef[] = [];
  usable.forEach((b, m) => {
    if (!alloc[m]) return;
    for (const q of pickGrouped(b.questions, alloc[m], rng)) out.push({ slug: b.slug, questionId: q.id });
  });
  return out;
}

/**
 * The stored items as questions, options in the bank's order (true/false: Benar, Salah), so
 * the paper sheet, the phone and both phases show the same thing. Items no longer in their
 * bank are left out.
 */
export function testQuestions(
  items: readonly TestItemRef[],
  bankOf: (slug: string) => QuizBank | null,
): TestQuestion[] {
  const out: TestQuestion[] = [];
  for (const item of items) {
    const q = bankOf(item.slug)?.questions.find((x) => x.id === item.questionId);
    if (!q) continue;
    const base = { id: q.id, prompt: q.prompt, explanation: q.explanation, section: q.section, slug: item.slug };
    if (q.type === "truefalse")
      out.push({ ...base, type: q.type, options: TRUE_FALSE_OPTIONS, answer: [q.answer ? "benar" : "salah"] });
    else
      out.push({
        ...base,
        type: q.type,
        options: [...q.options],
        answer: q.type === "single" ? [q.answer] : [...q.answer].sort(),
        ...(q.chart ? { chart: q.chart } : {}),
      });
  }
  return out;
}

/** Letters printed before the options on paper: a, b, c… (true/false: B, S). */
export function optionLetter(q: Pick<DrawnQuestion, "type">, index: number): string {
  if (q.type === "truefalse") return index === 0 ? "B" : "S";
  return String.fromCharCode(97 + index);
}

// ---------------------------------------------------------------- summary

export interface ResultFact {
  userId: string;
  phase: TestPhase;
  score: number;
}

export interface AnswerFact {
  userId: string;
  phase: TestPhase;
  slug: string;
  section: string;
  ok: number;
}

export interface SectionFigures {
  slug: string;
  section: string;
  /** Participants with both phases who answered an item of this section. */
  pairs: number;
  /** % of the pairs' item answers right, before and after (null without answers). */
  preRight: number | null;
  postRight: number | null;
}

export interface TestSummary {
  /** Results stored per phase (paired or not). */
  preCount: number;
  postCount: number;
  /** Participants with both a pre-test and a post-test. */
  pairs: number;
  /** Averages over the pairs (null when pairs = 0). */
  avgPre: number | null;
  avgPost: number | null;
  /** avgPost − avgPre, in points. */
  avgGain: number | null;
  /** Hake (1998) on class averages: (avgPost − avgPre) / (100 − avgPre); null when avgPre = 100 or no pairs. */
  normalisedGain: number | null;
  sections: SectionFigures[];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The summary of a session test, exact (rounding is for display only). */
export function summariseTest(results: readonly ResultFact[], answers: readonly AnswerFact[]): TestSummary {
  const pre = new Map<string, number>();
  const post = new Map<string, number>();
  for (const r of results) (r.phase === "pre" ? pre : post).set(r.userId, r.score);
  const paired = [...pre.keys()].filter((u) => post.has(u));
  const pairSet = new Set(paired);
  const avgPre = paired.length ? mean(paired.map((u) => pre.get(u)!)) : null;
  const avgPost = paired.length ? mean(paired.map((u) => post.get(u)!)) : null;
  const avgGain = avgPre !== null && avgPost !== null ? avgPost - avgPre : null;
  const normalisedGain = avgPre !== null && avgGain !== null && avgPre < 100 ? avgGain / (100 - avgPre) : null;

  type Acc = { slug: string; section: string; users: Set<string>; pre: [number, number]; post: [number, number] };
  const bySection = new Map<string, Acc>();
  for (const a of answers) {
    if (!pairSet.has(a.userId)) continue;
    const key = `${a.slug}#${a.section}`;
    let acc = bySection.get(key);
    if (!acc) {
      acc = { slug: a.slug, section: a.section, users: new Set(), pre: [0, 0], post: [0, 0] };
      bySection.set(key, acc);
    }
    acc.users.add(a.userId);
    const cell = a.phase === "pre" ? acc.pre : acc.post;
    cell[0] += a.ok ? 1 : 0;
    cell[1] += 1;
  }
  const pct = ([right, all]: [number, number]) => (all ? (100 * right) / all : null);
  return {
    preCount: pre.size,
    postCount: post.size,
    pairs: paired.length,
    avgPre,
    avgPost,
    avgGain,
    normalisedGain,
    sections: [...bySection.values()].map((s) => ({
      slug: s.slug,
      section: s.section,
      pairs: s.users.size,
      preRight: pct(s.pre),
      postRight: pct(s.post),
    })),
  };
}

/** "12,5" (one decimal, Indonesian mark); "—" for null. */
export function fmt1(n: number | null): string {
  return n === null ? "—" : (Math.round(n * 10) / 10).toLocaleString("id-ID", { maximumFractionDigits: 1 });
}

/** "0,45" (two decimals); "—" for null. */
export function fmt2(n: number | null): string {
  return n === null
    ? "—"
    : (Math.round(n * 100) / 100).toLocaleString("id-ID", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
