/**
 * "Kebutuhan pelatihan" (issue 20): the module sections the kader of a kecamatan or desa miss
 * most, recomputed here from the rows the test inserts (graded quiz attempts through the
 * statistics trigger, and pre/post test answers written straight to workshop_test_answers);
 * the figures hidden below MIN_RESPONSES; region and role denials; the one-step draft session
 * (modules, exactly the kader who missed, a double submit making one session); the WhatsApp
 * list for a pembina desa, who may not schedule.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { eq, inArray, sql } from "drizzle-orm";
import { db, sqlRows } from "~/db.server";
import { enrolments, workshops, workshopTestAnswers } from "~/db/schema";
import { getModule } from "~/features/catalogue/content.server";
import { makePosyandu, makeUser } from "~/demo/factories.server";
import { MIN_RESPONSES } from "~/features/reporting/item-analysis";
import { needFigure, sectionKey } from "~/features/reporting/training-needs";
import * as page from "~/routes/kebutuhan-pelatihan";
import { makeWorkshop } from "./certification-helpers";
import { BASE, call, makeRequest, sessionCookie, setupDatabase } from "./helpers";
import { insertGradedAttempt, randomKey, seededRng } from "./support/quiz-attempts";
import { pageText, renderPage } from "./support/render-page";

const SLUG = "spm-kesehatan";
const TEST_SLUG = "permendagri-13-2024";
const KEC = "64.08.01"; // Muara Ancalong
const DESA_A = "64.08.01.2001";
const DESA_B = "64.08.01.2003";
const OTHER_DESA = "64.08.02.2001"; // Muara Wahau: another kecamatan
const DAY = 86_400_000;
const key = randomKey;
const rng = seededRng(11);

/** Every item answer the test writes, with what decides whether it counts. */
interface Written {
  userId: string;
  desa: string;
  slug: string;
  section: string;
  ok: 0 | 1;
  inPeriod: boolean;
  activeKader: boolean;
}
const written: Written[] = [];

async function insertAttempt(userId: string, desa: string, at: Date, ability: number, activeKader = true) {
  const { draw, graded } = await insertGradedAttempt({ userId, slug: SLUG, at, ability, rng });
  for (const q of draw)
    written.push({
      userId,
      desa,
      slug: SLUG,
      section: q.section ?? "",
      ok: graded.perQuestion[q.id] ? 1 : 0,
      inPeriod: Date.now() - at.getTime() < 300 * DAY,
      activeKader,
    });
}

/** The figures the page must show for an area, from `written`. */
function expected(area: string) {
  const by = new Map<string, { n: number; missed: number; who: Set<string> }>();
  for (const w of written) {
    if (!w.inPeriod || !w.activeKader || !(w.desa === area || w.desa.startsWith(`${area}.`))) continue;
    const k = sectionKey(w.slug, w.section);
    const e = by.get(k) ?? { n: 0, missed: 0, who: new Set<string>() };
    e.n++;
    if (!w.ok) {
      e.missed++;
      e.who.add(w.userId);
    }
    by.set(k, e);
  }
  return by;
}

function whoMissed(area: string, keys: string[]): string[] {
  return [
    ...new Set(
      written
        .filter(
          (w) =>
            w.inPeriod &&
            w.activeKader &&
            !w.ok &&
            (w.desa === area || w.desa.startsWith(`${area}.`)) &&
            keys.includes(sectionKey(w.slug, w.section)),
        )
        .map((w) => w.userId),
    ),
  ].sort();
}

