/** Unit tests of drawing, answer parsing, scoring and attempt limits (pure functions). */
import { describe, expect, it } from "vitest";
import type { QuizBank } from "~/features/catalogue/content-schema";
import {
  answerField,
  checkCanStart,
  drawQuestions,
  parseAnswers,
  scoreAttempt,
  shuffle,
} from "~/features/learning/quiz-rules";

function seeded(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) % 2 ** 32;
    return seed / 2 ** 32;
  };
}

const bank: QuizBank = {
  draw: 4,
  passScore: 70,
  maxAttempts: 3,
  cooldownMinutes: 10,
  questions: [
    {
      id: "s1",
      type: "single",
      prompt: "Satu?",
      options: [
        { id: "a", text: "A" },
        { id: "b", text: "B" },
        { id: "c", text: "C" },
      ],
      answer: "b",
      explanation: "Karena B.",
      section: "satu",
    },
    {
      id: "m1",
      type: "multiple",
      prompt: "Banyak?",
      options: [
        { id: "a", text: "A" },
        { id: "b", text: "B" },
        { id: "c", text: "C" },
        { id: "d", text: "D" },
      ],
      answer: ["c", "a"],
      explanation: "A dan C.",
      section: "dua",
    },
    { id: "t1", type: "truefalse", prompt: "Benar?", answer: true, explanation: "Ya.", section: "satu" },
    { id: "t2", type: "truefalse", prompt: "Salah?", answer: false, explanation: "Tidak.", section: "dua" },
    ...Array.from({ length: 8 }, (_, i) => ({
      id: `x${i}`,
      type: "single" as const,
      prompt: `Soal ${i}?`,
      options: [
        { id: "a", text: "A" },
        { id: "b", text: "B" },
      ],
      answer: "a",
      explanation: "Penjelasan.",
      section: "tiga",
    })),
  ],
};

describe("drawQuestions", () => {
  it("draws N distinct questions with the same option sets, answers normalised", () => {
    const draw = drawQuestions(bank, seeded(1));
    expect(draw).toHaveLength(4);
    expect(new Set(draw.map((q) => q.id)).size).toBe(4);
    for (const q of draw) {
      const source = bank.questions.find((s) => s.id === q.id)!;
      if (source.type === "truefalse") {
        expect(q.options.map((o) => o.id)).toEqual(["benar", "salah"]);
        expect(q.answer).toEqual([source.answer ? "benar" : "salah"]);
      } else {
        expect([...q.options].map((o) => o.id).sort()).toEqual(source.options.map((o) => o.id).sort());
      }
    }
  });

  it("draws every question and every option order over many draws (no fixed subset)", () => {
    const rng = seeded(42);
    const seenQuestions = new Set<string>();
    const firstOptionOfM1 = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const bigBank = { ...bank, draw: bank.questions.length };
      for (const q of drawQuestions(i % 2 ? bank : bigBank, rng)) {
        seenQuestions.add(q.id);
        if (q.id === "m1") firstOptionOfM1.add(q.options[0].id);
      }
    }
    expect(seenQuestions.size).toBe(bank.questions.length);
    expect([...firstOptionOfM1].sort()).toEqual(["a", "b", "c", "d"]);
  });

  it("shuffle is uniform enough: each of 3 items lands first about a third of the time", () => {
    const rng = seeded(7);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 3000; i++) counts[shuffle(["a", "b", "c"], rng)[0]]++;
    for (const n of Object.values(counts)) expect(n).toBeGreaterThan(850);
  });
});

