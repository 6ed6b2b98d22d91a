/**
 * Sessions that measure learning (issue 20): the one draw of pre/post items, the phone test
 * (same items both phases, stored once), paper entry and its audited correction (a phone
 * result never overwritten), the summary recomputed by hand, the evaluation, the narasumber,
 * the export columns, and the region and role denials of every new route.
 */
import ExcelJS from "exceljs";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getUser, type SessionUser } from "~/auth.server";
import { db } from "~/db.server";
import {
  attendance,
  auditLog,
  workshopEvaluations,
  workshopSpeakers,
  workshopTestAnswers,
  workshopTestResults,
  workshopTests,
  type TestPhase,
} from "~/db/schema";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import type { Question } from "~/features/catalogue/content-schema";
import { getModule } from "~/features/catalogue/content.server";
import { answerField } from "~/features/learning/quiz-rules";
import { drawSessionItems, summariseTest, testQuestions } from "~/features/learning/session-test";
import {
  createSessionTest,
  getSessionTest,
  sessionTestSummary,
  type SessionTest,
} from "~/features/learning/session-test.server";
import { enrolUsers } from "~/features/workshops/enrolment.server";
import { workshopFormSchema } from "~/features/workshops/rules";
import { createWorkshop, transitionWorkshop } from "~/features/workshops/sessions.server";
import * as sesiDetail from "~/routes/sesi.$id._index";
import * as csvRoute from "~/routes/sesi.$id.absensi[.csv]";
import * as xlsxRoute from "~/routes/sesi.$id.absensi[.xlsx]";
import * as evaluasi from "~/routes/sesi.$id.evaluasi";
import * as narasumber from "~/routes/sesi.$id.narasumber";
import * as tes from "~/routes/sesi.$id.tes._index";
import * as cetak from "~/routes/sesi.$id.tes.cetak";
import * as isi from "~/routes/sesi.$id.tes.isi";
import { BASE, call, makeRequest, sessionCookie, setupDatabase } from "./helpers";

const DESA = "64.08.01.2001";
const MODULES = ["spm-kesehatan", "spm-pekerjaan-umum"];

interface Actor {
  user: SessionUser;
  cookie: string;
}
let pa: Actor; // pembina kecamatan of the session's kecamatan
let pb: Actor; // pembina kecamatan of another kecamatan
let k1: Actor, k2: Actor, k3: Actor, outsider: Actor;
let id: number;
let plainId: number; // a session without modules
let test: SessionTest;

async function actor(role: SessionUser["role"], scopeCode: string, name?: string, posyanduId?: number): Promise<Actor> {
  const u = await makeUser({ role, scopeCode, name, posyanduId: posyanduId ?? null });
  const cookie = await sessionCookie(u.id);
  return { user: (await getUser(makeRequest("/", { cookie })))!, cookie };
}

const local = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);

