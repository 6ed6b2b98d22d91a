/**
 * Item-writing rules for quiz banks and the test-wise guesser (README, "Menulis modul").
 * Pure functions: the suite runs them over every content/modules/*\/quiz.yaml and
 * `npm run content:check` prints the figures.
 */
import type { Question, QuizBank } from "~/features/learning/content-schema";

export const QUALITY_LIMITS = {
  minQuestions: 20,
  draw: 10,
  /** Share of single-choice items whose key is the strictly longest option. */
  maxLongestKeyShare: 0.35,
  /** Share of multiple-choice items whose key is every option but one. */
  maxAllButOneShare: 0.4,
  /** Prompts that ask what "the module" said instead of a decision on the job. */
  maxModuleRecallPrompts: 1,
  /** Pass probability of the test-wise guesser per attempt. */
  maxGuesserPass: 0.05,
} as const;

type Single = Extract<Question, { type: "single" }>;
type Multiple = Extract<Question, { type: "multiple" }>;

const MODULE_RECALL =
  /\b(menurut|dalam|di|pada|sesuai)\s+modul\b|\bmodul\s+(ini\s+)?(menyebut|mengatakan|menjelaskan|membahas)/i;

export function isModuleRecallPrompt(prompt: string): boolean {
  return MODULE_RECALL.test(prompt);
}

/** The key is longer than every other option (by characters). */
export function keyIsStrictlyLongest(q: Single): boolean {
  const key = q.options.find((o) => o.id === q.answer)!;
  return q.options.every((o) => o.id === q.answer || o.text.length < key.text.length);
}

export function keyIsAllOptions(q: Multiple): boolean {
  return q.answer.length === q.options.length;
}

export function keyIsAllButOne(q: Multiple): boolean {
  return q.answer.length === q.options.length - 1;
}

