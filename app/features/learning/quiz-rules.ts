/** Quiz rules as pure functions: drawing, answer parsing, scoring, attempt limits. */
import type { DrawnQuestion } from "~/db/schema";
import type { QuizBank } from "~/features/catalogue/content-schema";

export type Rng = () => number;

export const TRUE_FALSE_OPTIONS = [
  { id: "benar", text: "Benar" },
  { id: "salah", text: "Salah" },
];

export function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * Picks `k` items uniformly among the sets that hold at most one item of each group
 * (items sharing a `kelompok` test one fact or answer each other). Without groups this is
 * a plain uniform k-subset. Sequential sampling with exact counts: ways[g][j] = number of
 * valid j-sets from groups g.. — so every valid set has the same probability, which is
 * what the exact guesser probability in quiz-quality.ts assumes.
 */
export function pickGrouped<T extends { id: string; kelompok?: string }>(
  items: readonly T[],
  k: number,
  rng: Rng,
): T[] {
  const byGroup = new Map<string, T[]>();
  for (const q of items) {
    const key = q.kelompok ? `k:${q.kelompok}` : `i:${q.id}`;
    byGroup.set(key, [...(byGroup.get(key) ?? []), q]);
  }
  const groups = [...byGroup.values()];
  const n = Math.min(k, groups.length);
  const ways: number[][] = Array.from({ length: groups.length + 1 }, () => new Array<number>(n + 1).fill(0));
  ways[groups.length][0] = 1;
  for (let g = groups.length - 1; g >= 0; g--)
    for (let j = 0; j <= n; j++) ways[g][j] = ways[g + 1][j] + (j > 0 ? groups[g].length * ways[g + 1][j - 1] : 0);
  const chosen: T[] = [];
  let left = n;
  for (let g = 0; g < groups.length && left > 0; g++) {
    const skip = ways[g + 1][left] / ways[g][left];
    const r = rng();
    if (r < skip) continue;
    // Each member equally likely.
    const member = Math.min(groups[g].length - 1, Math.floor(((r - skip) / (1 - skip)) * groups[g].length));
    chosen.push(groups[g][member]);
    left--;
  }
  return shuffle(chosen, rng);
}

/** Draws `bank.draw` questions at random and shuffles the options of each (true/false keeps Benar, Salah). */
export function drawQuestions(bank: QuizBank, rng: Rng): DrawnQuestion[] {
  return pickGrouped(bank.questions, bank.draw, rng).map((q) => {
    if (q.type === "truefalse") {
      return {
        id: q.id,
        type: q.type,
        prompt: q.prompt,
        options: TRUE_FALSE_OPTIONS,
        answer: [q.answer ? "benar" : "salah"],
        explanation: q.explanation,
        section: q.section,
        ...(q.chart ? { chart: q.chart } : {}),
      };
    }
    return {
      id: q.id,
      type: q.type,
      prompt: q.prompt,
      options: shuffle(q.options, rng),
      answer: q.type === "single" ? [q.answer] : [...q.answer].sort(),
      explanation: q.explanation,
      section: q.section,
      ...(q.chart ? { chart: q.chart } : {}),
    };
  });
}

export type Answers = Record<string, string[]>;

export type ParsedAnswers = { ok: true; answers: Answers; unanswered: string[] } | { ok: false; message: string };

/** The key of a question's answers when a draw spans modules: `<module slug>.<question id>`. */
export function answerKey(slug: string, questionId: string): string {
  return `${slug}.${questionId}`;
}

/**
 * The form field of one question: `q_<module slug>.<question id>`. Banks of different modules
 * reuse ids ("k01"), so a session test over several modules tells them apart by the slug
 * (slugs and ids never hold a dot).
 */
export function answerField(slug: string, questionId: string): string {
  return `q_${answerKey(slug, questionId)}`;
}

/** How a draw's questions are named in the form and keyed in the answers. */
export interface DrawKeys<Q> {
  /** The module of a question (a module quiz: its one module). */
  slug: (q: Q) => string;
  /** The key of its answers; default the question id (unique within one module's bank). */
  key?: (q: Q) => string;
}

/**
 * Reads answers from form fields named `q_<module slug>.<question id>` (answerField), keyed by
 * `keys.key`. The field named `q_<question id>` of the forms before the slug (a page or an
 * offline submission saved then) is read too while that id is unique in the draw. Anything
 * that does not belong to the drawn questions (unknown question, unknown option, two answers
 * to a single question) makes the whole submission invalid.
 */