async function session(moduleSlugs: string[]): Promise<number> {
  const start = new Date(Date.now() - 3600_000);
  const r = await createWorkshop(
    pa.user,
    workshopFormSchema.parse({
      title: "Pelatihan Kader Kesehatan dan PU",
      kind: "pelatihan",
      audience: "kader",
      regionCode: "64.08.01",
      venue: "Aula Kantor Camat",
      startsAt: local(start),
      endsAt: local(new Date(start.getTime() + 6 * 3600_000)),
      capacity: "30",
      moduleSlugs,
    }),
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  await transitionWorkshop(pa.user, r.id, "published");
  return r.id;
}

/** A POST with repeated fields (checkbox groups), as a browser sends it. */
function post(path: string, cookie: string, entries: [string, string][]): Request {
  return new Request(BASE + path, {
    method: "POST",
    headers: { Cookie: cookie, Origin: BASE, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(entries),
  });
}

/** Form entries answering each item right (`right(i)`) or wrong, or leaving it blank (null). */
function answersFor(qs: SessionTest["questions"], right: (i: number) => boolean | null): [string, string][] {
  return qs.flatMap((q, i) => {
    const r = right(i);
    if (r === null) return [];
    const pick = r ? q.answer : [q.options.find((o) => !q.answer.includes(o.id))!.id];
    return pick.map((v) => [answerField(q.slug, q.id), v] as [string, string]);
  });
}

const results = (userId: string) =>
  db
    .select()
    .from(workshopTestResults)
    .where(and(eq(workshopTestResults.workshopId, id), eq(workshopTestResults.userId, userId)));

beforeAll(async () => {
  await setupDatabase();
  const pos = await makePosyandu({ name: "Posyandu Anggrek", desaCode: DESA });
  pa = await actor("pembina_kecamatan", "64.08.01");
  pb = await actor("pembina_kecamatan", "64.08.02");
  k1 = await actor("kader", DESA, "Kader Satu", pos);
  k2 = await actor("kader", DESA, "Kader Dua", pos);
  k3 = await actor("kader", DESA, "Kader Tiga", pos);
  outsider = await actor("kader", DESA, "Kader Luar", pos);
  id = await session(MODULES);
  plainId = await session([]);
  await enrolUsers(pa.user, id, [k1.user.id, k2.user.id, k3.user.id]);
  await db.insert(attendance).values([
    { workshopId: id, userId: k1.user.id, status: "hadir", method: "roster", recordedBy: pa.user.id },
    { workshopId: id, userId: k2.user.id, status: "terlambat", method: "roster", recordedBy: pa.user.id },
  ]);
});

// ---------------------------------------------------------------- pure rules

describe("the draw and the summary (pure)", () => {
  const q = (id: string, kelompok?: string): Question => ({
    id,
    type: "truefalse",
    prompt: `Pernyataan ${id}`,
    explanation: "Penjelasan singkat.",
    section: "bagian",
    answer: true,
    ...(kelompok ? { kelompok } : {}),
  });

  it("spreads 10 items over the modules, never two of one kelompok, each item once", () => {
    // Bank A: 6 items in 3 groups of 2 → 3 units; bank B: 12 free items with ids that clash with A.
    const a = ["a1", "a2", "a3", "a4", "a5", "a6"].map((x, i) => q(x, `g${Math.floor(i / 2)}`));
    const b = ["a1", "a2", ...Array.from({ length: 10 }, (_, i) => `b${i}`)].map((x) => q(x));
    for (let seed = 0; seed < 50; seed++) {
      let s = seed + 1;
      const rng = () => {
        s = (s * 16807) % 2147483647;
        return (s - 1) / 2147483646;
      };
      const items = drawSessionItems(
        [
          { slug: "A", questions: a },
          { slug: "B", questions: b },
        ],
        rng,
      );
      expect(items).toHaveLength(10);
      const fromA = items.filter((i) => i.slug === "A");
      expect(fromA).toHaveLength(3); // all of A's units, the rest from B
      const groups = fromA.map((i) => a.find((x) => x.id === i.questionId)!.kelompok);
      expect(new Set(groups).size).toBe(3);
      expect(new Set(items.map((i) => `${i.slug}.${i.questionId}`)).size).toBe(10);
    }
    // Two banks with the same ids ("k01" in every module): all their items can be drawn.
    const twin = ["k01", "k02", "k03"].map((x) => q(x));
    const both = drawSessionItems(
      [
        { slug: "A", questions: twin },
        { slug: "B", questions: twin },
      ],
      Math.random,
    );
    expect(both).toHaveLength(6);
    expect(new Set(both.map((i) => i.questionId))).toEqual(new Set(["k01", "k02", "k03"]));
    // Small banks: fewer than 10.
    expect(drawSessionItems([{ slug: "A", questions: a }], Math.random)).toHaveLength(3);
    // Without banks: nothing.
    expect(drawSessionItems([], Math.random)).toEqual([]);
  });

  it("keeps the stored order and the bank's option order; drops items gone from the bank", () => {
    const bank = getModule("spm-kesehatan")!.quiz!;
    const [x, y] = bank.questions;
    const qs = testQuestions(
      [
        { slug: "spm-kesehatan", questionId: y.id },
        { slug: "spm-kesehatan", questionId: "hilang" },
        { slug: "spm-kesehatan", questionId: x.id },
      ],
      () => bank,
    );
    expect(qs.map((z) => z.id)).toEqual([y.id, x.id]);
    if (y.type !== "truefalse") expect(qs[0].options.map((o) => o.id)).toEqual(y.options.map((o) => o.id));
  });

  it("computes averages over pairs only, the gain and Hake's g, per section", () => {
    const r = (userId: string, phase: TestPhase, score: number) => ({ userId, phase, score });
    const a = (userId: string, phase: TestPhase, section: string, ok: number) => ({
      userId,
      phase,
      slug: "m",
      section,
      ok,
    });
    const s = summariseTest(
      [r("u1", "pre", 40), r("u1", "post", 80), r("u2", "pre", 60), r("u2", "post", 70), r("u3", "pre", 10)],
      [
        a("u1", "pre", "x", 0),
        a("u1", "pre", "y", 1),
        a("u1", "post", "x", 1),
        a("u1", "post", "y", 1),
        a("u2", "pre", "x", 1),
        a("u2", "pre", "y", 0),
        a("u2", "post", "x", 1),
        a("u2", "post", "y", 0),
        a("u3", "pre", "x", 1), // unpaired: not counted
      ],
    );
    // avgPre = (40+60)/2 = 50, avgPost = (80+70)/2 = 75, gain 25, g = 25/50 = 0.5.
    expect(s).toMatchObject({ preCount: 3, postCount: 2, pairs: 2, avgPre: 50, avgPost: 75, avgGain: 25 });
    expect(s.normalisedGain).toBeCloseTo(0.5, 12);
    expect(s.sections).toEqual([
      { slug: "m", section: "x", pairs: 2, preRight: 50, postRight: 100 },
      { slug: "m", section: "y", pairs: 2, preRight: 50, postRight: 50 },
    ]);
    // A class average of 100 before: g undefined.
    expect(summariseTest([r("u", "pre", 100), r("u", "post", 100)], []).normalisedGain).toBeNull();
    // No pairs: no figures ("belum cukup data").
    expect(summariseTest([r("u", "pre", 30)], [])).toMatchObject({ pairs: 0, avgPre: null, avgGain: null });
  });
});

// ---------------------------------------------------------------- draw, phone, paper, summary

describe("the session test", () => {
  it("refuses a session without modules; draws once for a session with modules (session page)", async () => {
    const none = await createSessionTest(pa.user, plainId);
    expect(none).toMatchObject({ ok: false });
    const r = await call(
      sesiDetail.action,
      makeRequest(`/sesi/${plainId}`, { cookie: pa.cookie, form: { intent: "buat-tes" } }),
      { id: String(plainId) },
    );
    expect(r.status).toBe(400);
    expect(r.data.message).toMatch(/belum memiliki modul berkuis/);

    const made = await call(
      sesiDetail.action,
      makeRequest(`/sesi/${id}`, { cookie: pa.cookie, form: { intent: "buat-tes" } }),
      { id: String(id) },
    );
    expect(made.status).toBe(302);
    test = (await getSessionTest(id))!;
    expect(test.questions).toHaveLength(10);
    // Spread over both modules (5 and 5), never two of one kelompok in a module.
    for (const slug of MODULES) {
      const mine = test.items.filter((i) => i.slug === slug);
      expect(mine).toHaveLength(5);
      const bank = getModule(slug)!.quiz!.questions;
      const groups = mine.map((i) => bank.find((b) => b.id === i.questionId)!.kelompok).filter(Boolean);
      expect(new Set(groups).size).toBe(groups.length);
    }
    // A second call returns the same set.
    expect(await createSessionTest(pa.user, id)).toEqual({ ok: true, created: false });
    expect((await getSessionTest(id))!.items).toEqual(test.items);
  });

  it("a participant takes the pre-test then the post-test on the phone: same items, same order, stored once", async () => {
    const params = { id: String(id) };
    const pre = await call(tes.loader, makeRequest(`/sesi/${id}/tes`, { cookie: k1.cookie }), params);
    expect(pre.status).toBe(200);
    expect(pre.data.phase).toBe("pre");
    const order = test.questions.map((q) => q.id);
    expect(pre.data.questions.map((q: { id: string }) => q.id)).toEqual(order);
    // No key leaves the server before (or after) submission.
    expect(JSON.stringify(pre.data)).not.toContain('"answer"');

    // Unanswered items: 400 with the message.
    const partial = await call(
      tes.action,
      post(`/sesi/${id}/tes`, k1.cookie, [
        ["phase", "pre"],
        ...answersFor(test.questions, (i) => (i < 3 ? false : null)),
      ]),
      params,
    );
    expect(partial.status).toBe(400);
    expect(partial.data.unanswered).toHaveLength(7);

    // The post-test before the pre-test is refused.
    const early = await call(
      tes.action,
      post(`/sesi/${id}/tes`, k3.cookie, [["phase", "post"], ...answersFor(test.questions, () => true)]),
      params,
    );
    expect(early.status).toBe(400);

    const wrong: [string, string][] = [["phase", "pre"], ...answersFor(test.questions, () => false)];
    for (let i = 0; i < 2; i++) {
      // A double submit stores once and lands on the stored result.
      const r = await call(tes.action, post(`/sesi/${id}/tes`, k1.cookie, wrong), params);
      expect(r.status).toBe(302);
      expect(r.location).toBe(`/sesi/${id}/tes?selesai=pre`);
    }
    expect(await results(k1.user.id)).toMatchObject([
      { phase: "pre", source: "ponsel", score: 0, correct: 0, total: 10, enteredBy: k1.user.id },
    ]);
    const rows = await db
      .select()
      .from(workshopTestAnswers)
      .where(and(eq(workshopTestAnswers.workshopId, id), eq(workshopTestAnswers.userId, k1.user.id)));
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.ok === 0 && r.given.length > 0)).toBe(true);
    expect(new Set(rows.map((r) => r.section))).toEqual(new Set(test.questions.map((q) => q.section)));

    const next = await call(tes.loader, makeRequest(`/sesi/${id}/tes`, { cookie: k1.cookie }), params);
    expect(next.data).toMatchObject({ phase: "post", pre: 0, post: null });
    expect(next.data.questions.map((q: { id: string }) => q.id)).toEqual(order);
    const right = await call(
      tes.action,
      post(`/sesi/${id}/tes`, k1.cookie, [["phase", "post"], ...answersFor(test.questions, () => true)]),
      params,
    );
    expect(right.location).toBe(`/sesi/${id}/tes?selesai=post`);
    const done = await call(tes.loader, makeRequest(`/sesi/${id}/tes`, { cookie: k1.cookie }), params);
    expect(done.data).toMatchObject({ phase: null, pre: 0, post: 100, questions: [] });

    // k3: the pre-test all right, never a post-test (unpaired).
    await call(
      tes.action,
      post(`/sesi/${id}/tes`, k3.cookie, [["phase", "pre"], ...answersFor(test.questions, () => true)]),
      params,
    );
    expect(await results(k3.user.id)).toMatchObject([{ phase: "pre", score: 100 }]);
  });

  it("the pembina types paper sheets, corrects one (audited), and cannot overwrite a phone result", async () => {
    const params = { id: String(id) };
    const sheet = (userId: string, phase: TestPhase, right: (i: number) => boolean | null) =>
      call(
        isi.action,
        post(`/sesi/${id}/tes/isi`, pa.cookie, [
          ["userId", userId],
          ["phase", phase],
          ...answersFor(test.questions, right),
        ]),
        params,
      );
    // k2 pre: 4 right, the rest blank → 40.
    const first = await sheet(k2.user.id, "pre", (i) => (i < 4 ? true : null));
    expect(first.location).toBe(`/sesi/${id}/tes/isi?tersimpan=stored&nilai=40`);
    // The same sheet again changes nothing.
    expect((await sheet(k2.user.id, "pre", (i) => (i < 4 ? true : null))).location).toContain("tersimpan=unchanged");
    // Corrected: 3 right → 30, answers replaced, audited.
    const fixed = await sheet(k2.user.id, "pre", (i) => (i < 3 ? true : i === 3 ? false : null));
    expect(fixed.location).toBe(`/sesi/${id}/tes/isi?tersimpan=corrected&nilai=30`);
    expect(await results(k2.user.id)).toMatchObject([
      { phase: "pre", source: "kertas", score: 30, correct: 3, enteredBy: pa.user.id },
    ]);
    const pre = await db
      .select()
      .from(workshopTestAnswers)
      .where(
        and(
          eq(workshopTestAnswers.workshopId, id),
          eq(workshopTestAnswers.userId, k2.user.id),
          eq(workshopTestAnswers.phase, "pre"),
        ),
      );
    expect(pre.filter((r) => r.ok === 1)).toHaveLength(3);
    expect(pre.filter((r) => r.given === "")).toHaveLength(6);
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, "session-test.paper-correct"));
    expect(audits).toHaveLength(1);
    expect(audits[0].detail).toMatchObject({ userId: k2.user.id, phase: "pre", score: 30, previousScore: 40 });
    // The correction form is pre-filled with the stored sheet.
    const form = await call(
      isi.loader,
      makeRequest(`/sesi/${id}/tes/isi?peserta=${k2.user.id}&tahap=pre`, { cookie: pa.cookie }),
      params,
    );
    expect(form.data.stored).toMatchObject({ source: "kertas", score: 30 });

    // k2 post on paper: 8 right → 80.
    expect((await sheet(k2.user.id, "post", (i) => i < 8)).location).toContain("nilai=80");

    // k1's phone pre-test stays (0), whatever the paper says.
    const over = await sheet(k1.user.id, "pre", () => true);
    expect(over.status).toBe(400);
    expect(over.data.message).toMatch(/ponsel/);
    expect((await results(k1.user.id)).find((r) => r.phase === "pre")).toMatchObject({ source: "ponsel", score: 0 });

    // Someone not in the session, an unknown phase: 400.
    expect((await sheet(outsider.user.id, "pre", () => true)).status).toBe(400);
    expect((await sheet(k2.user.id, "tengah" as TestPhase, () => true)).status).toBe(400);
    // A foreign option: 400, nothing stored.
    const bad = await call(
      isi.action,
      post(`/sesi/${id}/tes/isi`, pa.cookie, [
        ["userId", k3.user.id],
        ["phase", "post"],
        [answerField(test.questions[0].slug, test.questions[0].id), "zzz"],
      ]),
      params,
    );
    expect(bad.status).toBe(400);
    expect(await results(k3.user.id)).toHaveLength(1);
  });

  it("the session page shows the gain and the per-section table, recomputed here by hand", async () => {
    // Pairs: k1 (0 → 100), k2 (30 → 80). k3 has a pre-test only.
    const avgPre = (0 + 30) / 2;
    const avgPost = (100 + 80) / 2;
    const s = await sessionTestSummary(id);
    expect(s).toMatchObject({ preCount: 3, postCount: 2, pairs: 2, avgPre: 15, avgPost: 90, avgGain: 75 });
    expect(avgPost - avgPre).toBe(75);
    expect(s.normalisedGain).toBeCloseTo(75 / 85, 12);
    // Per section: k1 pre all wrong, post all right; k2 pre items 0–2 right, post items 0–7 right.
    const expected = new Map<string, { n: number; pre: number; post: number }>();
    test.questions.forEach((q, i) => {
      const key = `${q.slug}#${q.section}`;
      const e = expected.get(key) ?? { n: 0, pre: 0, post: 0 };
      e.n += 2; // two answers per phase: k1 and k2
      e.pre += (i < 3 ? 1 : 0) + 0;
      e.post += 1 + (i < 8 ? 1 : 0);
      expected.set(key, e);
    });
    expect(s.sections).toHaveLength(expected.size);
    const byTitle = [...expected.entries()].map(([key, e]) => {
      const [slug, section] = key.split("#");
      const mod = getModule(slug)!;
      return {
        moduleTitle: mod.frontmatter.title,
        sectionTitle: mod.headings.find((h) => h.id === section)?.text ?? section,
        pairs: 2,
        preRight: (100 * e.pre) / e.n,
        postRight: (100 * e.post) / e.n,
      };
    });
    expect(s.sections).toEqual(byTitle);

    const page = await call(sesiDetail.loader, makeRequest(`/sesi/${id}`, { cookie: pa.cookie }), { id: String(id) });
    expect(page.data.measured).toMatchObject({ hasTest: true, items: 10, summary: { pairs: 2, avgGain: 75 } });
    // The participant's links: k1 did both (evaluation only), k3 the post-test next.
    const mine1 = await call(sesiDetail.loader, makeRequest(`/sesi/${id}`, { cookie: k1.cookie }), { id: String(id) });
    expect(mine1.data).toMatchObject({ testLink: null, canEvaluate: true, measured: null });
    const mine3 = await call(sesiDetail.loader, makeRequest(`/sesi/${id}`, { cookie: k3.cookie }), { id: String(id) });
    expect(mine3.data).toMatchObject({ testLink: "post", canEvaluate: false });
  });

  it("a draw with one question id from two modules records each item's answer (phone and paper)", async () => {
    // k01 is in both banks: the draw holds both, told apart by their module.
    const twinId = await session(MODULES);
    await enrolUsers(pa.user, twinId, [k1.user.id, k2.user.id]);
    await db.insert(workshopTests).values({
      workshopId: twinId,
      items: MODULES.map((slug) => ({ slug, questionId: "k01" })),
      createdBy: pa.user.id,
    });
    const twin = (await getSessionTest(twinId))!;
    expect(twin.questions.map((q) => [q.slug, q.id])).toEqual(MODULES.map((slug) => [slug, "k01"]));
    const params = { id: String(twinId) };
    const stored = (userId: string) =>
      db
        .select({ slug: workshopTestAnswers.slug, given: workshopTestAnswers.given, ok: workshopTestAnswers.ok })
        .from(workshopTestAnswers)
        .where(and(eq(workshopTestAnswers.workshopId, twinId), eq(workshopTestAnswers.userId, userId)))
        .orderBy(workshopTestAnswers.slug);
    const wrongOf = (q: SessionTest["questions"][number]) => q.options.find((o) => !q.answer.includes(o.id))!.id;
    const [first, second] = twin.questions;

    // Phone: the first module's k01 right, the second's wrong.
    const phone = await call(
      tes.action,
      post(`/sesi/${twinId}/tes`, k1.cookie, [
        ["phase", "pre"],
        ...first.answer.map((v) => [answerField(first.slug, "k01"), v] as [string, string]),
        [answerField(second.slug, "k01"), wrongOf(second)],
      ]),
      params,
    );
    expect(phone.status).toBe(302);
    expect(
      await db
        .select({
          score: workshopTestResults.score,
          correct: workshopTestResults.correct,
          total: workshopTestResults.total,
        })
        .from(workshopTestResults)
        .where(and(eq(workshopTestResults.workshopId, twinId), eq(workshopTestResults.userId, k1.user.id))),
    ).toEqual([{ score: 50, correct: 1, total: 2 }]);
    expect(await stored(k1.user.id)).toEqual([
      { slug: first.slug, given: first.answer.join(","), ok: 1 },
      { slug: second.slug, given: wrongOf(second), ok: 0 },
    ]);

    // Paper: the other way round, and the correction form shows each item's own answer.
    const paperSheet = () =>
      post(`/sesi/${twinId}/tes/isi`, pa.cookie, [
        ["userId", k2.user.id],
        ["phase", "pre"],
        [answerField(first.slug, "k01"), wrongOf(first)],
        ...second.answer.map((v) => [answerField(second.slug, "k01"), v] as [string, string]),
      ]);
    const paper = await call(isi.action, paperSheet(), params);
    expect(paper.location).toBe(`/sesi/${twinId}/tes/isi?tersimpan=stored&nilai=50`);
    expect(await stored(k2.user.id)).toEqual([
      { slug: first.slug, given: wrongOf(first), ok: 0 },
      { slug: second.slug, given: second.answer.join(","), ok: 1 },
    ]);
    const form = await call(
      isi.loader,
      makeRequest(`/sesi/${twinId}/tes/isi?peserta=${k2.user.id}&tahap=pre`, { cookie: pa.cookie }),
      params,
    );
    expect(form.data.stored.given).toEqual({
      [`${first.slug}.k01`]: [wrongOf(first)],
      [`${second.slug}.k01`]: [...second.answer].sort(),
    });
    // The same sheet again is unchanged (compared item by item).
    const again = await call(isi.action, paperSheet(), params);
    expect(again.location).toContain("tersimpan=unchanged");
  });

  it("the print page lists the items in order with option letters, for staff", async () => {
    const r = await call(cetak.loader, makeRequest(`/sesi/${id}/tes/cetak`, { cookie: pa.cookie }), {
      id: String(id),
    });
    expect(r.status).toBe(200);
    expect(r.data.questions.map((q: { id: string }) => q.id)).toEqual(test.questions.map((q) => q.id));
    for (const q of r.data.questions as { options: { letter: string }[] }[])
      expect(q.options[0].letter).toMatch(/^(a|B)$/);
  });
});