describe("parseAnswers", () => {
  const draw = drawQuestions({ ...bank, draw: 4, questions: bank.questions.slice(0, 4) }, seeded(3));
  const entries = (pairs: [string, string][]) => pairs as [string, FormDataEntryValue][];
  const keys = { slug: () => "gizi" };

  it("collects answers and lists the unanswered", () => {
    const r = parseAnswers(
      entries([
        ["q_gizi.s1", "b"],
        ["q_gizi.m1", "c"],
        ["q_gizi.m1", "a"],
        ["q_t1", "benar"], // the name before the slug, still read
        ["other", "x"],
      ]),
      draw,
      keys,
    );
    expect(r).toEqual({ ok: true, answers: { s1: ["b"], m1: ["a", "c"], t1: ["benar"] }, unanswered: ["t2"] });
  });

  it("rejects unknown questions and unknown options", () => {
    expect(parseAnswers(entries([["q_zz", "a"]]), draw, keys)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/pertanyaan tidak dikenal/),
    });
    expect(parseAnswers(entries([["q_gizi.s1", "e"]]), draw, keys)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/pilihan tidak dikenal/),
    });
    expect(parseAnswers(entries([["q_t1", "a"]]), draw, keys)).toMatchObject({ ok: false });
  });

  it("rejects two answers to a single-choice or true/false question", () => {
    expect(
      parseAnswers(
        entries([
          ["q_s1", "a"],
          ["q_s1", "b"],
        ]),
        draw,
        keys,
      ),
    ).toMatchObject({ ok: false, message: expect.stringMatching(/satu jawaban/) });
    expect(
      parseAnswers(
        entries([
          ["q_t1", "benar"],
          ["q_t1", "salah"],
        ]),
        draw,
        keys,
      ),
    ).toMatchObject({ ok: false });
    expect(
      parseAnswers(
        entries([
          ["q_s1", "a"],
          ["q_s1", "a"],
        ]),
        draw,
        keys,
      ),
    ).toMatchObject({ ok: true }); // the same value twice is one answer
  });

  it("names fields by module slug and id (answerField): one id from two modules, each answer to its own item", () => {
    expect(answerField("spm-kesehatan", "k01")).toBe("q_spm-kesehatan.k01");
    const s1 = draw.find((q) => q.id === "s1")!;
    const twin = [
      { ...s1, slug: "a" },
      { ...s1, slug: "b" },
    ];
    const twinKeys = {
      slug: (q: { slug: string }) => q.slug,
      key: (q: { slug: string; id: string }) => `${q.slug}.${q.id}`,
    };
    const r = parseAnswers(
      entries([
        ["q_a.s1", "a"],
        ["q_b.s1", "b"],
      ]),
      twin,
      twinKeys,
    );
    expect(r).toEqual({ ok: true, answers: { "a.s1": ["a"], "b.s1": ["b"] }, unanswered: [] });
    // The name without the slug is ambiguous here: refused.
    expect(parseAnswers(entries([["q_s1", "a"]]), twin, twinKeys)).toMatchObject({ ok: false });
    // Another module's field is not this quiz's.
    expect(parseAnswers(entries([["q_gizi2.s1", "a"]]), draw, keys)).toMatchObject({ ok: false });
    // Scored per item.
    const right = s1.answer[0];
    expect(scoreAttempt(twin, { "a.s1": [right] }, 50, twinKeys.key)).toMatchObject({
      correct: 1,
      total: 2,
      perQuestion: { "a.s1": true, "b.s1": false },
    });
  });
});

describe("scoreAttempt", () => {
  const draw = drawQuestions({ ...bank, draw: 4, questions: bank.questions.slice(0, 4) }, seeded(9));

  it("scores all right as 100 and passes", () => {
    const r = scoreAttempt(draw, { s1: ["b"], m1: ["a", "c"], t1: ["benar"], t2: ["salah"] }, 70);
    expect(r).toMatchObject({ correct: 4, total: 4, score: 100, passed: true });
  });

  it("multiple-answer questions are all or nothing", () => {
    expect(scoreAttempt(draw, { m1: ["a"] }, 70).perQuestion.m1).toBe(false);
    expect(scoreAttempt(draw, { m1: ["a", "b", "c"] }, 70).perQuestion.m1).toBe(false);
    expect(scoreAttempt(draw, { m1: ["c", "a"] }, 70).perQuestion.m1).toBe(true);
  });

  it("rounds down and compares with the pass score inclusively", () => {
    const three = scoreAttempt(draw, { s1: ["b"], m1: ["a", "c"], t1: ["benar"], t2: ["benar"] }, 75);
    expect(three).toMatchObject({ correct: 3, score: 75, passed: true });
    expect(scoreAttempt(draw, { s1: ["b"], m1: ["a", "c"], t1: ["benar"] }, 76).passed).toBe(false);
    const eight = drawQuestions({ ...bank, draw: 3, questions: bank.questions.slice(4, 7) }, seeded(1));
    expect(scoreAttempt(eight, { [eight[0].id]: ["a"], [eight[1].id]: ["a"] }, 70).score).toBe(66);
    expect(scoreAttempt(draw, {}, 70)).toMatchObject({ correct: 0, score: 0, passed: false });
  });
});

describe("checkCanStart", () => {
  const now = new Date("2026-11-29T08:00:00Z");
  it("allows a first attempt", () => {
    expect(
      checkCanStart({ submittedCount: 0, maxAttempts: 3, lastSubmittedAt: null, cooldownMinutes: 10, now }),
    ).toEqual({ ok: true });
  });
  it("blocks at the limit, with the count in the message", () => {
    const r = checkCanStart({
      submittedCount: 3,
      maxAttempts: 3,
      lastSubmittedAt: new Date("2026-11-01"),
      cooldownMinutes: 10,
      now,
    });
    expect(r).toMatchObject({ ok: false, reason: "limit", message: expect.stringContaining("3 dari 3") });
    expect(
      checkCanStart({ submittedCount: 30, maxAttempts: 0, lastSubmittedAt: null, cooldownMinutes: 0, now }),
    ).toEqual({ ok: true });
  });
  it("holds during the cool-down and says how long", () => {
    const r = checkCanStart({
      submittedCount: 1,
      maxAttempts: 3,
      lastSubmittedAt: new Date(now.getTime() - 4 * 60_000),
      cooldownMinutes: 10,
      now,
    });
    expect(r).toMatchObject({
      ok: false,
      reason: "cooldown",
      message: "Istirahat dulu: Anda bisa mencoba lagi dalam 6 menit.",
    });
    expect(
      checkCanStart({
        submittedCount: 1,
        maxAttempts: 3,
        lastSubmittedAt: new Date(now.getTime() - 10 * 60_000),
        cooldownMinutes: 10,
        now,
      }),
    ).toEqual({ ok: true });
  });
});
