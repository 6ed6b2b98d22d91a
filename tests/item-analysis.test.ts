/**
 * Item statistics ("Analisis soal", issue 19): figures from seeded attempts whose statistics
 * are computed here independently (Pearson over the raw vectors), through the real grading
 * path and the rollup trigger; region, period and first-attempt filters; removal; rebuild;
 * who may look; the CSV.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { db, sqlRows } from "~/db.server";
import { quizAttempts, users } from "~/db/schema";
import { content, getModule, syncModuleVersions } from "~/features/catalogue/content.server";
import { answerField, scoreAttempt } from "~/features/learning/quiz-rules";
import { startAttempt, submitAttempt } from "~/features/learning/quiz.server";
import { foldItemStats, startItemFold, stopItemFold } from "~/features/projection/projection.server";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { discrimination, facility, itemFlags } from "~/features/reporting/item-analysis";
import * as overview from "~/routes/analisis-soal._index";
import * as bankPage from "~/routes/analisis-soal.$slug._index";
import * as bankCsv from "~/routes/analisis-soal.$slug.csv";
import { rewriteSuffixUrl } from "~/lib/suffix-url";
import { call, makeRequest, sessionCookie, setupDatabase } from "./helpers";
import { answersFor, insertGradedAttempt, randomKey, seededRng } from "./support/quiz-attempts";

const SLUG = "spm-kesehatan";
const DESA_A = "64.08.01.2003"; // Muara Ancalong
const DESA_B = "64.02.01.2001"; // Kutai Kartanegara
const key = randomKey;
const rng = seededRng(7);

/** Pearson correlation of two vectors (the definition, not the sums). */
function pearson(x: number[], y: number[]): number | null {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx && syy ? sxy / Math.sqrt(sxx * syy) : null;
}

async function kaderIn(desa: string, posyanduId: number) {
  const k = await makeUser({ role: "kader", scopeCode: desa, posyanduId });
  return k.id;
}

/** A graded attempt written straight to the table (the trigger does the statistics). */
async function insertAttempt(userId: string, at: Date, ability: number) {
  return (await insertGradedAttempt({ userId, slug: SLUG, at, ability, rng })).id;
}

/** An attempt started and graded through the app, every answer right or every answer wrong. */
async function gradedThroughApp(userId: string, right: boolean) {
  const started = await startAttempt(userId, SLUG, key());
  if (!started.ok) throw new Error(started.message);
  const [row] = await db.select().from(quizAttempts).where(eq(quizAttempts.id, started.attemptId));
  const form = Object.entries(answersFor(row.draw, () => right)).map(
    ([q, a]) => [answerField(SLUG, q), a[0]] as [string, string],
  );
  const graded = await submitAttempt(userId, SLUG, started.attemptId, form);
  return { attemptId: started.attemptId, items: row.draw.length, form, graded };
}

/** Expected figures per item, computed from the attempts themselves. */
async function expected(
  filter: (a: { regionCode: string | null; firstTry: boolean | null; submittedAt: Date }) => boolean,
) {
  const rows = (await db.select().from(quizAttempts).where(eq(quizAttempts.slug, SLUG))).filter(
    (a) => a.submittedAt && filter(a as never),
  );
  const per = new Map<string, { x: number[]; y: number[]; chosen: Map<string, number> }>();
  for (const a of rows) {
    const graded = scoreAttempt(a.draw, a.answers!, a.passScore);
    for (const q of a.draw) {
      const x = graded.perQuestion[q.id] ? 1 : 0;
      const e = per.get(q.id) ?? { x: [] as number[], y: [] as number[], chosen: new Map<string, number>() };
      e.x.push(x);
      e.y.push(graded.correct - x);
      for (const o of a.answers![q.id] ?? []) e.chosen.set(o, (e.chosen.get(o) ?? 0) + 1);
      per.set(q.id, e);
    }
  }
  return per;
}

let admin: string;
let dpmdKukar: string;
let kaderA: string[];
let kaderB: string[];
const NOW = new Date();
const monthOf = (d: Date) => {
  const w = new Date(d.getTime() + 8 * 3600_000);
  return `${w.getUTCFullYear()}-${String(w.getUTCMonth() + 1).padStart(2, "0")}`;
};

