/**
 * Item-writing rules over every content/modules/*\/quiz.yaml, the test-wise guesser,
 * the Sumber box and pictures per module, and the glossary links.
 */
import { createElement, Fragment } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { loadContent } from "~/features/learning/content.server";
import type { QuizBank } from "~/features/learning/content-schema";
import { Alur, Bagan, GrafikPertumbuhan, wrap } from "~/features/learning/diagrams";
import { linkGlossaryTerms } from "~/features/learning/glossary";
import { headingsOf, slugify } from "~/features/learning/headings";
import { drawQuestions, scoreAttempt } from "~/features/learning/quiz-rules";
import {
  bankIssues,
  bankReport,
  guesserHitProbability,
  guesserPassProbability,
  isModuleRecallPrompt,
  QUALITY_LIMITS,
  rightAnswersToPass,
  sharedPrompts,
} from "~/features/learning/quiz-quality";

const c = loadContent("content");
const banks = c.modules.filter((m) => m.quiz).map((m) => ({ name: m.slug, bank: m.quiz! }));

describe("quiz banks follow the item-writing rules", () => {
  it.each(banks.map((b) => [b.name, b.bank] as const))("%s", (_name, bank) => {
    expect(bankIssues(bank, c.defaultProgramme.passScore ?? bank.passScore)).toEqual([]);
    const r = bankReport(bank);
    expect(r.questions).toBeGreaterThanOrEqual(20);
    expect(bank.draw).toBe(10);
    expect(r.longestKey / r.single).toBeLessThanOrEqual(0.35);
    expect(r.allOptions).toBe(0);
    expect(r.allButOne / Math.max(1, r.multiple)).toBeLessThanOrEqual(0.4);
    expect(r.moduleRecall).toBeLessThanOrEqual(1);
    expect(r.guesserPass).toBeLessThanOrEqual(0.05);
    expect(new Set(bank.questions.map((q) => q.type))).toEqual(new Set(["single", "multiple", "truefalse"]));
  });

  it("no two banks share a question", () => {
    expect(sharedPrompts(banks)).toEqual([]);
  });

  it("every question points at a heading of its module", () => {
    for (const m of c.modules) {
      const ids = new Set(m.headings.map((h) => h.id));
      for (const q of m.quiz!.questions) expect(ids.has(q.section), `${m.slug} ${q.id} -> ${q.section}`).toBe(true);
    }
  });
});