export function parseAnswers<Q extends DrawnQuestion>(
  entries: Iterable<[string, FormDataEntryValue]>,
  draw: readonly Q[],
  keys: DrawKeys<Q>,
): ParsedAnswers {
  const keyOf = keys.key ?? ((q: Q) => q.id);
  const byField = new Map<string, Q>();
  const idCount = new Map<string, number>();
  for (const q of draw) idCount.set(q.id, (idCount.get(q.id) ?? 0) + 1);
  for (const q of draw) {
    byField.set(answerField(keys.slug(q), q.id), q);
    if (idCount.get(q.id) === 1) byField.set(`q_${q.id}`, q);
  }
  const answers: Answers = {};
  for (const [field, value] of entries) {
    if (!field.startsWith("q_")) continue;
    const q = byField.get(field);
    if (!q || typeof value !== "string")
      return { ok: false, message: "Jawaban tidak valid: pertanyaan tidak dikenal. Muat ulang halaman kuis." };
    if (!q.options.some((o) => o.id === value))
      return { ok: false, message: "Jawaban tidak valid: pilihan tidak dikenal. Muat ulang halaman kuis." };
    const list = (answers[keyOf(q)] ??= []);
    if (!list.includes(value)) list.push(value);
    if (q.type !== "multiple" && list.length > 1)
      return {
        ok: false,
        message: "Jawaban tidak valid: pilih satu jawaban saja untuk setiap pertanyaan pilihan tunggal.",
      };
  }
  for (const list of Object.values(answers)) list.sort();
  const unanswered = draw.filter((q) => !answers[keyOf(q)]?.length).map(keyOf);
  return { ok: true, answers, unanswered };
}

export interface ScoreResult {
  correct: number;
  total: number;
  /** 0-100, rounded down. */
  score: number;
  passed: boolean;
  perQuestion: Record<string, boolean>;
}

/**
 * All-or-nothing per question: a multiple-answer question counts only when exactly the right set
 * is chosen. Answers and perQuestion are keyed by `key` (default the question id).
 */
export function scoreAttempt<Q extends DrawnQuestion>(
  draw: readonly Q[],
  answers: Answers,
  passScore: number,
  key: (q: Q) => string = (q) => q.id,
): ScoreResult {
  const perQuestion: Record<string, boolean> = {};
  let correct = 0;
  for (const q of draw) {
    const given = [...(answers[key(q)] ?? [])].sort();
    const right = [...q.answer].sort();
    const ok = given.length === right.length && given.every((v, i) => v === right[i]);
    perQuestion[key(q)] = ok;
    if (ok) correct++;
  }
  const total = draw.length;
  const score = total ? Math.floor((100 * correct) / total) : 0;
  return { correct, total, score, passed: score >= passScore, perQuestion };
}

/** What a kader reads once every attempt is used: who can help, and what happens then. */
export const NEXT_AFTER_LOCKOUT =
  "Langkah berikutnya: Tim Pembina desa atau kecamatan Anda melihat nilai Anda di halaman kemajuan kader dan dapat membuka kesempatan baru. Hubungi mereka (nama dan nomornya ada di halaman ini), baca lagi modulnya, lalu kerjakan kuis setelah kesempatan dibuka. Nilai dan modul yang sudah lulus tetap tersimpan.";

export type StartCheck =
  | { ok: true }
  | { ok: false; reason: "limit"; message: string }
  | { ok: false; reason: "cooldown"; message: string; retryAt: Date };

/** May a new attempt start? Limits and cool-down come from the quiz bank. */
export function checkCanStart(input: {
  submittedCount: number;
  maxAttempts: number;
  lastSubmittedAt: Date | null;
  cooldownMinutes: number;
  now: Date;
}): StartCheck {
  if (input.maxAttempts > 0 && input.submittedCount >= input.maxAttempts) {
    return {
      ok: false,
      reason: "limit",
      message: `Kesempatan mengerjakan kuis ini sudah habis (${input.submittedCount} dari ${input.maxAttempts}). ${NEXT_AFTER_LOCKOUT}`,
    };
  }
  if (input.lastSubmittedAt && input.cooldownMinutes > 0) {
    const retryAt = new Date(input.lastSubmittedAt.getTime() + input.cooldownMinutes * 60_000);
    if (retryAt > input.now) {
      const minutes = Math.ceil((retryAt.getTime() - input.now.getTime()) / 60_000);
      return {
        ok: false,
        reason: "cooldown",
        message: `Istirahat dulu: Anda bisa mencoba lagi dalam ${minutes} menit.`,
        retryAt,
      };
    }
  }
  return { ok: true };
}