beforeAll(async () => {
  await setupDatabase();
  await syncModuleVersions();
  const posA = await makePosyandu({ name: "Posyandu Uji A", desaCode: DESA_A });
  const posB = await makePosyandu({ name: "Posyandu Uji B", desaCode: DESA_B });
  admin = (await makeUser({ role: "admin", scopeCode: "64" })).id;
  dpmdKukar = (await makeUser({ role: "dpmd", scopeCode: "64.02" })).id;
  kaderA = [];
  kaderB = [];
  for (let i = 0; i < 30; i++) kaderA.push(await kaderIn(DESA_A, posA));
  for (let i = 0; i < 12; i++) kaderB.push(await kaderIn(DESA_B, posB));
  // Desa A: abilities from 0.2 to 0.95, so right answers go with high rest scores.
  for (const [i, id] of kaderA.entries())
    await insertAttempt(id, new Date(NOW.getTime() - 3 * 86_400_000), 0.2 + (0.75 * i) / 29);
  // A second attempt (a retake) for the weakest ten.
  for (const id of kaderA.slice(0, 10)) await insertAttempt(id, new Date(NOW.getTime() - 86_400_000), 0.5);
  // Desa B, 14 months ago: outside the default period (the last 12 months).
  for (const id of kaderB) await insertAttempt(id, new Date(NOW.getTime() - 425 * 86_400_000), 0.9);
});

describe("sums give Moodle's figures", () => {
  it("facility and the corrected item-total correlation equal the definitions", () => {
    const x = [1, 0, 1, 1, 0, 1, 0, 0, 1, 1];
    const y = [7, 3, 8, 6, 2, 9, 5, 4, 6, 8];
    const sums = {
      n: x.length,
      correct: x.reduce((a, b) => a + b, 0),
      restSum: y.reduce((a, b) => a + b, 0),
      restSq: y.reduce((a, b) => a + b * b, 0),
      xyRest: x.reduce((a, b, i) => a + b * y[i], 0),
    };
    expect(facility(sums)).toBe(0.6);
    expect(discrimination(sums)).toBeCloseTo(pearson(x, y)!, 12);
    // No spread: no correlation.
    expect(discrimination({ n: 5, correct: 5, restSum: 20, restSq: 90, xyRest: 20 })).toBeNull();
  });

  it("flags too easy, too hard, low or negative discrimination and a dead distractor (from 20 responses)", () => {
    const opts = (dead: boolean) => [
      { isKey: true, chosen: 10 },
      { isKey: false, chosen: dead ? 0 : 5 },
    ];
    expect(itemFlags({ n: 19, correct: 19, restSum: 0, restSq: 0, xyRest: 0 }, opts(true))).toEqual([]);
    expect(itemFlags({ n: 40, correct: 39, restSum: 200, restSq: 1100, xyRest: 196 }, opts(false))).toContain(
      "terlalu-mudah",
    );
    expect(itemFlags({ n: 40, correct: 6, restSum: 200, restSq: 1100, xyRest: 30 }, opts(false))).toContain(
      "terlalu-sulit",
    );
    // x right for the low rest scores: negative.
    const x = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
    const y = [1, 2, 1, 2, 3, 8, 9, 7, 8, 9, 2, 1, 3, 2, 1, 9, 8, 7, 9, 8];
    const s = {
      n: 20,
      correct: 10,
      restSum: y.reduce((a, b) => a + b, 0),
      restSq: y.reduce((a, b) => a + b * b, 0),
      xyRest: x.reduce((a, b, i) => a + b * y[i], 0),
    };
    expect(itemFlags(s, opts(true))).toEqual(["daya-beda-negatif", "pengecoh-mati"]);
  });
});

