/**
 * Graded quiz attempts written straight to quiz_attempts (the statistics trigger does the
 * rest), for the tests that check figures computed from them: tests/item-analysis.test.ts
 * and tests/training-needs.test.ts. A seeded generator makes the draws repeatable.
 */
import { db } from "~/db.server";
import { type DrawnQuestion, quizAttempts } from "~/db/schema";
import { getModule } from "~/features/catalogue/content.server";
import { drawQuestions, type Rng, type ScoreResult, scoreAttempt } from "~/features/learning/quiz-rules";

/** 32 random hex characters (attempt ids, idempotency and form keys). */
export const randomKey = () =>
  [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");

/** A linear congruential generator in [0, 1) from `seed`. */
export function seededRng(seed: number): Rng {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

/** Answers for a draw, keyed by question id: right where `right(q)` says so, else the first wrong option. */
export function answersFor(
  draw: DrawnQuestion[],
  right: (q: DrawnQuestion, i: number) => boolean,
): Record<string, string[]> {
  return Object.fromEntries(
    draw.map((q, i) => {
      if (right(q, i)) return [q.id, q.answer];
      const wrong = q.options.find((o) => !q.answer.includes(o.id))!;
      return [q.id, [wrong.id]];
    }),
  );
}

/**
 * One submitted attempt of the module's quiz at `at`: a draw by `rng`, each item right with
 * probability `ability`, graded by the app's rule (scoreAttempt).
 */
export async function insertGradedAttempt(input: {
  userId: string;
  slug: string;
  at: Date;
  ability: number;
  rng: Rng;
}): Promise<{ id: string; draw: DrawnQuestion[]; graded: ScoreResult }> {
  const mod = getModule(input.slug)!;
  const draw = drawQuestions(mod.quiz!, input.rng);
  const answers = answersFor(draw, () => input.rng() < input.ability);
  const graded = scoreAttempt(draw, answers, mod.quiz!.passScore);
  const id = `t${randomKey().slice(0, 16)}`;
  await db.insert(quizAttempts).values({
    id,
    userId: input.userId,
    slug: input.slug,
    contentHash: mod.hash,
    questionIds: draw.map((q) => q.id),
    draw,
    passScore: mod.quiz!.passScore,
    startedAt: new Date(input.at.getTime() - 600_000),
    submittedAt: input.at,
    answers,
    score: graded.score,
    passed: graded.passed,
    idempotencyKey: randomKey(),
  });
  return { id, draw, graded };
}
