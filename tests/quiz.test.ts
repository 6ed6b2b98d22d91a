/** Module reading and the quiz attempt lifecycle against the database. */
import { beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { db, dbKind } from "~/db.server";
import { moduleProgress, moduleVersions, quizAttempts } from "~/db/schema";
import { content, getModule, syncModuleVersions } from "~/features/catalogue/content.server";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { submitAttempt } from "~/features/learning/quiz.server";
import { answerField } from "~/features/learning/quiz-rules";
import * as catalogue from "~/routes/modul._index";
import * as modulePage from "~/routes/modul.$slug._index";
import * as quizInfo from "~/routes/modul.$slug.kuis._index";
import * as attemptPage from "~/routes/modul.$slug.kuis.$attemptId";
import * as printPage from "~/routes/modul.$slug.cetak";
import * as glossaryPage from "~/routes/istilah";
import * as home from "~/routes/_index";
import { call, idempotencyKey, makeRequest, sessionCookie, setupDatabase } from "./helpers";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { GrafikBerat } from "~/features/catalogue/diagrams";

const SLUG = "spm-kesehatan";
/** Questions per attempt (quiz.yaml draw). */
const DRAW = 10;
let posId: number;

beforeAll(async () => {
  await setupDatabase();
  await syncModuleVersions();
  posId = await makePosyandu({ name: "Posyandu Anggrek", desaCode: "64.08.01.2003" });
});

async function newKader() {
  const k = await makeUser({ role: "kader", scopeCode: "64.08.01.2003", posyanduId: posId });
  return { ...k, cookie: await sessionCookie(k.id) };
}

const key = idempotencyKey;

async function start(cookie: string, slug = SLUG, idempotencyKey = key()) {
  return call(quizInfo.action, makeRequest(`/modul/${slug}/kuis`, { cookie, form: { idempotencyKey } }), { slug });
}

function attemptIdOf(location: string | null): string {
  return location!.split("/").pop()!;
}

async function attemptRow(id: string) {
  const [row] = await db.select().from(quizAttempts).where(eq(quizAttempts.id, id));
  return row;
}

/** Form fields (q_<slug>.<id>, as the page names them) answering every drawn question correctly (or wrongly). */
function answerForm(
  draw: { id: string; options: { id: string }[]; answer: string[] }[],
  right: boolean,
): [string, string][] {
  return draw.flatMap((q) => {
    const pick = right ? q.answer : [q.options.find((o) => !q.answer.includes(o.id))!.id];
    return pick.map((v) => [answerField(SLUG, q.id), v] as [string, string]);
  });
}

function formRequest(path: string, cookie: string, pairs: [string, string][]) {
  const body = new URLSearchParams(pairs);
  return new Request("http://localhost:3000" + path, {
    method: "POST",
    headers: { Cookie: cookie, Origin: "http://localhost:3000", "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
}

describe("module pages", () => {
  it("records every module version at start", async () => {
    const [{ n }] = await db.select({ n: count() }).from(moduleVersions);
    expect(n).toBe(17);
    expect(await syncModuleVersions()).toBe(0);
  });

  it("renders a module from the compiled MDX, records opening and completion, with the version hash", async () => {
    const k = await newKader();
    const page = await call(modulePage.loader, makeRequest(`/modul/${SLUG}`, { cookie: k.cookie }), { slug: SLUG });
    expect(page.status).toBe(200);
    expect(page.data.title).toBe("Bidang Kesehatan");
    const html = page.data.intro + page.data.sections.map((x: { html: string }) => x.html).join("");
    expect(page.data.sections.length).toBeGreaterThan(2);
    expect(page.data.sections[0].html).toMatch(/^<h2 id="[a-z0-9-]+">/);
    expect(page.data.read).toBe(0);
    expect(html).toContain("Studi kasus");
    // Sections carry anchors (quiz reviews link to them), the first use of a glossary
    // term links to /istilah, a flow is a captioned list of steps.
    expect(html).toContain('<h2 id="vitamin-a-dan-suplemen-program">');
    expect(html).toMatch(
      /<a href="\/istilah#ilp" class="istilah"><abbr title="Integrasi Layanan Primer[^"]*">ILP<\/abbr><\/a>/,
    );
    expect(html.match(/href="\/istilah#ilp"/g)).toHaveLength(1);
    expect(html).toMatch(
      /<figure class="diagram my-5" aria-labelledby="alur-[a-z0-9-]+"><ol class="alur" role="list"><li>/,
    );
    expect(html).toContain('<h2 id="sumber"');
    expect(page.data.completed).toBe(false);
    const [opened] = await db
      .select()
      .from(moduleProgress)
      .where(and(eq(moduleProgress.userId, k.id), eq(moduleProgress.slug, SLUG)));
    expect(opened.contentHash).toBe(getModule(SLUG)!.hash);
    expect(opened.completedAt).toBeNull();

    const done = await call(modulePage.action, makeRequest(`/modul/${SLUG}`, { cookie: k.cookie, form: {} }), {
      slug: SLUG,
    });
    expect(done.location).toBe(`/modul/${SLUG}/kuis`);
    const [completed] = await db
      .select()
      .from(moduleProgress)
      .where(and(eq(moduleProgress.userId, k.id), eq(moduleProgress.slug, SLUG)));
    expect(completed.completedAt).not.toBeNull();
    // A second "selesai" keeps the first time.
    await call(modulePage.action, makeRequest(`/modul/${SLUG}`, { cookie: k.cookie, form: {} }), { slug: SLUG });
    const [again] = await db
      .select()
      .from(moduleProgress)
      .where(and(eq(moduleProgress.userId, k.id), eq(moduleProgress.slug, SLUG)));
    expect(again.completedAt).toEqual(completed.completedAt);

    const cat = await call(catalogue.loader, makeRequest("/modul", { cookie: k.cookie }));
    // One list in the programme's order (issue 21, item 10.1), not grouped by bidang.
    const listed = cat.data.groups.flatMap((g: { modules: { slug: string; state: string }[] }) => g.modules);
    expect(listed.find((m: { slug: string }) => m.slug === SLUG).state).toBe("selesai");
    expect(cat.data.groups.map((g: { id: string }) => g.id)).toEqual(["wajib"]);
    expect(listed.map((m: { slug: string }) => m.slug)).toEqual(content().defaultProgramme.requiredModules);
  });

  it("404 for an unknown module, for reading and for its quiz", async () => {
    const k = await newKader();
    expect(
      (await call(modulePage.loader, makeRequest("/modul/tidak-ada", { cookie: k.cookie }), { slug: "tidak-ada" }))
        .status,
    ).toBe(404);
    expect(
      (await call(quizInfo.loader, makeRequest("/modul/tidak-ada/kuis", { cookie: k.cookie }), { slug: "tidak-ada" }))
        .status,
    ).toBe(404);
    expect((await start(k.cookie, "tidak-ada")).status).toBe(404);
  });

  it("has a print version with title, objectives, pictures and sources, and records nothing", async () => {
    const k = await newKader();
    const slug = "rujukan-dan-jejaring";
    const res = await call(printPage.loader, makeRequest(`/modul/${slug}/cetak`, { cookie: k.cookie }), { slug });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ slug, title: "Rujukan dan jejaring", version: getModule(slug)!.hash.slice(0, 8) });
    expect(res.data.objectives.length).toBeGreaterThan(0);
    expect(res.data.html).toContain('<h2 id="sumber"');
    expect(res.data.html).toMatch(/<svg[^>]*role="img"/);
    expect(printPage.handle).toEqual({ bare: true });
    const opened = await db
      .select()
      .from(moduleProgress)
      .where(and(eq(moduleProgress.userId, k.id), eq(moduleProgress.slug, slug)));
    expect(opened).toHaveLength(0);
    expect((await call(printPage.loader, makeRequest(`/modul/${slug}/cetak`), { slug })).status).toBe(302);
    expect(
      (await call(printPage.loader, makeRequest("/modul/tidak-ada/cetak", { cookie: k.cookie }), { slug: "tidak-ada" }))
        .status,
    ).toBe(404);
  });

  it("/istilah lists the glossary, public, each term with its anchor", async () => {
    const res = await call(glossaryPage.loader, makeRequest("/istilah"));
    expect(res.status).toBe(200);
    expect(res.data.terms.length).toBeGreaterThanOrEqual(20);
    expect(res.data.terms).toContainEqual({
      id: "rkpdes",
      term: "RKPDes",
      meaning: expect.stringMatching(/Rencana Kerja Pemerintah Desa/),
    });
  });
});

describe("quiz attempts", () => {
  it("draws on the server and sends no answers or explanations before submission", async () => {
    const k = await newKader();
    const res = await start(k.cookie);
    expect(res.status).toBe(302);
    const id = attemptIdOf(res.location);
    const row = await attemptRow(id);
    expect(getModule(SLUG)!.quiz!.draw).toBe(DRAW);
    expect(row.questionIds).toHaveLength(DRAW);
    expect(row.draw.every((q) => typeof q.section === "string")).toBe(true);
    expect(row.draw.map((q) => q.id)).toEqual(row.questionIds);
    expect(row.contentHash).toBe(getModule(SLUG)!.hash);
    expect(row.submittedAt).toBeNull();

    const form = await call(attemptPage.loader, makeRequest(`/modul/${SLUG}/kuis/${id}`, { cookie: k.cookie }), {
      slug: SLUG,
      attemptId: id,
    });
    expect(form.data.mode).toBe("form");
    const json = JSON.stringify(form.data);
    expect(json).not.toMatch(/"answer"|"explanation"/);
    for (const q of row.draw) expect(json).not.toContain(q.explanation);
  });

  it("a growth-chart item carries its chart into the form and the review, drawn with every point named", async () => {
    const k = await newKader();
    const slug = "pemantauan-pertumbuhan-stunting";
    const res = await start(k.cookie, slug);
    const id = attemptIdOf(res.location);
    const bank = getModule(slug)!.quiz!;
    const charted = bank.questions.filter((q) => q.chart).map((q) => q.id);
    expect(charted.length).toBeGreaterThanOrEqual(4);
    // Replace the draw's first item by a chart item (draws are random): the stored draw is what is shown.
    const row = await attemptRow(id);
    const chartItem = bank.questions.find((q) => q.id === charted[0])!;
    const drawn = row.draw.some((q) => q.id === chartItem.id)
      ? row.draw
      : [
          {
            id: chartItem.id,
            type: chartItem.type,
            prompt: chartItem.prompt,
            options: chartItem.type === "truefalse" ? [] : chartItem.options,
            answer: chartItem.type === "single" ? [chartItem.answer] : [],
            explanation: chartItem.explanation,
            section: chartItem.section,
            chart: chartItem.chart,
          },
          ...row.draw.slice(1),
        ];
    await db
      .update(quizAttempts)
      .set({ draw: drawn as never, questionIds: drawn.map((q) => q.id) })
      .where(eq(quizAttempts.id, id));
    const form = await call(attemptPage.loader, makeRequest(`/modul/${slug}/kuis/${id}`, { cookie: k.cookie }), {
      slug,
      attemptId: id,
    });
    const shown = form.data.questions.find((q: { id: string }) => q.id === chartItem.id);
    expect(shown.chart).toEqual(chartItem.chart);
    expect(JSON.stringify(form.data)).not.toMatch(/"answer"|"explanation"/);
    const svg = renderToStaticMarkup(createElement(GrafikBerat, { ...chartItem.chart!, idSuffix: chartItem.id }));
    for (const [m, kgValue] of chartItem.chart!.points) {
      expect(svg).toContain(`umur ${m} bulan ${kgValue.toLocaleString("id-ID", { minimumFractionDigits: 1 })} kg`);
      expect(svg).toContain(`>${kgValue.toLocaleString("id-ID", { minimumFractionDigits: 1 })}</text>`);
    }
    expect(svg).toMatch(/garis merah/);
  });

  it("a double tap on start (same key) and a start while one is open give one attempt", async () => {
    const k = await newKader();
    const sameKey = key();
    const [a, b] = await Promise.all([start(k.cookie, SLUG, sameKey), start(k.cookie, SLUG, sameKey)]);
    expect(a.location).toBe(b.location);
    const c = await start(k.cookie);
    expect(c.location).toBe(a.location);
    const [{ n }] = await db.select({ n: count() }).from(quizAttempts).where(eq(quizAttempts.userId, k.id));
    expect(n).toBe(1);
    const bad = await start(k.cookie, SLUG, "<script>");
    expect(bad.status).toBe(400);
  });

  it("grades on the server, shows the review, keeps the best score", async () => {
    const k = await newKader();
    const id = attemptIdOf((await start(k.cookie)).location);
    const { draw } = await attemptRow(id);
    const res = await call(
      attemptPage.action,
      formRequest(`/modul/${SLUG}/kuis/${id}`, k.cookie, answerForm(draw, true)),
      { slug: SLUG, attemptId: id },
    );
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/modul/${SLUG}/kuis/${id}`);
    const row = await attemptRow(id);
    expect(row).toMatchObject({ score: 100, passed: true });
    const review = await call(attemptPage.loader, makeRequest(`/modul/${SLUG}/kuis/${id}`, { cookie: k.cookie }), {
      slug: SLUG,
      attemptId: id,
    });
    expect(review.data.mode).toBe("review");
    expect(review.data.review).toHaveLength(DRAW);
    expect(
      review.data.review.every((q: { correct: boolean; explanation: string }) => q.correct && q.explanation.length > 0),
    ).toBe(true);

    // A later, worse attempt does not lower the best score.
    await db
      .update(quizAttempts)
      .set({ submittedAt: new Date(Date.now() - 3600_000) })
      .where(eq(quizAttempts.id, id));
    const id2 = attemptIdOf((await start(k.cookie)).location);
    const second = await attemptRow(id2);
    await call(
      attemptPage.action,
      formRequest(`/modul/${SLUG}/kuis/${id2}`, k.cookie, answerForm(second.draw, false)),
      { slug: SLUG, attemptId: id2 },
    );
    expect(await attemptRow(id2)).toMatchObject({ score: 0, passed: false });
    // The review of the failed attempt sends each wrong answer back to its section.
    const failed = await call(attemptPage.loader, makeRequest(`/modul/${SLUG}/kuis/${id2}`, { cookie: k.cookie }), {
      slug: SLUG,
      attemptId: id2,
    });
    const headings = new Map(getModule(SLUG)!.headings.map((hd) => [hd.id, hd.text]));
    for (const q of failed.data.review as {
      id: string;
      correct: boolean;
      section: string;
      reread: { href: string; title: string } | null;
    }[]) {
      expect(q.correct).toBe(false);
      expect(q.reread).toEqual({ href: `/modul/${SLUG}#${q.section}`, title: headings.get(q.section) });
    }
    const [p] = await db
      .select()
      .from(moduleProgress)
      .where(and(eq(moduleProgress.userId, k.id), eq(moduleProgress.slug, SLUG)));
    expect(p.bestScore).toBe(100);
    expect(p.passedAt).not.toBeNull();
    const h = await call(home.loader, makeRequest("/", { cookie: k.cookie }));
    expect(h.data.modules.find((m: { slug: string }) => m.slug === SLUG)).toMatchObject({ bestScore: 100 });
  });

  it("a double submit or retry yields exactly one graded attempt", async () => {
    const k = await newKader();
    const id = attemptIdOf((await start(k.cookie)).location);
    const { draw } = await attemptRow(id);
    const right = answerForm(draw, true);
    const wrong = answerForm(draw, false);
    // Two different answer sets race: exactly one is graded, the other changes nothing.
    const results = await Promise.all([
      submitAttempt(k.id, SLUG, id, right),
      submitAttempt(k.id, SLUG, id, wrong),
      submitAttempt(k.id, SLUG, id, right),
    ]);
    expect(results.filter((r) => r.ok && !r.alreadySubmitted)).toHaveLength(1);
    const row = await attemptRow(id);
    for (const r of results) expect(r).toMatchObject({ ok: true, score: row.score, passed: row.passed });
    const retry = await call(attemptPage.action, formRequest(`/modul/${SLUG}/kuis/${id}`, k.cookie, wrong), {
      slug: SLUG,
      attemptId: id,
    });
    expect(retry.status).toBe(302);
    expect(await attemptRow(id)).toEqual(row);
    expect(["pglite", "postgres"]).toContain(dbKind());
  });

  it("rejects unknown option ids and tampered fields; nothing stored", async () => {
    const k = await newKader();
    const id = attemptIdOf((await start(k.cookie)).location);
    const before = await attemptRow(id);
    const pairs = answerForm(before.draw, true);
    for (const tampered of [
      [...pairs.slice(1), [pairs[0][0], "z"]],
      [...pairs, ["q_bukan-soal", "a"]],
      [
        ...pairs,
        [
          "q_" + before.draw.find((q) => q.type === "single")!.id,
          before.draw
            .find((q) => q.type === "single")!
            .options.find((o) => !before.draw.find((q) => q.type === "single")!.answer.includes(o.id))!.id,
        ],
      ],
    ] as [string, string][][]) {
      const res = await call(attemptPage.action, formRequest(`/modul/${SLUG}/kuis/${id}`, k.cookie, tampered), {
        slug: SLUG,
        attemptId: id,
      });
      expect(res.status).toBe(400);
      expect(res.data.message).toMatch(/^Jawaban tidak valid/);
    }
    expect(await attemptRow(id)).toEqual(before);
    const [{ n }] = await db
      .select({ n: count() })
      .from(moduleProgress)
      .where(and(eq(moduleProgress.userId, k.id), eq(moduleProgress.slug, SLUG)));
    expect(n).toBe(0);
  });

  it("asks for unanswered questions and keeps the chosen answers; nothing graded", async () => {
    const k = await newKader();
    const id = attemptIdOf((await start(k.cookie)).location);
    const before = await attemptRow(id);
    const partial = answerForm(before.draw.slice(0, 5), true);
    const res = await call(attemptPage.action, formRequest(`/modul/${SLUG}/kuis/${id}`, k.cookie, partial), {
      slug: SLUG,
      attemptId: id,
    });
    expect(res.status).toBe(400);
    expect(res.data.message).toBe(`Masih ada ${DRAW - 5} pertanyaan yang belum dijawab.`);
    expect(res.data.unanswered).toEqual(before.draw.slice(5).map((q) => q.id));
    expect(Object.keys(res.data.answers)).toHaveLength(5);
    expect(await attemptRow(id)).toEqual(before);
  });

  it("another user's attempt id is 404, by URL and by form post; nothing changes", async () => {
    const owner = await newKader();
    const other = await newKader();
    const id = attemptIdOf((await start(owner.cookie)).location);
    const before = await attemptRow(id);
    expect(
      (
        await call(attemptPage.loader, makeRequest(`/modul/${SLUG}/kuis/${id}`, { cookie: other.cookie }), {
          slug: SLUG,
          attemptId: id,
        })
      ).status,
    ).toBe(404);
    const post = await call(
      attemptPage.action,
      formRequest(`/modul/${SLUG}/kuis/${id}`, other.cookie, answerForm(before.draw, true)),
      { slug: SLUG, attemptId: id },
    );
    expect(post.status).toBe(404);
    expect(await attemptRow(id)).toEqual(before);
    // The same attempt under another module's URL is not found either.
    expect(
      (
        await call(attemptPage.loader, makeRequest(`/modul/spm-sosial/kuis/${id}`, { cookie: owner.cookie }), {
          slug: "spm-sosial",
          attemptId: id,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call(attemptPage.loader, makeRequest(`/modul/${SLUG}/kuis/x`, { cookie: owner.cookie }), {
          slug: SLUG,
          attemptId: "'; drop table x;--",
        })
      ).status,
    ).toBe(404);
  });

  it("enforces the cool-down and the attempt limit from the bank (no new attempt, no score change)", async () => {
    const k = await newKader();
    const bank = getModule(SLUG)!.quiz!;
    for (let i = 0; i < bank.maxAttempts; i++) {
      const id = attemptIdOf((await start(k.cookie)).location);
      const { draw } = await attemptRow(id);
      await submitAttempt(k.id, SLUG, id, answerForm(draw, false));
      const cool = await start(k.cookie);
      if (i < bank.maxAttempts - 1) {
        expect(cool.status).toBe(429);
        expect(cool.data.message).toMatch(/Istirahat dulu: Anda bisa mencoba lagi dalam \d+ menit\./);
      }
      await db
        .update(quizAttempts)
        .set({ submittedAt: new Date(Date.now() - 86_400_000) })
        .where(eq(quizAttempts.id, id));
    }
    const over = await start(k.cookie);
    expect(over.status).toBe(429);
    expect(over.data.message).toContain(`${bank.maxAttempts} dari ${bank.maxAttempts}`);
    const info = await call(quizInfo.loader, makeRequest(`/modul/${SLUG}/kuis`, { cookie: k.cookie }), { slug: SLUG });
    expect(info.data.check.ok).toBe(false);
    const [{ n }] = await db.select({ n: count() }).from(quizAttempts).where(eq(quizAttempts.userId, k.id));
    expect(n).toBe(bank.maxAttempts);
  });

  it("requires a signed-in user and a same-site form", async () => {
    expect((await start("")).status).toBe(302);
    const k = await newKader();
    const res = await call(
      quizInfo.action,
      makeRequest(`/modul/${SLUG}/kuis`, {
        cookie: k.cookie,
        form: { idempotencyKey: key() },
        origin: "https://evil.example",
      }),
      { slug: SLUG },
    );
    expect(res.status).toBe(403);
  });
});