describe("Analisis soal from graded attempts", () => {
  it("matches the figures computed from the attempts (province, last 12 months)", async () => {
    const cookie = await sessionCookie(admin);
    const res = await call(bankPage.loader, makeRequest(`/analisis-soal/${SLUG}`, { cookie }), { slug: SLUG });
    expect(res.status).toBe(200);
    const exp = await expected((a) => a.submittedAt.getTime() > NOW.getTime() - 365 * 86_400_000);
    expect(res.data.analysis.attempts).toBe(40);
    expect(res.data.analysis.items.length).toBe(exp.size);
    for (const it of res.data.analysis.items) {
      const e = exp.get(it.id)!;
      expect(it.n, it.id).toBe(e.x.length);
      expect(it.facility).toBeCloseTo(e.x.reduce((a, b) => a + b, 0) / e.x.length, 12);
      const r = pearson(e.x, e.y);
      if (r === null) expect(it.discrimination).toBeNull();
      else expect(it.discrimination).toBeCloseTo(r, 10);
      for (const o of it.options) expect(o.chosen, `${it.id}/${o.id}`).toBe(e.chosen.get(o.id) ?? 0);
    }
    // Abilities drive the answers: the bank discriminates on average.
    const ds = res.data.analysis.items.map((i: { discrimination: number | null }) => i.discrimination ?? 0);
    expect(ds.reduce((a: number, b: number) => a + b, 0) / ds.length).toBeGreaterThan(0.1);
  });

  it("filters by first attempt, by period and by region", async () => {
    const cookie = await sessionCookie(admin);
    const first = await call(bankPage.loader, makeRequest(`/analisis-soal/${SLUG}?percobaan=pertama`, { cookie }), {
      slug: SLUG,
    });
    expect(first.data.analysis.attempts).toBe(30);
    const old = monthOf(new Date(NOW.getTime() - 425 * 86_400_000));
    const past = await call(
      bankPage.loader,
      makeRequest(`/analisis-soal/${SLUG}?dari=${old}&sampai=${old}`, { cookie }),
      { slug: SLUG },
    );
    expect(past.data.analysis.attempts).toBe(12);
    const exp = await expected((a) => a.regionCode === DESA_B);
    for (const it of past.data.analysis.items) expect(it.n).toBe(exp.get(it.id)!.x.length);
    const kec = await call(
      bankPage.loader,
      makeRequest(`/analisis-soal/${SLUG}?wilayah=64.02.01&dari=${old}&sampai=${monthOf(NOW)}`, { cookie }),
      { slug: SLUG },
    );
    expect(kec.data.analysis.attempts).toBe(12);
    // The attempts carry their taker's desa and the first-try mark.
    const [{ n }] = await sqlRows<{ n: number }>(
      sql`select count(*)::int as n from quiz_attempts where first_try and region_code = ${DESA_A}`,
    );
    expect(n).toBe(30);
  });

  it("a kecamatan (summed live from its attempts) gives the same figures as its kabupaten (from the rollup)", async () => {
    const cookie = await sessionCookie(admin);
    const get = async (wilayah: string) =>
      (
        await call(bankPage.loader, makeRequest(`/analisis-soal/${SLUG}?wilayah=${wilayah}`, { cookie }), {
          slug: SLUG,
        })
      ).data.analysis;
    // Every Kutai Timur attempt here is in Muara Ancalong (64.08.01).
    const kab = await get("64.08");
    const kec = await get("64.08.01");
    const desa = await get(DESA_A);
    expect(kab.attempts).toBe(40);
    expect(kec).toEqual(kab);
    expect(desa).toEqual(kab);
  });

  it("sections rank what kader miss most, with the number of responses behind each", async () => {
    const cookie = await sessionCookie(admin);
    const res = await call(bankPage.loader, makeRequest(`/analisis-soal/${SLUG}`, { cookie }), { slug: SLUG });
    const sections = res.data.analysis.sections as { n: number; missed: number | null }[];
    expect(sections.reduce((a, s) => a + s.n, 0)).toBe(400);
    const ranked = sections.filter((s) => s.missed !== null).map((s) => s.missed!);
    expect(ranked).toEqual([...ranked].sort((a, b) => b - a));
  });

  it("a graded attempt through the app counts once; a removed kader's attempts are taken out; rebuild agrees", async () => {
    const cookie = await sessionCookie(admin);
    const before = await call(bankPage.loader, makeRequest(`/analisis-soal/${SLUG}`, { cookie }), { slug: SLUG });
    const k = await kaderIn(DESA_A, await makePosyandu({ name: "Posyandu Uji C", desaCode: DESA_A }));
    const first = await gradedThroughApp(k, true);
    const r2 = await submitAttempt(k, SLUG, first.attemptId, first.form);
    expect(first.graded.ok && r2.ok && r2.alreadySubmitted).toBe(true);
    const after = await call(bankPage.loader, makeRequest(`/analisis-soal/${SLUG}`, { cookie }), { slug: SLUG });
    expect(after.data.analysis.attempts).toBe(before.data.analysis.attempts + 1);

    const snapshot = async () =>
      sqlRows<Record<string, unknown>>(
        sql`select region_code, slug, question_id, month::text, first_try, n, correct, rest_sum, rest_sq, xy_rest
            from stats_item where n <> 0 order by 1, 2, 3, 4, 5`,
      );
    const options = async () =>
      sqlRows<Record<string, unknown>>(
        sql`select region_code, question_id, month::text, first_try, o.key, o.value::int as n
            from stats_item, jsonb_each_text(options) o where o.value::int <> 0 order by 1, 2, 3, 4, 5`,
      );
    await db.delete(users).where(eq(users.id, k));
    const back = await call(bankPage.loader, makeRequest(`/analisis-soal/${SLUG}`, { cookie }), { slug: SLUG });
    expect(back.data.analysis.attempts).toBe(before.data.analysis.attempts);
    await foldItemStats();
    const incremental = [await snapshot(), await options()];
    await db.execute(sql`select rebuild_stats_item()`);
    expect([await snapshot(), await options()]).toEqual(incremental);
  });

  it("the overview lists every bank (kader and Tim Pembina programmes) with its attempts", async () => {
    const cookie = await sessionCookie(admin);
    const res = await call(overview.loader, makeRequest("/analisis-soal", { cookie }));
    expect(res.status).toBe(200);
    expect(res.data.banks).toHaveLength(content().modules.filter((m) => m.quiz).length);
    expect(res.data.banks).toHaveLength(17);
    expect(res.data.banks.find((b: { slug: string }) => b.slug === SLUG).attempts).toBe(40);
  });
});