describe("the rules catch what the content review found", () => {
  const opt = (id: string, text: string) => ({ id, text });
  const single = (i: number, answer: string, texts: string[]): QuizBank["questions"][number] => ({
    id: `s${i}`,
    type: "single",
    prompt: `Soal ${i}?`,
    options: texts.map((t, k) => opt("abcde"[k], t)),
    answer,
    explanation: "Penjelasan.",
    section: "satu",
  });
  const multiple = (i: number, answer: string[], texts: string[]): QuizBank["questions"][number] => ({
    id: `m${i}`,
    type: "multiple",
    prompt: `Pilih ${i}?`,
    options: texts.map((t, k) => opt("abcde"[k], t)),
    answer,
    explanation: "Penjelasan.",
    section: "satu",
  });
  const tf = (i: number): QuizBank["questions"][number] => ({
    id: `t${i}`,
    type: "truefalse",
    prompt: `Benar ${i}?`,
    answer: i % 2 === 0,
    explanation: "Penjelasan.",
    section: "satu",
  });

  /** The old pattern: the key is the longest option, multiple keys are "all but the absurd one". */
  const testWise: QuizBank = {
    draw: 10,
    passScore: 70,
    maxAttempts: 3,
    cooldownMinutes: 10,
    questions: [
      ...Array.from({ length: 12 }, (_, i) =>
        single(i, "b", ["Pendek", "Jawaban yang paling panjang dan lengkap", "Sedang saja"]),
      ),
      ...Array.from({ length: 4 }, (_, i) =>
        multiple(i, ["a", "b", "c"], ["Benar satu panjang", "Benar dua panjang", "Benar tiga panjang", "Absurd"]),
      ),
      ...Array.from({ length: 4 }, (_, i) => tf(i)),
    ],
  };

  it("hit probability per item: longest option, all but the shortest, a coin", () => {
    expect(guesserHitProbability(testWise.questions[0])).toBe(1);
    expect(guesserHitProbability(single(1, "a", ["Sama", "Sama"]))).toBe(0.5);
    expect(guesserHitProbability(single(1, "a", ["Kunci", "Pengecoh yang lebih panjang"]))).toBe(0);
    expect(guesserHitProbability(testWise.questions[12])).toBe(1);
    expect(
      guesserHitProbability(multiple(1, ["a", "b"], ["Benar satu", "Benar dua", "Salah yang panjang", "Salah"])),
    ).toBe(0);
    expect(guesserHitProbability(tf(1))).toBe(0.5);
  });

  it("flags the test-wise bank", () => {
    const issues = bankIssues(testWise);
    expect(issues.join("\n")).toMatch(/strictly longest option in 12 of 12/);
    expect(issues.join("\n")).toMatch(/"all but one" in 4 of 4/);
    expect(issues.join("\n")).toMatch(/guesser passes with probability/);
    expect(guesserPassProbability(testWise)).toBeGreaterThan(0.9);
  });

  it("flags a key that is every option and prompts about the module", () => {
    const bank: QuizBank = {
      ...testWise,
      questions: [...testWise.questions, multiple(9, ["a", "b", "c"], ["A", "B", "C"])],
    };
    expect(bankIssues(bank).join("\n")).toMatch(/1 multiple-choice item\(s\) keyed on every option/);
    expect(isModuleRecallPrompt("Menurut modul, ada berapa kelompok sasaran?")).toBe(true);
    expect(isModuleRecallPrompt("Apa yang disebut dalam modul ini?")).toBe(true);
    expect(
      isModuleRecallPrompt("Saat hari buka, seorang ibu bercerita anaknya tidak sekolah lagi. Apa yang Anda lakukan?"),
    ).toBe(false);
  });

  it("flags a question shared by two banks (ignoring case and punctuation)", () => {
    const a = { ...testWise, questions: [tf(1)] };
    const b = { ...testWise, questions: [{ ...tf(2), prompt: "benar 1" }] };
    expect(
      sharedPrompts([
        { name: "x", bank: a },
        { name: "y", bank: b },
      ]),
    ).toEqual([["Benar 1?", ["x", "y"]]]);
  });

  it("passing needs floor(100 * right / draw) >= passScore", () => {
    expect(rightAnswersToPass(10, 70)).toBe(7);
    expect(rightAnswersToPass(8, 70)).toBe(6);
    expect(rightAnswersToPass(3, 70)).toBe(3);
  });

  it("the exact probability matches 20,000 simulated attempts through the app's own draw and scoring", () => {
    // A bank where the guesser sometimes passes, so the comparison means something.
    const bank: QuizBank = {
      ...testWise,
      questions: [
        ...Array.from({ length: 7 }, (_, i) =>
          single(i, "b", ["Pendek", "Jawaban yang paling panjang", "Sedang saja"]),
        ),
        ...Array.from({ length: 6 }, (_, i) =>
          single(i + 7, "a", ["Kunci", "Pengecoh yang jauh lebih panjang", "Sedang saja"]),
        ),
        multiple(1, ["a", "b", "c"], ["Benar satu panjang", "Benar dua panjang", "Benar tiga panjang", "Absurd"]),
        multiple(2, ["a", "b"], ["Benar satu", "Benar dua", "Salah yang panjang", "Salah"]),
        ...Array.from({ length: 7 }, (_, i) => tf(i)),
      ],
    };
    let seed = 12345;
    const rng = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const runs = 20_000;
    let passed = 0;
    for (let r = 0; r < runs; r++) {
      const draw = drawQuestions(bank, rng);
      const answers: Record<string, string[]> = {};
      for (const q of draw) {
        if (q.type === "truefalse") answers[q.id] = [rng() < 0.5 ? "benar" : "salah"];
        else if (q.type === "single") {
          const max = Math.max(...q.options.map((o) => o.text.length));
          const longest = q.options.filter((o) => o.text.length === max);
          answers[q.id] = [longest[Math.floor(rng() * longest.length)].id];
        } else {
          const min = Math.min(...q.options.map((o) => o.text.length));
          const shortest = q.options.filter((o) => o.text.length === min);
          const drop = shortest[Math.floor(rng() * shortest.length)].id;
          answers[q.id] = q.options
            .map((o) => o.id)
            .filter((id) => id !== drop)
            .sort();
        }
      }
      if (scoreAttempt(draw, answers, bank.passScore).passed) passed++;
    }
    const exact = guesserPassProbability(bank);
    expect(exact).toBeGreaterThan(0.05);
    expect(Math.abs(passed / runs - exact)).toBeLessThan(0.015);
  });

  it("limits are the ones in the README", () => {
    expect(QUALITY_LIMITS).toMatchObject({
      minQuestions: 20,
      draw: 10,
      maxLongestKeyShare: 0.35,
      maxAllButOneShare: 0.4,
      maxModuleRecallPrompts: 1,
      maxGuesserPass: 0.05,
    });
  });
});