// ---------------------------------------------------------------- evaluation

describe("the participant evaluation", () => {
  const params = () => ({ id: String(id) });
  const send = (who: Actor, form: Record<string, string>) =>
    call(evaluasi.action, makeRequest(`/sesi/${id}/evaluasi`, { cookie: who.cookie, form }), params());

  it("validates, stores one row per participant (a resubmit updates it), and summarises without names", async () => {
    expect(
      (await call(evaluasi.loader, makeRequest(`/sesi/${id}/evaluasi`, { cookie: k1.cookie }), params())).status,
    ).toBe(200);
    const bad = await send(k1, { relevance: "6", clarity: "", speaker: "abc", comment: "x".repeat(501) });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.data.errors).sort()).toEqual(["clarity", "comment", "relevance", "speaker"]);
    expect(bad.data.errors.comment).toMatch(/500/);

    expect((await send(k1, { relevance: "3", clarity: "3", speaker: "3", comment: "" })).location).toBe(
      `/sesi/${id}?evaluasi=1`,
    );
    // A resubmit updates her row.
    await send(k1, { relevance: "5", clarity: "4", speaker: "5", comment: "Materi sangat berguna" });
    await send(k2, { relevance: "4", clarity: "3", speaker: "2", comment: "Waktu terlalu singkat" });
    const rows = await db.select().from(workshopEvaluations).where(eq(workshopEvaluations.workshopId, id));
    expect(rows).toHaveLength(2);

    // k3 is enrolled but was not present: 404, and nothing stored.
    expect(
      (await call(evaluasi.loader, makeRequest(`/sesi/${id}/evaluasi`, { cookie: k3.cookie }), params())).status,
    ).toBe(404);
    expect((await send(k3, { relevance: "1", clarity: "1", speaker: "1" })).status).toBe(404);

    const page = await call(sesiDetail.loader, makeRequest(`/sesi/${id}`, { cookie: pa.cookie }), params());
    expect(page.data.measured.evaluation).toEqual({
      n: 2,
      relevance: 4.5,
      clarity: 3.5,
      speaker: 3.5,
      comments: ["Materi sangat berguna", "Waktu terlalu singkat"],
    });
    expect(JSON.stringify(page.data.measured.evaluation)).not.toContain("Kader");
  });
});