describe("who may see Analisis soal", () => {
  it("admin and DPMD only, and DPMD only inside their scope", async () => {
    const kader = await sessionCookie(kaderA[0]);
    const pembina = await sessionCookie((await makeUser({ role: "pembina_kabupaten", scopeCode: "64.08" })).id);
    for (const cookie of [kader, pembina]) {
      expect((await call(overview.loader, makeRequest("/analisis-soal", { cookie }))).status).toBe(403);
      expect(
        (await call(bankPage.loader, makeRequest(`/analisis-soal/${SLUG}`, { cookie }), { slug: SLUG })).status,
      ).toBe(403);
      expect(
        (await call(bankCsv.loader, makeRequest(`/analisis-soal/${SLUG}.csv`, { cookie }), { slug: SLUG })).status,
      ).toBe(403);
    }
    const dpmd = await sessionCookie(dpmdKukar);
    const own = await call(bankPage.loader, makeRequest(`/analisis-soal/${SLUG}?dari=2020-01`, { cookie: dpmd }), {
      slug: SLUG,
    });
    expect(own.status).toBe(200);
    // Kutai Kartanegara's DPMD sees its 12 attempts, none of Kutai Timur's.
    expect(own.data.analysis.attempts).toBe(12);
    const other = await call(bankPage.loader, makeRequest(`/analisis-soal/${SLUG}?wilayah=64.08`, { cookie: dpmd }), {
      slug: SLUG,
    });
    expect(other.status).toBe(403);
    const anon = await call(overview.loader, makeRequest("/analisis-soal"));
    expect(anon.status).toBe(302);
  });

  it("bad filters fall back, an unknown quiz is 404", async () => {
    const cookie = await sessionCookie(admin);
    const res = await call(
      bankPage.loader,
      makeRequest(`/analisis-soal/${SLUG}?dari=kemarin&sampai=2026-13&percobaan=x&wilayah=abc`, { cookie }),
      { slug: SLUG },
    );
    expect(res.status).toBe(200);
    expect(res.data.region.code).toBe("64");
    expect(
      (await call(bankPage.loader, makeRequest("/analisis-soal/tidak-ada", { cookie }), { slug: "tidak-ada" })).status,
    ).toBe(404);
  });
});