describe("modules: one Sumber box, pictures, anchors", () => {
  it.each(c.modules.map((m) => [m.slug, m] as const))("%s", (_slug, m) => {
    expect(m.body.match(/<Sumber>/g)).toHaveLength(1);
    expect(m.body.trimEnd()).toMatch(/<\/Sumber>$/);
    expect(m.body).toMatch(/<(Alur|Bagan|GrafikPertumbuhan)\b/);
    // Source hedges belong in the Sumber box, not in the text.
    const text = m.body.slice(0, m.body.indexOf("<Sumber>"));
    expect(text).not.toMatch(/menurut pemberitaan|belum dapat dipastikan|dikutip beberapa sumber/i);
    const ids = m.headings.map((h) => h.id);
    expect(new Set(ids).size, "heading anchors are unique").toBe(ids.length);
  });

  it("facts from the content review", () => {
    const body = (slug: string) => c.bySlug.get(slug)!.body;
    expect(body("spm-pekerjaan-umum")).toMatch(/air minum/);
    expect(body("spm-pekerjaan-umum")).toMatch(/air limbah domestik/);
    expect(body("spm-trantibum-linmas")).toMatch(/Jadi bencana dan kebakaran \*\*termasuk\*\*/);
    expect(body("spm-kesehatan")).toMatch(/tidak memberi obat atas kemauan sendiri/);
    expect(body("spm-kesehatan")).toMatch(/Februari dan Agustus/);
    expect(body("permendagri-13-2024")).toMatch(/Permendagri 18\/2018/);
    expect(body("spm-perumahan-rakyat")).toMatch(/korban bencana/);
    for (const m of c.modules) expect(m.body, m.slug).not.toMatch(/perlindungan masyarakat/i);
  });

  it("headings slugify to stable anchors", () => {
    expect(slugify("Kerja kader: sebelum, saat, dan sesudah hari buka")).toBe(
      "kerja-kader-sebelum-saat-dan-sesudah-hari-buka",
    );
    expect(headingsOf("## **Tebal** judul\n\ntext\n### 1. Kenali\n")).toEqual([
      { level: 2, text: "Tebal judul", id: "tebal-judul" },
      { level: 3, text: "1. Kenali", id: "1-kenali" },
    ]);
  });
});