// ---------------------------------------------------------------- narasumber

describe("the narasumber", () => {
  const params = () => ({ id: String(id) });
  const send = (who: Actor, form: Record<string, string>) =>
    call(narasumber.action, makeRequest(`/sesi/${id}/narasumber`, { cookie: who.cookie, form }), params());
  const speaker = {
    intent: "tambah",
    name: "dr. Rina Wulandari",
    organisation: "Dinas Kesehatan",
    topic: "Gizi balita",
  };

  it("adds (once per double submit), validates, lists on the session page, removes", async () => {
    const bad = await send(pa, { intent: "tambah", name: "R", organisation: "", topic: "x".repeat(121) });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.data.errors).sort()).toEqual(["name", "organisation", "topic"]);
    expect((await send(pa, speaker)).location).toBe(`/sesi/${id}/narasumber?ditambah=1`);
    await send(pa, speaker);
    await send(pa, { ...speaker, name: "Budi Santoso", organisation: "DPMD Kutai Timur", topic: "Peran kader" });
    const list = await call(narasumber.loader, makeRequest(`/sesi/${id}/narasumber`, { cookie: pa.cookie }), params());
    expect(list.data.speakers.map((s: { name: string }) => s.name)).toEqual(["dr. Rina Wulandari", "Budi Santoso"]);
    const page = await call(sesiDetail.loader, makeRequest(`/sesi/${id}`, { cookie: k1.cookie }), params());
    expect(page.data.speakers).toHaveLength(2);

    // A speaker id of another session changes nothing; this session's is removed.
    const [other] = await db
      .insert(workshopSpeakers)
      .values({ workshopId: plainId, name: "Lain", organisation: "Lain", topic: "Lain" })
      .returning({ id: workshopSpeakers.id });
    await send(pa, { intent: "hapus", speakerId: String(other.id) });
    expect(await db.select().from(workshopSpeakers).where(eq(workshopSpeakers.id, other.id))).toHaveLength(1);
    await send(pa, { intent: "hapus", speakerId: String(list.data.speakers[1].id) });
    const after = await db.select().from(workshopSpeakers).where(eq(workshopSpeakers.workshopId, id));
    expect(after.map((s) => s.name)).toEqual(["dr. Rina Wulandari"]);
    expect((await send(pa, { intent: "hapus", speakerId: "abc" })).status).toBe(400);
    expect((await send(pa, { intent: "lain" })).status).toBe(400);
  });
});