/** Normalised prompt for the "no two banks share a question" rule. */
export function promptKey(prompt: string): string {
  return prompt
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/**
 * Probability that the test-wise guesser answers one question right: the longest option
 * of a single-choice item (a random one among equally long), every option but the
 * shortest of a multiple-choice item (a random shortest one left out), a coin for
 * true/false.
 */
export function guesserHitProbability(q: Question): number {
  if (q.type === "truefalse") return 0.5;
  const lengths = q.options.map((o) => o.text.length);
  if (q.type === "single") {
    const max = Math.max(...lengths);
    const longest = q.options.filter((o) => o.text.length === max);
    return longest.some((o) => o.id === q.answer) ? 1 / longest.length : 0;
  }
  const min = Math.min(...lengths);
  const shortest = q.options.filter((o) => o.text.length === min);
  const key = new Set(q.answer);
  const hits = shortest.filter((s) => q.options.every((o) => (o.id === s.id ? !key.has(o.id) : key.has(o.id)))).length;
  return hits / shortest.length;
}

/** Fewest right answers out of `draw` that reach `passScore` (scores are floor(100 * right / draw)). */
export function rightAnswersToPass(draw: number, passScore: number): number {
  for (let c = 0; c <= draw; c++) if (Math.floor((100 * c) / draw) >= passScore) return c;
  return draw + 1;
}

/**
 * Exact probability that the guesser passes one attempt: every draw of `bank.draw`
 * questions is equally likely (drawQuestions), and within a draw the questions are
 * independent. Dynamic programming over (questions drawn, right answers).
 */
export function guesserPassProbability(
  bank: Pick<QuizBank, "draw" | "passScore" | "questions">,
  passScore = bank.passScore,
): number {
  const n = bank.questions.length;
  const k = Math.min(bank.draw, n);
  // f[j][c]: sum over j-subsets of the questions seen so far of P(c right).
  let f: number[][] = Array.from({ length: k + 1 }, () => new Array<number>(k + 1).fill(0));
  f[0][0] = 1;
  for (const q of bank.questions) {
    const p = guesserHitProbability(q);
    const next = f.map((row) => [...row]);
    for (let j = 0; j < k; j++) {
      for (let c = 0; c <= j; c++) {
        const w = f[j][c];
        if (!w) continue;
        next[j + 1][c + 1] += w * p;
        next[j + 1][c] += w * (1 - p);
      }
    }
    f = next;
  }
  let subsets = 1;
  for (let i = 0; i < k; i++) subsets = (subsets * (n - i)) / (i + 1);
  const need = rightAnswersToPass(k, passScore);
  let pass = 0;
  for (let c = need; c <= k; c++) pass += f[k][c];
  return pass / subsets;
}

export interface BankReport {
  questions: number;
  single: number;
  multiple: number;
  truefalse: number;
  longestKey: number;
  allButOne: number;
  allOptions: number;
  moduleRecall: number;
  guesserPass: number;
}

export function bankReport(bank: QuizBank, passScore = bank.passScore): BankReport {
  const singles = bank.questions.filter((q): q is Single => q.type === "single");
  const multiples = bank.questions.filter((q): q is Multiple => q.type === "multiple");
  return {
    questions: bank.questions.length,
    single: singles.length,
    multiple: multiples.length,
    truefalse: bank.questions.length - singles.length - multiples.length,
    longestKey: singles.filter(keyIsStrictlyLongest).length,
    allButOne: multiples.filter(keyIsAllButOne).length,
    allOptions: multiples.filter(keyIsAllOptions).length,
    moduleRecall: bank.questions.filter((q) => isModuleRecallPrompt(q.prompt)).length,
    guesserPass: guesserPassProbability(bank, passScore),
  };
}

/** Rule violations of one bank, as readable sentences (empty when the bank is fine). */
export function bankIssues(bank: QuizBank, passScore = bank.passScore): string[] {
  const r = bankReport(bank, passScore);
  const L = QUALITY_LIMITS;
  const issues: string[] = [];
  if (r.questions < L.minQuestions) issues.push(`${r.questions} questions (at least ${L.minQuestions})`);
  if (bank.draw !== L.draw) issues.push(`draw ${bank.draw} (expected ${L.draw})`);
  if (r.single && r.longestKey / r.single > L.maxLongestKeyShare)
    issues.push(
      `key is the strictly longest option in ${r.longestKey} of ${r.single} single-choice items (at most ${L.maxLongestKeyShare * 100}%)`,
    );
  if (r.allOptions) issues.push(`${r.allOptions} multiple-choice item(s) keyed on every option`);
  if (r.multiple && r.allButOne / r.multiple > L.maxAllButOneShare)
    issues.push(
      `key is "all but one" in ${r.allButOne} of ${r.multiple} multiple-choice items (at most ${L.maxAllButOneShare * 100}%)`,
    );
  if (r.moduleRecall > L.maxModuleRecallPrompts)
    issues.push(`${r.moduleRecall} prompts ask what the module said (at most ${L.maxModuleRecallPrompts})`);
  if (r.guesserPass > L.maxGuesserPass)
    issues.push(
      `a test-wise guesser passes with probability ${(r.guesserPass * 100).toFixed(2)}% (at most ${L.maxGuesserPass * 100}%)`,
    );
  return issues;
}

/** Prompts that appear in more than one bank: [prompt, bank names]. */
export function sharedPrompts(banks: { name: string; bank: QuizBank }[]): [string, string[]][] {
  const where = new Map<string, { prompt: string; names: Set<string> }>();
  for (const { name, bank } of banks) {
    for (const q of bank.questions) {
      const key = promptKey(q.prompt);
      const entry = where.get(key) ?? { prompt: q.prompt, names: new Set<string>() };
      entry.names.add(name);
      where.set(key, entry);
    }
  }
  return [...where.values()].filter((e) => e.names.size > 1).map((e) => [e.prompt, [...e.names]]);
}