function post(cookie: string, search: string, entries: [string, string][]): Request {
  return new Request(`${BASE}/kebutuhan-pelatihan?${search}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: BASE, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(entries),
  });
}

const cookie = {} as Record<"kec" | "kecOther" | "desa" | "kab" | "kader", string>;
let testSection: string;

beforeAll(async () => {
  await setupDatabase();
  const posA = await makePosyandu({ name: "Posyandu Kebutuhan A", desaCode: DESA_A });
  const posB = await makePosyandu({ name: "Posyandu Kebutuhan B", desaCode: DESA_B });
  const posO = await makePosyandu({ name: "Posyandu Kebutuhan O", desaCode: OTHER_DESA });
  const kader = async (desa: string, pos: number, active = true) =>
    (await makeUser({ role: "kader", scopeCode: desa, posyanduId: pos, active })).id;
  const now = Date.now();
  for (let i = 0; i < 20; i++)
    await insertAttempt(await kader(DESA_A, posA), DESA_A, new Date(now - 3 * DAY), 0.3 + i / 30);
  for (let i = 0; i < 10; i++) await insertAttempt(await kader(DESA_B, posB), DESA_B, new Date(now - 5 * DAY), 0.5);
  // Not counted: an inactive kader, a kader of another kecamatan, an attempt of 14 months ago.
  await insertAttempt(await kader(DESA_A, posA, false), DESA_A, new Date(now - 2 * DAY), 0, false);
  await insertAttempt(await kader(OTHER_DESA, posO), OTHER_DESA, new Date(now - 2 * DAY), 0);
  await insertAttempt(await kader(DESA_B, posB), DESA_B, new Date(now - 425 * DAY), 0, true);

  // Pre-test answers of a session held 3 days ago: one section of another module, few answers.
  testSection = getModule(TEST_SLUG)!.headings[0].id;
  const ws = await makeWorkshop({ region: KEC });
  for (let i = 0; i < 6; i++) {
    const id = await kader(DESA_B, posB);
    const ok = i < 2 ? 1 : 0;
    await db.insert(workshopTestAnswers).values({
      workshopId: ws,
      userId: id,
      phase: "pre",
      slug: TEST_SLUG,
      questionId: `q${i}`,
      section: testSection,
      given: "a",
      ok,
    });
    written.push({
      userId: id,
      desa: DESA_B,
      slug: TEST_SLUG,
      section: testSection,
      ok,
      inPeriod: true,
      activeKader: true,
    });
  }

  cookie.kec = await sessionCookie((await makeUser({ role: "pembina_kecamatan", scopeCode: KEC })).id);
  cookie.kecOther = await sessionCookie((await makeUser({ role: "pembina_kecamatan", scopeCode: "64.08.02" })).id);
  cookie.desa = await sessionCookie((await makeUser({ role: "pembina_desa", scopeCode: DESA_A })).id);
  cookie.kab = await sessionCookie((await makeUser({ role: "pembina_kabupaten", scopeCode: "64.08" })).id);
  cookie.kader = await sessionCookie(await kader(DESA_A, posA));
});

describe("the figures", () => {
  it("per module section: answers, wrong answers, miss rate and kader who missed, most missed first", async () => {
    for (const area of [KEC, DESA_A, DESA_B]) {
      const r = await call(page.loader, makeRequest(`/kebutuhan-pelatihan?wilayah=${area}`, { cookie: cookie.kec }));
      expect(r.status).toBe(200);
      const rows = r.data.rows as {
        slug: string;
        section: string;
        n: number;
        missed: number;
        kaderMissed: number;
        missRate: number | null;
      }[];
      const want = expected(area);
      expect(rows.length, area).toBe(want.size);
      for (const row of rows) {
        const e = want.get(sectionKey(row.slug, row.section))!;
        expect({ n: row.n, missed: row.missed, kader: row.kaderMissed }, `${area} ${row.section}`).toEqual({
          n: e.n,
          missed: e.missed,
          kader: e.who.size,
        });
        expect(row.missRate).toBe(e.n >= MIN_RESPONSES ? e.missed / e.n : null);
      }
      const rates = rows.map((x) => x.missRate ?? -1);
      expect(rates).toEqual([...rates].sort((a, b) => b - a));
    }
  });

  it("hides the rate below the minimum count and says how many answers there are", async () => {
    const r = await call(page.loader, makeRequest(`/kebutuhan-pelatihan?wilayah=${KEC}`, { cookie: cookie.kec }));
    const row = r.data.rows.find((x: { slug: string }) => x.slug === TEST_SLUG);
    expect(row).toMatchObject({ n: 6, missed: 4, kaderMissed: 4, missRate: null });
    expect(needFigure(row)).toBe("data belum cukup (6 jawaban)");
    expect(r.data.rows.some((x: { missRate: number | null }) => x.missRate !== null)).toBe(true);
    expect(r.data.rows.at(-1).missRate).toBeNull(); // the rows without enough data come last
  });

  it("renders without JavaScript: a plain POST form, a labelled checkbox per section missed, the hidden figure", async () => {
    const r = await call(page.loader, makeRequest(`/kebutuhan-pelatihan?wilayah=${KEC}`, { cookie: cookie.kec }));
    const html = await renderPage(page.default, r.data, `/kebutuhan-pelatihan?${r.data.search}`);
    expect(html).toMatch(
      /<form method="post" action="\/kebutuhan-pelatihan\?wilayah=64\.08\.01&amp;dari=\d{4}-\d{2}&amp;sampai=\d{4}-\d{2}"/,
    );
    expect(html).toContain(`name="formKey" value="${r.data.formKey}"`);
    const boxes = [...html.matchAll(/<input type="checkbox" id="([^"]+)" name="sections"/g)].map((m) => m[1]);
    expect(boxes.length).toBe(r.data.rows.filter((x: { missed: number }) => x.missed > 0).length);
    for (const id of boxes) expect(html).toContain(`<label for="${id}">`);
    const text = await pageText(page.default, r.data, `/kebutuhan-pelatihan?${r.data.search}`);
    expect(text).toContain("data belum cukup (6 jawaban)");
    expect(text).toContain("Buat draf sesi");
  });

  it("a pembina of another kecamatan is refused; a kader is refused; unknown 404, malformed the default", async () => {
    expect(
      (await call(page.loader, makeRequest(`/kebutuhan-pelatihan?wilayah=${KEC}`, { cookie: cookie.kecOther }))).status,
    ).toBe(403);
    expect(
      (await call(page.loader, makeRequest(`/kebutuhan-pelatihan?wilayah=${DESA_A}`, { cookie: cookie.kecOther })))
        .status,
    ).toBe(403);
    const k = post(cookie.kecOther, `wilayah=${KEC}`, [
      ["sections", sectionKey(TEST_SLUG, testSection)],
      ["formKey", key()],
    ]);
    expect((await call(page.action, k)).status).toBe(403);
    // A pembina desa sees her desa only.
    expect(
      (await call(page.loader, makeRequest(`/kebutuhan-pelatihan?wilayah=${DESA_B}`, { cookie: cookie.desa }))).status,
    ).toBe(403);
    expect((await call(page.loader, makeRequest("/kebutuhan-pelatihan", { cookie: cookie.kader }))).status).toBe(403);
    expect((await call(page.action, post(cookie.kader, "", [["formKey", key()]]))).status).toBe(403);
    expect(
      (await call(page.loader, makeRequest("/kebutuhan-pelatihan?wilayah=64.08.01.9999", { cookie: cookie.kec })))
        .status,
    ).toBe(404);
    const bad = await call(
      page.loader,
      makeRequest("/kebutuhan-pelatihan?wilayah=x'%00&dari=2025-13&sampai=zz", { cookie: cookie.kec }),
    );
    expect(bad.status).toBe(200);
    expect(bad.data.region.code).toBe(KEC);
  });

  it("a kabupaten pembina picks one of her kecamatan first", async () => {
    const r = await call(page.loader, makeRequest("/kebutuhan-pelatihan", { cookie: cookie.kab }));
    expect(r.status).toBe(200);
    expect(r.data.isArea).toBe(false);
    expect(r.data.rows).toEqual([]);
    expect(r.data.children.map((c: { code: string }) => c.code)).toContain(KEC);
    const k = await call(page.loader, makeRequest(`/kebutuhan-pelatihan?wilayah=${KEC}`, { cookie: cookie.kab }));
    expect(k.data.rows.length).toBe(expected(KEC).size);
  });
});

describe("one step to a session", () => {
  it("creates a draft pelatihan with the sections' modules and enrols exactly the kader who missed them; a double submit makes one", async () => {
    const r = await call(page.loader, makeRequest(`/kebutuhan-pelatihan?wilayah=${KEC}`, { cookie: cookie.kec }));
    const top = r.data.rows.find(
      (x: { slug: string; missRate: number | null }) => x.slug === SLUG && x.missRate !== null,
    );
    const keys = [sectionKey(top.slug, top.section), sectionKey(TEST_SLUG, testSection)];
    const formKey = key();
    const form: [string, string][] = [...keys.map((k): [string, string] => ["sections", k]), ["formKey", formKey]];
    const first = await call(page.action, post(cookie.kec, r.data.search, form));
    expect(first.status).toBe(302);
    const id = Number(/^\/sesi\/(\d+)\?dibuat=1$/.exec(first.location!)![1]);
    const [w] = await db.select().from(workshops).where(eq(workshops.id, id));
    expect(w).toMatchObject({ status: "draft", kind: "pelatihan", audience: "kader", regionCode: KEC });
    expect([...w.moduleSlugs].sort()).toEqual([SLUG, TEST_SLUG].sort());
    expect(w.title).toContain(getModule(SLUG)!.frontmatter.title);
    const want = whoMissed(KEC, keys);
    expect(want.length).toBeGreaterThan(4);
    expect(w.capacity).toBe(want.length);
    const enrolled = async () =>
      (
        await db
          .select({ userId: enrolments.userId, status: enrolments.status })
          .from(enrolments)
          .where(eq(enrolments.workshopId, id))
      )
        .map((e) => `${e.userId}:${e.status}`)
        .sort();
    expect(await enrolled()).toEqual(want.map((u) => `${u}:enrolled`));

    const again = await call(page.action, post(cookie.kec, r.data.search, form));
    expect(again.location).toBe(first.location);
    const [{ n }] = await sqlRows<{ n: number }>(
      sql`select count(*)::int as n from workshops where title = ${w.title}`,
    );
    expect(n).toBe(1);
    expect(await enrolled()).toEqual(want.map((u) => `${u}:enrolled`));
  });

  it("refuses a form without sections, with an unknown section or without its key (400)", async () => {
    const s = `wilayah=${KEC}`;
    for (const form of [
      [["formKey", key()]],
      [
        ["sections", "spm-kesehatan#tidak-ada"],
        ["formKey", key()],
      ],
      [
        ["sections", "x"],
        ["formKey", key()],
      ],
      [["sections", sectionKey(TEST_SLUG, testSection)]],
    ] as [string, string][][]) {
      const r = await call(page.action, post(cookie.kec, s, form));
      expect(r.status, JSON.stringify(form)).toBe(400);
    }
    // A kabupaten-level area: pick a kecamatan first.
    const kab = await call(
      page.action,
      post(cookie.kab, "", [
        ["sections", sectionKey(TEST_SLUG, testSection)],
        ["formKey", key()],
      ]),
    );
    expect(kab.status).toBe(400);
  });

  it("a pembina desa gets the WhatsApp reminder list instead (no session)", async () => {
    const before = await db.select({ id: workshops.id }).from(workshops);
    const r = await call(page.loader, makeRequest("/kebutuhan-pelatihan", { cookie: cookie.desa }));
    expect(r.data.region.code).toBe(DESA_A);
    expect(r.data.canSchedule).toBe(false);
    const keys = r.data.rows
      .filter((x: { missed: number }) => x.missed > 0)
      .slice(0, 2)
      .map((x: { slug: string; section: string }) => sectionKey(x.slug, x.section));
    const res = await call(
      page.action,
      post(cookie.desa, r.data.search, [
        ...keys.map((k: string): [string, string] => ["sections", k]),
        ["formKey", key()],
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.data.kind).toBe("whatsapp");
    const want = whoMissed(DESA_A, keys);
    expect(res.data.people.map((p: { id: string }) => p.id).sort()).toEqual(want);
    for (const p of res.data.people) {
      expect(p.wa).toMatch(new RegExp(`^https://wa\\.me/${p.phone}\\?text=`));
      expect(decodeURIComponent(p.wa.split("text=")[1])).toContain(getModule(SLUG)!.frontmatter.title);
    }
    expect(await db.select({ id: workshops.id }).from(workshops)).toHaveLength(before.length);
    const mine = await db.select().from(enrolments).where(inArray(enrolments.userId, want));
    expect(mine.filter((e) => !before.some((b) => b.id === e.workshopId))).toEqual([]);
  });
});