describe("glossary", () => {
  it("loads from content/glossary.yaml with the terms the issue lists", () => {
    const ids = c.glossary.map((t) => t.id);
    for (const id of [
      "kie",
      "rtl",
      "ilp",
      "lkd",
      "lkk",
      "spm",
      "trantibum-linmas",
      "musrenbang",
      "rkpdes",
      "apbdes",
      "tksk",
      "pkh",
    ])
      expect(ids).toContain(id);
  });

  it("every term is used in at least one module", () => {
    const html = (body: string) => linkGlossaryTerms(`<p>${body.replace(/<[^>]+>/g, " ")}</p>`, c.glossary);
    for (const t of c.glossary)
      expect(
        c.modules.some((m) => html(m.body).includes(`/istilah#${t.id}"`)),
        t.id,
      ).toBe(true);
  });

  const terms = [
    { id: "kie", term: "KIE", meaning: "Komunikasi, Informasi dan Edukasi." },
    {
      id: "musrenbang",
      term: "Musrenbang",
      meaning: 'Musyawarah <perencanaan> "pembangunan".',
      match: ["Musrenbangdes", "Musrenbang"],
    },
    { id: "stunting", term: "Stunting", meaning: "Anak lebih pendek dari usianya.", match: ["stunting"] },
  ];

  it("links the first use only, with the meaning in <abbr title>", () => {
    const out = linkGlossaryTerms("<p>Beri KIE. Lalu KIE lagi.</p><p>Stunting turun.</p>", terms);
    expect(out).toBe(
      '<p>Beri <a href="/istilah#kie" class="istilah"><abbr title="Komunikasi, Informasi dan Edukasi.">KIE</abbr></a>. Lalu KIE lagi.</p>' +
        '<p><a href="/istilah#stunting" class="istilah"><abbr title="Anak lebih pendek dari usianya.">Stunting</abbr></a> turun.</p>',
    );
  });

  it("all-caps terms match exactly and whole words only; longer spellings win; attributes are escaped", () => {
    expect(linkGlossaryTerms("<p>kie, KIES, aKIE</p>", terms)).toBe("<p>kie, KIES, aKIE</p>");
    const out = linkGlossaryTerms("<p>Usulan ke Musrenbangdes.</p>", terms);
    expect(out).toContain('<abbr title="Musyawarah &lt;perencanaan&gt; &quot;pembangunan&quot;.">Musrenbangdes</abbr>');
  });

  it("skips headings, links, definitions, pictures and the Sumber box", () => {
    const html =
      '<h2 id="kie">KIE</h2><a href="/x">KIE</a><dfn>KIE</dfn><figure><svg><text>KIE</text></svg><figcaption>KIE</figcaption></figure>' +
      '<aside class="sumber"><p>KIE</p></aside><p>KIE</p>';
    const out = linkGlossaryTerms(html, terms);
    expect(out.match(/<abbr/g)).toHaveLength(1);
    expect(
      out.endsWith(
        '<p><a href="/istilah#kie" class="istilah"><abbr title="Komunikasi, Informasi dan Edukasi.">KIE</abbr></a></p>',
      ),
    ).toBe(true);
    // A Penting box is ordinary text.
    expect(linkGlossaryTerms('<aside aria-label="Penting"><p>Beri KIE.</p></aside>', terms)).toContain(
      '<abbr title="Komunikasi, Informasi dan Edukasi.">KIE</abbr>',
    );
  });
});

describe("pictures", () => {
  it("are inline SVG with a title and description, and no external requests", () => {
    const html = renderToStaticMarkup(
      createElement(
        Fragment,
        null,
        createElement(Alur, { judul: "Alur data", langkah: "Kader mencatat | Pengurus merekap | Kepala desa" }),
        createElement(Bagan, { judul: "Enam bidang", pusat: "Posyandu", cabang: "Pendidikan | Kesehatan | Sosial" }),
        createElement(GrafikPertumbuhan),
      ),
    );
    expect(html.match(/<svg[^>]*role="img"/g)).toHaveLength(3);
    expect(html.match(/<title id=/g)).toHaveLength(3);
    expect(html).toContain('<desc id="alur-alur-data-d">1. Kader mencatat 2. Pengurus merekap 3. Kepala desa</desc>');
    expect(html).toContain("Gambar: Enam bidang");
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it("wrap keeps lines short enough for a 360 px screen", () => {
    expect(
      wrap("Sumber air minum keluarga: dari mana, cukup atau tidak, bersih atau keruh", 34).every(
        (l) => l.length <= 34,
      ),
    ).toBe(true);
  });
});