// ---------------------------------------------------------------- exports

describe("the attendance exports", () => {
  it("carry Pre-test, Post-test, Gain and the evaluation per participant", async () => {
    const params = { id: String(id) };
    const c = await call(csvRoute.loader, makeRequest(`/sesi/${id}/absensi.csv`, { cookie: pa.cookie }), params);
    const lines = (c.data as string)
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    expect(lines[1]).toBe(
      "No,Nama,Nomor HP,Posyandu,Desa,Kode desa,Pendaftaran,Kehadiran,Cara,Waktu dicatat," +
        "Pre-test,Post-test,Gain,Evaluasi relevansi,Evaluasi kejelasan,Evaluasi narasumber",
    );
    const row = (name: string) =>
      lines
        .find((l) => l.includes(name))!
        .split(",")
        .slice(-6);
    expect(row("Kader Satu")).toEqual(["0", "100", "100", "5", "4", "5"]);
    expect(row("Kader Dua")).toEqual(["30", "80", "50", "4", "3", "2"]);
    expect(row("Kader Tiga")).toEqual(["100", "", "", "", "", ""]);

    const x = await call(xlsxRoute.loader, makeRequest(`/sesi/${id}/absensi.xlsx`, { cookie: pa.cookie }), params);
    expect(x.status).toBe(200);
    const res = (await xlsxRoute.loader({
      request: makeRequest(`/sesi/${id}/absensi.xlsx`, { cookie: pa.cookie }),
      params,
      context: { clientIp: "203.0.113.7" },
    } as never)) as Response;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const ws = wb.worksheets[0];
    expect(ws.getRow(2).getCell(11).value).toBe("Pre-test");
    expect(ws.getRow(2).getCell(16).value).toBe("Evaluasi narasumber");
    const names: string[] = [];
    ws.eachRow((r, n) => {
      if (n > 2) names.push(String(r.getCell(2).value));
    });
    const k2Row = ws.getRow(3 + names.indexOf("Kader Dua"));
    expect([11, 12, 13, 14, 15, 16].map((i) => k2Row.getCell(i).value)).toEqual([30, 80, 50, 4, 3, 2]);

    // A session without test or evaluation keeps the attendance columns only.
    const plain = await call(csvRoute.loader, makeRequest(`/sesi/${plainId}/absensi.csv`, { cookie: pa.cookie }), {
      id: String(plainId),
    });
    expect((plain.data as string).split(/\r?\n/)[1]).toBe(
      "No,Nama,Nomor HP,Posyandu,Desa,Kode desa,Pendaftaran,Kehadiran,Cara,Waktu dicatat",
    );
  });
});