describe("CSV export", () => {
  it("one line per option with the item's figures, the scope and the period", async () => {
    expect(rewriteSuffixUrl(`/analisis-soal/${SLUG}.csv?wilayah=64`)).toBe(`/analisis-soal/${SLUG}/csv?wilayah=64`);
    const cookie = await sessionCookie(admin);
    const res = await bankCsv.loader({
      request: makeRequest(`/analisis-soal/${SLUG}.csv`, { cookie }),
      params: { slug: SLUG },
      context: {},
    } as never);
    expect(res.headers.get("Content-Type")).toContain("text/csv");
    const text = await res.text();
    expect(text).toContain("Wilayah: Provinsi Kalimantan Timur (64)");
    expect(text).toContain("Tingkat kemudahan (% benar)");
    const bank = getModule(SLUG)!.quiz!;
    const optionLines = text.split("\n").filter((l) => /^[a-z0-9_-]+;/.test(l) && !l.startsWith("Soal"));
    expect(optionLines.length).toBeGreaterThan(bank.questions.length);
  });
});

describe("the item rollup folded in batches (quiz-path capacity)", () => {
  it("grading writes no rollup row: its answers wait in stats_item_pending, count at once, and a fold moves them", async () => {
    const cookie = await sessionCookie(admin);
    const page = async () =>
      (await call(bankPage.loader, makeRequest(`/analisis-soal/${SLUG}`, { cookie }), { slug: SLUG })).data.analysis;
    const rollup = async () =>
      (await sqlRows<{ n: number }>(sql`select coalesce(sum(n), 0)::int as n from stats_item where slug = ${SLUG}`))[0]
        .n;
    const pending = async () =>
      (await sqlRows<{ n: number }>(sql`select count(*)::int as n from stats_item_pending`))[0].n;
    await foldItemStats();
    expect(await pending()).toBe(0);
    const before = { page: await page(), rollup: await rollup() };

    // Two attempts graded through the app, in two transactions: no stats_item row changes.
    let items = 0;
    for (let i = 0; i < 2; i++) {
      const k = await kaderIn(DESA_A, await makePosyandu({ name: `Posyandu Uji L${i}`, desaCode: DESA_A }));
      const attempt = await gradedThroughApp(k, i === 0);
      expect(attempt.graded.ok).toBe(true);
      items += attempt.items;
    }
    expect(await rollup()).toBe(before.rollup);
    expect(await pending()).toBe(items);
    // The page counts them already (stats_item + the pending rows, one snapshot).
    const waiting = await page();
    expect(waiting.attempts).toBe(before.page.attempts + 2);

    // Two folds at once: one moves every row, the other finds nothing (or waits and finds nothing).
    const moved = await Promise.all([foldItemStats(), foldItemStats()]);
    expect(moved[0] + moved[1]).toBe(items);
    expect(await pending()).toBe(0);
    // Each answer once for its kabupaten and once for its provinsi.
    expect(await rollup()).toBe(before.rollup + 2 * items);
    expect(await page()).toEqual(waiting);

    // The server's timer folds on its own.
    const k = await kaderIn(DESA_A, await makePosyandu({ name: "Posyandu Uji L2", desaCode: DESA_A }));
    const third = await gradedThroughApp(k, true);
    expect(third.graded.ok).toBe(true);
    expect(await pending()).toBe(third.items);
    startItemFold(20);
    try {
      for (let t = 0; t < 100 && (await pending()) > 0; t++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      stopItemFold();
    }
    expect(await pending()).toBe(0);
    expect(await rollup()).toBe(before.rollup + 2 * (items + third.items));
  });
});