// ---------------------------------------------------------------- denials

describe("region and role", () => {
  const ROUTES = [
    ["tes", tes, `/tes`],
    ["cetak", cetak, `/tes/cetak`],
    ["isi", isi, `/tes/isi`],
    ["evaluasi", evaluasi, `/evaluasi`],
    ["narasumber", narasumber, `/narasumber`],
  ] as const;

  it("a pembina of another kecamatan gets 404 on every new route (loader and action)", async () => {
    for (const [name, mod, suffix] of ROUTES) {
      const path = `/sesi/${id}${suffix}`;
      const g = await call(mod.loader, makeRequest(path, { cookie: pb.cookie }), { id: String(id) });
      expect(g.status, `${name} GET`).toBe(404);
      if ("action" in mod) {
        const p = await call(
          mod.action,
          makeRequest(path, {
            cookie: pb.cookie,
            form: {
              intent: "tambah",
              phase: "pre",
              userId: k1.user.id,
              name: "Nama",
              organisation: "Dinas",
              topic: "Topik",
              relevance: "5",
              clarity: "5",
              speaker: "5",
            },
          }),
          { id: String(id) },
        );
        expect(p.status, `${name} POST`).toBe(404);
      }
    }
    const make = await call(
      sesiDetail.action,
      makeRequest(`/sesi/${id}`, { cookie: pb.cookie, form: { intent: "buat-tes" } }),
      { id: String(id) },
    );
    expect(make.status).toBe(404);
    // An unknown session id: 404 too.
    expect(
      (await call(tes.loader, makeRequest("/sesi/999999/tes", { cookie: k1.cookie }), { id: "999999" })).status,
    ).toBe(404);
  });

  it("a kader not in the session gets 404 on the participant pages and 403 on the staff pages", async () => {
    const expected: Record<string, number> = { tes: 404, cetak: 403, isi: 403, evaluasi: 404, narasumber: 403 };
    for (const [name, mod, suffix] of ROUTES) {
      const g = await call(mod.loader, makeRequest(`/sesi/${id}${suffix}`, { cookie: outsider.cookie }), {
        id: String(id),
      });
      expect(g.status, name).toBe(expected[name]);
    }
    const p = await call(
      tes.action,
      post(`/sesi/${id}/tes`, outsider.cookie, [["phase", "pre"], ...answersFor(test.questions, () => true)]),
      { id: String(id) },
    );
    expect(p.status).toBe(404);
    expect(await results(outsider.user.id)).toHaveLength(0);
    // A participant cannot type in paper sheets or create the test.
    expect(
      (
        await call(
          isi.action,
          post(`/sesi/${id}/tes/isi`, k2.cookie, [
            ["userId", k2.user.id],
            ["phase", "post"],
          ]),
          { id: String(id) },
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await call(sesiDetail.action, makeRequest(`/sesi/${id}`, { cookie: k2.cookie, form: { intent: "buat-tes" } }), {
          id: String(id),
        })
      ).status,
    ).toBe(403);
  });

  it("staff opening the participant pages are sent to the staff pages", async () => {
    const t = await call(tes.loader, makeRequest(`/sesi/${id}/tes`, { cookie: pa.cookie }), { id: String(id) });
    expect(t.location).toBe(`/sesi/${id}/tes/isi`);
    const e = await call(evaluasi.loader, makeRequest(`/sesi/${id}/evaluasi`, { cookie: pa.cookie }), {
      id: String(id),
    });
    expect(e.status).toBe(302);
  });
});
